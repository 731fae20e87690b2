package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	seg "github.com/samwise-app/samwise/engine/segment"
	"github.com/samwise-app/samwise/engine/synth"
)

func prefetch(e *enginetest.Engine, open string, next ...string) (*api.PrefetchResponse, error) {
	var out api.PrefetchResponse
	err := e.Client.Do(context.Background(), "POST", "/v1/pvs/prefetch", api.PrefetchRequest{Open: open, MediaIDs: next}, &out)
	return &out, err
}

// TestPrefetchEncodesTheNextImagesAhead opens the first image of three and
// asks for the next two: the open one is encoded at once, the others in
// the background, so the first click on each is served from the cache.
func TestPrefetchEncodesTheNextImagesAhead(t *testing.T) {
	e := enginetest.Start(t)
	var ids []string
	for i := range 3 {
		ids = append(ids, e.Upload(t, synth.StandardScene(320, 240, uint64(70+i)).PNG()).MediaID)
	}
	res, err := prefetch(e, ids[0], ids[1], ids[2])
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued != 3 {
		t.Fatalf("queued %d, want 3", res.Queued)
	}
	deadline := time.Now().Add(time.Minute)
	for e.Instance.Images.Encodes() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of 3 images prefetched", e.Instance.Images.Encodes())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, id := range ids {
		got := segment(t, e, &api.PVSImageRequest{MediaID: id, Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{{60, 60}}}}})
		if !got.Timing.Cached {
			t.Errorf("the first click on prefetched image %s encoded it again", id)
		}
	}
	if n := e.Instance.Images.Encodes(); n != 3 {
		t.Errorf("%d encodes, want 3", n)
	}
	// The concept model's embeddings, when asked: all three in the background.
	var withConcepts api.PrefetchResponse
	if err := e.Client.Do(context.Background(), "POST", "/v1/pvs/prefetch", api.PrefetchRequest{Open: ids[0], MediaIDs: ids[1:], Concepts: true}, &withConcepts); err != nil {
		t.Fatal(err)
	}
	if withConcepts.Queued != 3 {
		t.Fatalf("with concepts, queued %d, want the concept model's 3", withConcepts.Queued)
	}
	concepts := e.Instance.Concepts.Embedder
	for concepts.Encodes() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 concept embeddings prefetched", concepts.Encodes())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, id := range ids {
		m, err := e.Client.Media(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !concepts.Cached(seg.Source{SHA256: m.SHA256, Width: m.Width, Height: m.Height}) {
			t.Errorf("the concept embedding of %s is not cached", id)
		}
	}
	// Asking again for cached images queues nothing; an empty request is fine.
	if res, err := prefetch(e, ids[1], ids[2], ids[0]); err != nil || res.Queued != 0 {
		t.Errorf("prefetching cached images: %+v, %v", res, err)
	}
	if _, err := prefetch(e, ""); err != nil {
		t.Errorf("an empty list: %v", err)
	}
	for _, tc := range []struct {
		name   string
		ids    []string
		status int
		want   string
	}{
		{"unknown media", []string{"0123456789abcdef01234567"}, http.StatusNotFound, ""},
		{"a bad id", []string{"../x"}, http.StatusBadRequest, "media_id must be"},
		{"too many", strings.Fields(strings.Repeat(ids[0]+" ", api.MaxPrefetch+1)), http.StatusBadRequest, "prefetch at most 8"},
	} {
		_, err := prefetch(e, "", tc.ids...)
		var ae *client.Error
		if !errors.As(err, &ae) || ae.Status != tc.status || !strings.Contains(ae.Body.Message, tc.want) {
			t.Errorf("%s: got %v, want %d %q", tc.name, err, tc.status, tc.want)
		}
	}
}
