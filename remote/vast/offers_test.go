package vast_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

func TestSearchOffersSendsDocumentedQuery(t *testing.T) {
	f := newFixture(t)
	f.addOffers()
	q := vast.OfferQuery{
		MinGPURAMGB:    24,
		MinReliability: 0.98,
		MaxDPH:         1.5,
		MinCUDA:        12.2,
		GPUNames:       []string{"RTX 4090", "RTX 3090"},
		NumGPUs:        1,
		Limit:          10,
		Extra:          map[string]map[string]any{"inet_down": {"gte": 400}},
	}
	offers, err := f.client.SearchOffers(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/api/v0/bundles/" {
		t.Fatalf("requests = %+v, want one POST /api/v0/bundles/", reqs)
	}
	var got map[string]any
	if err := json.Unmarshal(reqs[0].Body, &got); err != nil {
		t.Fatalf("search body is not JSON: %v", err)
	}
	want := map[string]any{
		"verified":          map[string]any{"eq": true},
		"external":          map[string]any{"eq": false},
		"rentable":          map[string]any{"eq": true},
		"rented":            map[string]any{"eq": false},
		"gpu_ram":           map[string]any{"gte": 24000.0}, // GB → MB, as the CLI converts
		"reliability":       map[string]any{"gte": 0.98},
		"dph_total":         map[string]any{"lte": 1.5},
		"cuda_max_good":     map[string]any{"gte": 12.2},
		"gpu_name":          map[string]any{"in": []any{"RTX 4090", "RTX 3090"}},
		"num_gpus":          map[string]any{"eq": 1.0},
		"inet_down":         map[string]any{"gte": 400.0},
		"order":             []any{[]any{"dph_total", "asc"}},
		"type":              "on-demand",
		"limit":             10.0,
		"allocated_storage": 10.0,
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", " ")
		t.Fatalf("search body =\n%s\nwant the documented query object with the same keys and values", gb)
	}
	// Offer 3 (reliability 0.97), 4 (12 GB), 5 (2 GPUs), 6 (unverified) are filtered out;
	// the rest come cheapest first.
	var ids []int64
	for _, o := range offers {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []int64{2, 1}) {
		t.Fatalf("offer ids = %v, want [2 1] (filtered, cheapest first)", ids)
	}
	if o := offers[0]; o.GPUName != "RTX 4090" || o.DPHTotal != 0.31 || o.GPURAMMB != 24564 || o.CUDAMaxGood != 12.2 {
		t.Fatalf("offer decoded as %+v", o)
	}
}

func TestSearchOffersNoFiltersStillSendsDefaults(t *testing.T) {
	f := newFixture(t)
	f.addOffers()
	offers, err := f.client.SearchOffers(context.Background(), vast.OfferQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// Everything verified: 1..5, cheapest first.
	var ids []int64
	for _, o := range offers {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []int64{4, 3, 2, 1, 5}) {
		t.Fatalf("ids = %v, want [4 3 2 1 5]", ids)
	}
	body := vast.OfferQuery{}.Body()
	for _, k := range []string{"gpu_ram", "reliability", "dph_total", "gpu_name", "num_gpus", "limit"} {
		if _, ok := body[k]; ok {
			t.Errorf("empty query sends filter %q", k)
		}
	}
}

func TestSearchOffersSortsCheapestFirstWhateverTheServerOrder(t *testing.T) {
	f := newFixture(t)
	// A canned answer in the wrong order (ties on price: more reliable first).
	f.srv.Inject(vasttest.Fault{Path: "/api/v0/bundles/", Times: 1, Status: 200, Body: `{"offers": [
		{"id": 1, "dph_total": 0.9, "reliability": 0.99},
		{"id": 2, "dph_total": 0.2, "reliability": 0.95},
		{"id": 3, "dph_total": 0.2, "reliability": 0.99},
		{"id": 4, "dph_total": 0.5, "reliability": 0.99}]}`})
	offers, err := f.client.SearchOffers(context.Background(), vast.OfferQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, o := range offers {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []int64{3, 2, 4, 1}) {
		t.Fatalf("ids = %v, want [3 2 4 1]", ids)
	}
}
