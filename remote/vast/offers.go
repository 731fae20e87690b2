package vast

import (
	"cmp"
	"context"
	"slices"
)

// OfferQuery filters GPU offers. Zero fields add no filter. The client always adds the
// filters the Vast CLI adds by default: verified hosts, not external, rentable, not rented.
type OfferQuery struct {
	// MinGPURAMGB is the least GPU memory per card, in GB (sent in MB, as Vast expects).
	MinGPURAMGB float64
	// MinReliability is the least host reliability, 0..1 (e.g. 0.98).
	MinReliability float64
	// MaxDPH caps the total price in dollars per hour (dph_total).
	MaxDPH float64
	// MinCUDA is the least CUDA version the host driver supports (cuda_max_good), e.g. 12.4.
	MinCUDA float64
	// GPUNames restricts the GPU model, with spaces as Vast writes them ("RTX 4090").
	GPUNames []string
	// NumGPUs is the exact number of GPUs per offer.
	NumGPUs int
	// MinDiskGB is the least free disk (disk_space, GB).
	MinDiskGB float64
	// MinInetDownMbps is the least download bandwidth (inet_down, Mb/s); image pulls and
	// media downloads depend on it.
	MinInetDownMbps float64
	// AllocatedStorageGB is the disk the price is computed for (default 10, the create
	// default); set it to CreateRequest.DiskGB.
	AllocatedStorageGB float64
	// Type is the rental type: "on-demand" (default, as the Vast CLI sends it) or "bid".
	Type string
	// Limit caps how many offers Vast returns (0: Vast's default).
	Limit int
	// Extra adds raw filters, field → {operator: value}, e.g.
	// {"geolocation": {"in": ["US", "CA"]}}; see remote.md §1.3 for fields and operators.
	Extra map[string]map[string]any
}

// Offer is one rentable machine (an "ask"); its ID is what CreateInstance takes. Fields
// keep Vast's units.
type Offer struct {
	// ID is the offer (ask) id to pass to CreateInstance.
	ID int64 `json:"id"`
	// MachineID is the host machine.
	MachineID int64 `json:"machine_id"`
	// GPUName is the GPU model, e.g. "RTX 4090".
	GPUName string `json:"gpu_name"`
	// NumGPUs is the number of GPUs rented together.
	NumGPUs int `json:"num_gpus"`
	// GPURAMMB is the memory per GPU in MB.
	GPURAMMB float64 `json:"gpu_ram"`
	// DPHTotal is the total price in dollars per hour (GPU + storage + bandwidth share).
	DPHTotal float64 `json:"dph_total"`
	// Reliability is the host's reliability score, 0..1.
	Reliability float64 `json:"reliability"`
	// CUDAMaxGood is the newest CUDA version the host driver supports.
	CUDAMaxGood float64 `json:"cuda_max_good"`
	// DiskSpaceGB is the free disk in GB.
	DiskSpaceGB float64 `json:"disk_space"`
	// InetDownMbps and InetUpMbps are the measured bandwidths in Mb/s.
	InetDownMbps float64 `json:"inet_down"`
	InetUpMbps   float64 `json:"inet_up"`
	// Geolocation is the host's location as Vast reports it, e.g. "Texas, US".
	Geolocation string `json:"geolocation"`
	// DLPerf is Vast's deep-learning performance score.
	DLPerf float64 `json:"dlperf"`
	// Score is Vast's overall ranking score.
	Score float64 `json:"score"`
	// MinBid is the lowest interruptible bid in dollars per hour.
	MinBid float64 `json:"min_bid"`
}

// Body returns the query object SearchOffers sends as the body of POST /bundles/.
func (q OfferQuery) Body() map[string]any {
	body := map[string]any{
		"verified": map[string]any{"eq": true},
		"external": map[string]any{"eq": false},
		"rentable": map[string]any{"eq": true},
		"rented":   map[string]any{"eq": false},
	}
	gte := func(field string, v float64) {
		if v > 0 {
			body[field] = map[string]any{"gte": v}
		}
	}
	gte("gpu_ram", q.MinGPURAMGB*1000) // Vast counts GPU RAM in MB, 1 GB = 1000 MB (CLI)
	gte("reliability", q.MinReliability)
	gte("cuda_max_good", q.MinCUDA)
	gte("disk_space", q.MinDiskGB)
	gte("inet_down", q.MinInetDownMbps)
	if q.MaxDPH > 0 {
		body["dph_total"] = map[string]any{"lte": q.MaxDPH}
	}
	if len(q.GPUNames) > 0 {
		body["gpu_name"] = map[string]any{"in": q.GPUNames}
	}
	if q.NumGPUs > 0 {
		body["num_gpus"] = map[string]any{"eq": q.NumGPUs}
	}
	for field, ops := range q.Extra {
		body[field] = ops
	}
	body["order"] = [][]string{{"dph_total", "asc"}}
	body["type"] = cmp.Or(q.Type, "on-demand")
	body["allocated_storage"] = cmp.Or(q.AllocatedStorageGB, 10)
	if q.Limit > 0 {
		body["limit"] = q.Limit
	}
	return body
}

// SearchOffers returns the offers matching q, cheapest first (ties: more reliable first).
func (c *Client) SearchOffers(ctx context.Context, q OfferQuery) ([]Offer, error) {
	var out struct {
		Offers []Offer `json:"offers"`
	}
	err := c.do(ctx, call{method: "POST", path: "/bundles/", body: q.Body(), idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	// Vast orders by the query, but the caller's guarantee should not depend on it.
	slices.SortStableFunc(out.Offers, func(a, b Offer) int {
		return cmp.Or(cmp.Compare(a.DPHTotal, b.DPHTotal), cmp.Compare(b.Reliability, a.Reliability))
	})
	return out.Offers, nil
}
