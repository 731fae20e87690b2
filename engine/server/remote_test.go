//go:build integration

package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/client"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/synth"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

// encodeVideo writes a generated video and returns its path and SHA-256.
func encodeVideo(t *testing.T, frames int) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := synth.StandardVideo(frames).Encode(context.Background(), path, 30); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return path, hex.EncodeToString(sum[:])
}

func TestMediaByURL(t *testing.T) {
	path, sha := encodeVideo(t, 12)
	files := httptest.NewServer(http.StripPrefix("/files/", http.FileServer(http.Dir(filepath.Dir(path)))))
	defer files.Close()
	url := files.URL + "/files/video.mp4?X-Amz-Signature=abc"
	e := enginetest.Start(t, func(c *config.Config) { c.Remote.AllowMediaURLs = true; c.MaxBodyMB = 1 })
	ctx := context.Background()
	m, err := e.Client.FetchMedia(ctx, url, sha)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != api.KindVideo || m.Frames != 12 || m.SHA256 != sha || m.MediaID != sha[:24] {
		t.Fatalf("media = %+v", m)
	}
	for _, tc := range []struct {
		name, url, sha string
		status         int
		mention        string
	}{
		{"wrong digest", url, strings.Repeat("0", 64), 400, "sha256"},
		{"malformed digest", url, "abc", 400, "sha256"},
		{"plain http off loopback", "http://example.com/video.mp4", "", 400, "https"},
		{"other scheme", "file:///etc/passwd", "", 400, "https"},
		{"credentials in the URL", "https://user:pw@example.com/v.mp4", "", 400, "presigned"},
		{"not found", files.URL + "/files/missing.mp4?X-Amz-Signature=secretsig", "", 400, "404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.FetchMedia(ctx, tc.url, tc.sha)
			var ce *client.Error
			if !asClientError(err, &ce) || ce.Status != tc.status || !strings.Contains(ce.Body.Message, tc.mention) {
				t.Fatalf("FetchMedia = %v, want %d mentioning %q", err, tc.status, tc.mention)
			}
			if strings.Contains(ce.Body.Message, "secretsig") {
				t.Errorf("the message repeats the URL's signature: %s", ce.Body.Message)
			}
		})
	}
	// Over the size limit (1 MiB here): 413, nothing recorded.
	big := filepath.Join(filepath.Dir(path), "big.mp4")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.FetchMedia(ctx, files.URL+"/files/big.mp4", ""); !client.IsStatus(err, 413) {
		t.Fatalf("a 2 MiB download with a 1 MiB limit = %v, want 413", err)
	}
	list, err := e.Instance.DB.ListMedia()
	if err != nil || len(list) != 1 {
		t.Fatalf("%d media records after the bad requests, want 1 (%v)", len(list), err)
	}
	// Without the setting the engine does not fetch URLs.
	off := enginetest.Start(t)
	if _, err := off.Client.FetchMedia(ctx, url, sha); !client.IsStatus(err, 400) {
		t.Fatalf("FetchMedia without allow_media_urls = %v, want 400", err)
	}
}

func asClientError(err error, out **client.Error) bool {
	ce, ok := err.(*client.Error)
	if ok {
		*out = ce
	}
	return ok
}

// askEngine is an engine under burst: ask with a tiny threshold. Its worker settings point
// at a stand-in Vast that is never called: placement decisions rent nothing.
func askEngine(t *testing.T) (*enginetest.Engine, *vasttest.Server) {
	t.Helper()
	vs := vasttest.NewServer("vk-test")
	t.Cleanup(vs.Close)
	e := enginetest.Start(t, func(c *config.Config) {
		r := &c.Remote
		r.Burst, r.BurstThreshold, r.Secrets = "ask", time.Millisecond, "file"
		r.WorkerURL, r.WorkerImage, r.VastURL = "https://gpu.example.com", "samwise-worker:test", vs.BaseURL()
		r.R2Endpoint, r.R2Bucket = "https://0123.r2.cloudflarestorage.com", "samwise"
		r.VastAPIKey, r.WorkerTunnelToken, r.R2AccessKeyID, r.R2SecretAccessKey = "vk-test", "tunnel-token", "AKID", "r2-secret"
	})
	return e, vs
}

func TestPropagateAsksWhereToRun(t *testing.T) {
	e, vs := askEngine(t)
	sc := synth.StandardVideo(24)
	m := uploadVideo(t, e, sc)
	s := openSession(t, e, m.MediaID)
	x0, y0, x1, y1, _ := sc.Truth("blue", 0).BBox()
	annotate(t, e, s.SessionID, api.VideoAnnotationRequest{Frame: 0, ObjectID: 1, Points: [][2]float64{{float64(x0+x1) / 2, float64(y0+y1) / 2}}})
	ctx := context.Background()

	var est api.PlacementEstimate
	if err := e.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/estimate", api.PropagateRequest{}, &est); err != nil {
		t.Fatal(err)
	}
	if est.Frames != 24 || est.Objects != 1 || !est.NeedsConfirmation || !est.RemoteAvailable || est.Policy != "ask" || est.LocalS <= 0 {
		t.Fatalf("estimate = %+v", est)
	}
	// Over the threshold with no placement named: 409 with the estimate.
	err := e.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/propagate", api.PropagateRequest{}, nil)
	var ce *client.Error
	if !asClientError(err, &ce) || ce.Status != 409 || ce.Body.Code != api.CodePlacementRequired || !strings.Contains(ce.Body.Message, `"placement": "remote"`) {
		t.Fatalf("propagate = %v, want 409 placement_required", err)
	}
	raw, _ := json.Marshal(ce.Body.Details)
	var details api.PlacementEstimate
	if err := json.Unmarshal(raw, &details); err != nil || details.Frames != 24 || !details.NeedsConfirmation {
		t.Fatalf("409 details = %s", raw)
	}
	if err := e.Client.Do(ctx, "POST", "/v1/pvs/video/"+s.SessionID+"/propagate", api.PropagateRequest{Placement: "elsewhere"}, nil); !client.IsStatus(err, 400) {
		t.Fatalf("placement elsewhere = %v, want 400", err)
	}
	// The caller chooses local: the job runs here and records its estimate.
	id := propagate(t, e, s.SessionID, api.PropagateRequest{Placement: api.PlacementLocal})
	j := waitJob(t, e, id, ended)
	if j.State != api.JobSucceeded || j.Placement != api.PlacementLocal || j.Estimate == nil || j.Estimate.Frames != 24 || j.Remote != nil {
		t.Fatalf("job = %+v (estimate %+v)", j, j.Estimate)
	}
	// The run measured this engine's speed.
	var st api.RemoteWorker
	if err := e.Client.Do(ctx, "GET", "/v1/remote", nil, &st); err != nil {
		t.Fatal(err)
	}
	if !st.Measured || st.Policy != "ask" || st.Via != "vast" || st.State != "off" {
		t.Fatalf("GET /v1/remote = %+v", st)
	}
	if n := len(vs.Requests()); n != 0 {
		t.Fatalf("placement decisions made %d Vast requests", n)
	}
}
