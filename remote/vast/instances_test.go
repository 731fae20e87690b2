package vast_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

func TestCreateInstanceSendsDocumentedBody(t *testing.T) {
	f := newFixture(t)
	f.addOffers()
	req := vast.CreateRequest{
		Image:      "ghcr.io/samwise-app/worker:1.2.0",
		Env:        map[string]string{"TUNNEL_TOKEN": "tok-123", "SAMWISE_IDLE": "10m"},
		DiskGB:     32,
		Label:      "samwise-alice",
		Args:       []string{"engine", "serve", "--remote"},
		ImageLogin: "-u bot -p regpass ghcr.io",
	}
	id, err := f.client.CreateInstance(context.Background(), 2, req)
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != "PUT" || reqs[0].Path != "/api/v0/asks/2/" {
		t.Fatalf("requests = %+v, want one PUT /api/v0/asks/2/", reqs)
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"client_id":      "me",
		"image":          "ghcr.io/samwise-app/worker:1.2.0",
		"env":            map[string]any{"TUNNEL_TOKEN": "tok-123", "SAMWISE_IDLE": "10m"}, // an object, not a string
		"disk":           32.0,
		"label":          "samwise-alice",
		"runtype":        "args",
		"args":           []any{"engine", "serve", "--remote"},
		"cancel_unavail": true,
		"target_state":   "running",
		"image_login":    "-u bot -p regpass ghcr.io",
	}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("create body = %v\nwant %v", body, want)
	}
	row := f.srv.Instance(id)
	if row == nil || row["label"] != "samwise-alice" || row["image_uuid"] != req.Image {
		t.Fatalf("stand-in instance %d = %v", id, row)
	}
	// The offer is now rented: a second create from it is ErrOfferTaken.
	_, err = f.client.CreateInstance(context.Background(), 2, req)
	if !errors.Is(err, vast.ErrOfferTaken) {
		t.Fatalf("second create from offer 2 = %v, want ErrOfferTaken", err)
	}
	if !strings.Contains(err.Error(), "search again") {
		t.Errorf("ErrOfferTaken message %q gives no hint", err)
	}
}

func TestCreateInstanceValidates(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		offer int64
		req   vast.CreateRequest
		want  string
	}{
		{0, vast.CreateRequest{Image: "i", Label: "l"}, "offer id"},
		{1, vast.CreateRequest{Label: "l"}, "Image is empty"},
		{1, vast.CreateRequest{Image: "i"}, "Label is empty"},
		{1, vast.CreateRequest{Image: "i", Label: "l", Env: map[string]string{"": "x"}}, "empty variable name"},
	} {
		_, err := f.client.CreateInstance(context.Background(), tc.offer, tc.req)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CreateInstance(%d, %+v) = %v, want an error mentioning %q", tc.offer, tc.req, err, tc.want)
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("invalid requests reached the server %d times", n)
	}
}

