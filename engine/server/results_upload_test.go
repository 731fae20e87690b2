//go:build integration

package server_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/resultchunk"
	"github.com/samwise-app/samwise/engine/synth"
	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/objstore/s3test"
)

// TestPropagateStoresResultsThroughPresignedURLs is the GPU worker's side of a remote job:
// a propagation with results_upload stores its results as chunks in object storage
// (versitygw) through the presigned URLs, does not show them with the job, and refuses
// an upload request that does not fit the job.
func TestPropagateStoresResultsThroughPresignedURLs(t *testing.T) {
	srv := s3test.Start(t)
	srv.CreateBucket(t, "samwise")
	store, err := objstore.New(objstore.Config{Endpoint: srv.Endpoint, Bucket: "samwise", AccessKeyID: s3test.AccessKey,
		SecretAccessKey: s3test.SecretKey, UsePathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	presign := func(n int) []string {
		var urls []string
		for i := range n {
			p, err := store.PresignPut(ctx, "results/j/"+string(rune('a'+i)), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			urls = append(urls, p.URL)
		}
		return urls
	}

	e := enginetest.Start(t)
	sc := synth.StandardVideo(40)
	m := uploadVideo(t, e, sc)
	s := openSession(t, e, m.MediaID)
	_, truth := sc.Frame(0)
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{centreOf(truth["blue"])}})

	for _, tc := range []struct {
		name string
		up   api.ResultsUpload
		want string
	}{
		{"too few urls", api.ResultsUpload{ChunkFrames: 16, URLs: presign(2)}, "2 urls"},
		{"no chunk size", api.ResultsUpload{URLs: presign(3)}, "chunk_frames 0"},
		{"not a url", api.ResultsUpload{ChunkFrames: 16, URLs: []string{"a", "b", "c"}}, "urls[0]"},
	} {
		err := e.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/propagate", api.PropagateRequest{ResultsUpload: &tc.up}, nil)
		var ce *client.Error
		if !asClientError(err, &ce) || ce.Status != 400 || !strings.Contains(ce.Body.Message, tc.want) {
			t.Errorf("%s: %v, want 400 mentioning %q", tc.name, err, tc.want)
		}
	}

	id := propagate(t, e, s.SessionID, api.PropagateRequest{ResultsUpload: &api.ResultsUpload{ChunkFrames: 16, URLs: presign(3)}})
	j := waitJob(t, e, id, ended)
	if j.State != api.JobSucceeded || j.Request == nil || j.Request.ResultsUpload != nil {
		t.Fatalf("job = %s (%s), request %+v: want success, the upload URLs not shown", j.State, j.Error, j.Request)
	}
	var page api.JobResults
	if err := e.Client.Do(ctx, "GET", "/v1/jobs/"+id+"/results?limit=1000", nil, &page); err != nil || len(page.Frames) != 40 {
		t.Fatalf("%d results (%v)", len(page.Frames), err)
	}
	for i, n := range []int{16, 16, 8} {
		rc, err := store.Get(ctx, "results/j/"+string(rune('a'+i)))
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		got, err := resultchunk.Decode(data, n)
		if err != nil {
			t.Fatalf("chunk %d: %v", i, err)
		}
		for k, fr := range got {
			want := page.Frames[16*i+k]
			if fr.Frame != want.Frame || len(fr.Objects) != 1 || fr.Objects[0].Mask.Counts != want.Objects[0].Mask.Counts {
				t.Fatalf("chunk %d result %d is frame %d, the job has frame %d (or its mask differs)", i, k, fr.Frame, want.Frame)
			}
		}
	}
}
