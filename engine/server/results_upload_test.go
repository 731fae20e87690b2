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

// chunkStore is versitygw with a bucket, through the objstore client.
func chunkStore(t *testing.T) *objstore.Store {
	t.Helper()
	srv := s3test.Start(t)
	srv.CreateBucket(t, "samwise")
	store, err := objstore.New(objstore.Config{Endpoint: srv.Endpoint, Bucket: "samwise", AccessKeyID: s3test.AccessKey,
		SecretAccessKey: s3test.SecretKey, UsePathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// presigner returns n PUT URLs for the keys prefix+"a", prefix+"b", ...
func presigner(t *testing.T, store *objstore.Store, prefix string) func(n int) []string {
	return func(n int) []string {
		var urls []string
		for i := range n {
			p, err := store.PresignPut(context.Background(), prefix+string(rune('a'+i)), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			urls = append(urls, p.URL)
		}
		return urls
	}
}

// readChunk reads chunk key of n results.
func readChunk(t *testing.T, store *objstore.Store, key string, n int) []api.FrameResult {
	t.Helper()
	rc, err := store.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("chunk %s: %v", key, err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	got, err := resultchunk.Decode(data, n)
	if err != nil {
		t.Fatalf("chunk %s: %v", key, err)
	}
	return got
}

// TestPropagateStoresResultsThroughPresignedURLs is the GPU worker's side of a remote job:
// a propagation with results_upload stores its results as chunks in object storage
// (versitygw) through the presigned URLs, does not show them with the job, and refuses
// an upload request that does not fit the job.
func TestPropagateStoresResultsThroughPresignedURLs(t *testing.T) {
	store := chunkStore(t)
	ctx := context.Background()
	presign := presigner(t, store, "results/j/")

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
		for k, fr := range readChunk(t, store, "results/j/"+string(rune('a'+i)), n) {
			want := page.Frames[16*i+k]
			if fr.Frame != want.Frame || len(fr.Objects) != 1 || fr.Objects[0].Mask.Counts != want.Objects[0].Mask.Counts {
				t.Fatalf("chunk %d result %d is frame %d, the job has frame %d (or its mask differs)", i, k, fr.Frame, want.Frame)
			}
		}
	}
}

// TestConceptRunStoresResultsThroughPresignedURLs: the same for a concept run, and its
// placement and upload are checked like a propagation's.
func TestConceptRunStoresResultsThroughPresignedURLs(t *testing.T) {
	store := chunkStore(t)
	presign := presigner(t, store, "results/c/")
	e := enginetest.Start(t)
	m := uploadVideo(t, e, synth.ConceptVideo(20))
	ctx := context.Background()
	var s api.PCSVideoSession
	if err := e.Client.Do(ctx, "POST", "/v1/pcs/video/sessions", api.VideoSessionRequest{MediaID: m.MediaID}, &s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.SetConceptPrompt(ctx, s.SessionID, &api.PCSVideoPrompt{Frame: 0, Text: "red"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		req  api.PCSRunRequest
		want string
	}{
		{"unknown placement", api.PCSRunRequest{Placement: "gpu"}, "placement"},
		{"remote without a worker", api.PCSRunRequest{Placement: "remote"}, "no GPU worker"},
		{"too many urls", api.PCSRunRequest{ResultsUpload: &api.ResultsUpload{ChunkFrames: 8, URLs: presign(4)}}, "4 urls"},
	} {
		_, err := e.Client.RunConcept(ctx, s.SessionID, &tc.req)
		var ce *client.Error
		if !asClientError(err, &ce) || ce.Status != 400 || !strings.Contains(ce.Body.Message, tc.want) {
			t.Errorf("%s: %v, want 400 mentioning %q", tc.name, err, tc.want)
		}
	}
	acc, err := e.Client.RunConcept(ctx, s.SessionID, &api.PCSRunRequest{StartFrame: 4, ResultsUpload: &api.ResultsUpload{ChunkFrames: 8, URLs: presign(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if j := waitJob(t, e, acc.JobID, ended); j.State != api.JobSucceeded || j.Progress.Done != 16 {
		t.Fatalf("run = %s (%s) %+v", j.State, j.Error, j.Progress)
	}
	got := append(readChunk(t, store, "results/c/a", 8), readChunk(t, store, "results/c/b", 8)...)
	for i, fr := range got {
		if fr.Frame != 4+i || len(fr.Objects) == 0 {
			t.Fatalf("result %d is frame %d with %d instances", i, fr.Frame, len(fr.Objects))
		}
	}
}