func TestShowInstance(t *testing.T) {
	f := newFixture(t)
	id := f.srv.AddInstance(map[string]any{"label": "samwise-bob", "gpu_name": "RTX 4090", "num_gpus": 1, "dph_total": 0.4, "start_date": 1.7e9})
	ctx := context.Background()
	in, err := f.client.ShowInstance(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != id || in.ActualStatus != "" || in.Label != "samwise-bob" || in.Started().Unix() != 1.7e9 {
		t.Fatalf("ShowInstance = %+v", in)
	}
	if q := f.srv.Requests()[0].Query.Get("owner"); q != "me" {
		t.Errorf("show sent owner=%q, want me", q)
	}
	f.srv.SetInstanceField(id, "actual_status", "running")
	if in, _ = f.client.ShowInstance(ctx, id); in.ActualStatus != "running" || in.Failed() {
		t.Fatalf("after start: %+v", in)
	}
	f.srv.SetInstanceField(id, "actual_status", "exited")
	if in, _ = f.client.ShowInstance(ctx, id); !in.Failed() {
		t.Fatalf("exited instance not Failed: %+v", in)
	}
	if _, err := f.client.ShowInstance(ctx, 424242); !errors.Is(err, vast.ErrNotFound) {
		t.Fatalf("ShowInstance(missing) = %v, want ErrNotFound", err)
	}
}

func TestListByLabelFollowsPages(t *testing.T) {
	f := newFixture(t)
	var mine []int64
	for i := range 60 {
		label := "samwise-other"
		if i%2 == 0 {
			label = "samwise-alice"
		}
		id := f.srv.AddInstance(map[string]any{"label": label})
		if label == "samwise-alice" {
			mine = append(mine, id)
		}
	}
	f.srv.AddInstance(map[string]any{}) // unlabelled
	ctx := context.Background()
	got, err := f.client.ListByLabel(ctx, "samwise-alice")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, in := range got {
		ids = append(ids, in.ID)
	}
	if !reflect.DeepEqual(ids, mine) {
		t.Fatalf("ListByLabel ids = %v\nwant %v", ids, mine)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 2 { // 30 matches, 25 per page
		t.Fatalf("ListByLabel made %d requests, want 2 pages", len(reqs))
	}
	for i, r := range reqs {
		if r.Path != "/api/v1/instances/" {
			t.Errorf("page %d path %s, want /api/v1/instances/", i, r.Path)
		}
		if sf := r.Query.Get("select_filters"); sf != `{"label":{"eq":"samwise-alice"}}` {
			t.Errorf("page %d select_filters = %s", i, sf)
		}
	}
	if reqs[0].Query.Has("after_token") || !reqs[1].Query.Has("after_token") {
		t.Errorf("after_token: first %q, second %q", reqs[0].Query.Get("after_token"), reqs[1].Query.Get("after_token"))
	}
	all, err := f.client.ListInstances(ctx)
	if err != nil || len(all) != 61 {
		t.Fatalf("ListInstances = %d instances, %v; want 61", len(all), err)
	}
	if _, err := f.client.ListByLabel(ctx, ""); err == nil {
		t.Fatal("ListByLabel(\"\") succeeded; an empty label would match nothing useful")
	}
}

func TestListByLabelRefiltersWhatTheServerReturns(t *testing.T) {
	f := newFixture(t)
	// A server that ignores select_filters must not make us destroy someone else's instance.
	f.srv.Inject(vasttest.Fault{Path: "/api/v1/instances/", Times: 1, Status: 200,
		Body: `{"instances": [{"id": 1, "label": "samwise-alice"}, {"id": 2, "label": "samwise-bob"}, {"id": 3, "label": null}], "next_token": null}`})
	got, err := f.client.ListByLabel(context.Background(), "samwise-alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != 1 {
		t.Fatalf("ListByLabel = %+v, want only instance 1", got)
	}
}

func TestListStopsOnRepeatedPageToken(t *testing.T) {
	f := newFixture(t)
	page := `{"instances": [{"id": 1, "label": "x"}], "next_token": "same"}`
	for range 2 {
		f.srv.Inject(vasttest.Fault{Path: "/api/v1/instances/", Times: 1, Status: 200, Body: page})
	}
	if _, err := f.client.ListInstances(context.Background()); err == nil || !strings.Contains(err.Error(), "repeated page token") {
		t.Fatalf("ListInstances with a looping token = %v", err)
	}
}

func TestDestroyIsIdempotent(t *testing.T) {
	f := newFixture(t)
	id := f.srv.AddInstance(map[string]any{"label": "samwise-alice"})
	ctx := context.Background()
	for i := range 2 {
		if err := f.client.DestroyInstance(ctx, id); err != nil {
			t.Fatalf("destroy #%d: %v", i+1, err)
		}
	}
	if f.srv.Instance(id) != nil {
		t.Fatal("instance still in the table")
	}
	reqs := f.srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (the 404 of the second must not be retried)", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != "DELETE" || r.Path != fmt.Sprintf("/api/v0/instances/%d/", id) || string(r.Body) != "{}" {
			t.Errorf("destroy sent %s %s %q, want DELETE /api/v0/instances/%d/ {}", r.Method, r.Path, r.Body, id)
		}
	}
}

func TestDestroyOrphansByLabel(t *testing.T) {
	f := newFixture(t)
	keep := f.srv.AddInstance(map[string]any{"label": "samwise-bob"})
	for range 3 {
		f.srv.AddInstance(map[string]any{"label": "samwise-alice"})
	}
	ctx := context.Background()
	orphans, err := f.client.ListByLabel(ctx, "samwise-alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range orphans {
		if err := f.client.DestroyInstance(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
	}
	left := f.srv.Instances()
	if len(left) != 1 || int64(left[0]["id"].(float64)) != keep {
		t.Fatalf("after destroying alice's orphans: %v", left)
	}
}
