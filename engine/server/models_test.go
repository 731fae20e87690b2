package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/enginetest"
	"github.com/samwise-app/samwise/engine/model/modeltest"
	"github.com/samwise-app/samwise/engine/synth"
)

func waitEnded(t *testing.T, e *enginetest.Engine, id string) *api.Job {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var j api.Job
		if err := e.Client.Do(context.Background(), "GET", "/v1/jobs/"+id, nil, &j); err != nil {
			t.Fatal(err)
		}
		switch j.State {
		case api.JobSucceeded, api.JobFailed, api.JobCancelled:
			return &j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s", id, j.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPullThroughTheAPI pulls sam3-tracker from a loopback hub (the same
// endpoints as huggingface.co) as a job whose progress counts bytes.
func TestPullThroughTheAPI(t *testing.T) {
	hub := modeltest.NewHub(t)
	hub.AddRepo(modeltest.TrackerRepo, "main", modeltest.TrackerFiles()...)
	e := enginetest.Start(t, func(c *config.Config) { c.HFEndpoint = hub.URL })
	var list api.ModelList
	if err := e.Client.Do(context.Background(), "GET", "/v1/models", nil, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Catalog) == 0 || list.Catalog[0].Name != "sam3-tracker" || list.RestartNeeded {
		t.Fatalf("models before the pull: %+v", list)
	}
	for _, m := range list.Installed {
		if m.Demo && !m.Active {
			t.Errorf("the demo %s is in use but not marked active", m.Name)
		}
	}
	// /ready says the same: one active, loaded model per task, with its runtime facts.
	ready, err := e.Client.Ready(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]string{}
	for _, m := range ready.Models {
		if m.Active {
			if _, dup := active[m.Task]; dup || !m.Loaded || m.InputSize == 0 || m.Provider == "" {
				t.Errorf("/ready: active model %+v (task already has %q)", m, active[m.Task])
			}
			active[m.Task] = m.Name
		}
	}
	if active["pvs-image"] != "demo-tracker" || active["pvs-video"] != "demo-video" || active["pcs"] != "demo-concept" {
		t.Errorf("/ready's active models = %v", active)
	}
	var acc api.JobAccepted
	if err := e.Client.Do(context.Background(), "POST", "/v1/models/pull", api.PullRequest{Name: "sam3-tracker"}, &acc); err != nil {
		t.Fatal(err)
	}
	j := waitEnded(t, e, acc.JobID)
	if j.State != api.JobSucceeded || j.Progress.Total == 0 || j.Progress.Done != j.Progress.Total {
		t.Fatalf("pull job %s (%s) %+v", j.State, j.Error, j.Progress)
	}
	if err := e.Client.Do(context.Background(), "GET", "/v1/models", nil, &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range list.Installed {
		found = found || (m.Name == "sam3-tracker" && !m.Demo)
	}
	if !found || !list.RestartNeeded {
		t.Errorf("after the pull: installed %+v, restart needed %v", list.Installed, list.RestartNeeded)
	}
	a := do(t, e, "POST", "/v1/models/pull", "application/json", stringsReader(`{"name": "gpt-5"}`))
	if a.status != 400 {
		t.Errorf("pulling an unknown model: %d %s", a.status, a.body.Error.Message)
	}
}

// TestPrecomputeThroughTheAPI encodes images ahead of clicking.
func TestPrecomputeThroughTheAPI(t *testing.T) {
	e := enginetest.Start(t)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.Upload(t, synth.StandardScene(200, 150, uint64(60+i)).PNG()).MediaID)
	}
	var acc api.JobAccepted
	if err := e.Client.Do(context.Background(), "POST", "/v1/precompute", api.PrecomputeRequest{MediaIDs: ids}, &acc); err != nil {
		t.Fatal(err)
	}
	j := waitEnded(t, e, acc.JobID)
	if j.State != api.JobSucceeded || j.Progress.Done != 3 {
		t.Fatalf("precompute job %s %+v", j.State, j.Progress)
	}
	if n := e.Instance.Images.Encodes(); n != 3 {
		t.Errorf("%d image encodes for 3 images", n)
	}
	res := segment(t, e, &api.PVSImageRequest{MediaID: ids[1], Objects: []api.PVSObject{{ObjectID: 1, Points: [][2]float64{{50, 50}}}}})
	if !res.Timing.Cached {
		t.Error("a click after precompute re-encoded the image")
	}
	if a := do(t, e, "POST", "/v1/precompute", "application/json", stringsReader(`{"media_ids": []}`)); a.status != 400 {
		t.Errorf("empty precompute: %d", a.status)
	}
}
