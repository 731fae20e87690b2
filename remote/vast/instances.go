package vast

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CreateRequest is what CreateInstance sends to PUT /asks/{offer_id}/. The client always
// sends cancel_unavail: true — fail rather than leave a stopped instance that bills for
// storage when the offer cannot be scheduled — and client_id "me".
type CreateRequest struct {
	// Image is the Docker image, e.g. "ghcr.io/samwise-app/worker:1.2.0". Required.
	Image string
	// Env is the container environment. Port mappings, if ever needed, are keys in Docker
	// syntax ("-p 8000:8000") with value "1". Whoever holds the account key can read these
	// back (extra_env), so pass only short-lived or scoped secrets.
	Env map[string]string
	// DiskGB is the container disk in GB (default 10).
	DiskGB float64
	// Label names the owner, e.g. "samwise-<owner>"; required so orphans can be found with
	// ListByLabel and destroyed.
	Label string
	// RunType is "args" (default: keep the image ENTRYPOINT; Args replaces CMD) or one of
	// Vast's ssh/jupyter run types, which replace the ENTRYPOINT and run Onstart.
	RunType string
	// Args replaces the image CMD under RunType "args".
	Args []string
	// Onstart is a shell script run after Vast's entrypoint (ssh/jupyter run types).
	Onstart string
	// BidPrice, when positive, rents the offer as an interruptible instance at this price in
	// dollars per hour; zero rents on demand.
	BidPrice float64
	// ImageLogin holds private-registry credentials, e.g. "-u user -p token ghcr.io".
	ImageLogin Secret
}

func (r CreateRequest) body() map[string]any {
	env := r.Env
	if env == nil {
		env = map[string]string{}
	}
	b := map[string]any{
		"client_id":      "me",
		"image":          r.Image,
		"env":            env,
		"disk":           cmp.Or(r.DiskGB, 10),
		"label":          r.Label,
		"runtype":        cmp.Or(r.RunType, "args"),
		"cancel_unavail": true,
		"target_state":   "running",
	}
	if r.Args != nil {
		b["args"] = r.Args
	}
	if r.Onstart != "" {
		b["onstart"] = r.Onstart
	}
	if r.BidPrice > 0 {
		b["price"] = r.BidPrice
	}
	if r.ImageLogin != "" {
		b["image_login"] = r.ImageLogin.Reveal()
	}
	return b
}

func (r CreateRequest) validate(offerID int64) error {
	switch {
	case offerID <= 0:
		return fmt.Errorf("vast: create instance: offer id %d is not an offer; pass Offer.ID from SearchOffers", offerID)
	case r.Image == "":
		return errors.New("vast: create instance: CreateRequest.Image is empty; set the worker image")
	case r.Label == "":
		return errors.New("vast: create instance: CreateRequest.Label is empty; label every instance with its owner so orphans can be found and destroyed")
	}
	for k := range r.Env {
		if k == "" {
			return errors.New("vast: create instance: CreateRequest.Env has an empty variable name")
		}
	}
	return nil
}

// CreateInstance rents offer offerID and returns the new instance's id. See RetryPolicy
// for why a failure with an unclear outcome is not retried: when it returns an error that
// is not ErrOfferTaken, ErrUnauthorized or a validation error, look for the instance with
// ListByLabel before creating another. A taken offer is ErrOfferTaken.
func (c *Client) CreateInstance(ctx context.Context, offerID int64, req CreateRequest) (int64, error) {
	if err := req.validate(offerID); err != nil {
		return 0, err
	}
	var out struct {
		NewContract json.Number `json:"new_contract"`
	}
	cl := call{method: "PUT", path: "/asks/" + strconv.FormatInt(offerID, 10) + "/", body: req.body()}
	if err := c.do(ctx, cl, &out); err != nil {
		return 0, err
	}
	id, err := out.NewContract.Int64()
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("vast: create instance from offer %d: answer has no new_contract id (got %q); check the instance list for label %q", offerID, out.NewContract, req.Label)
	}
	c.log.InfoContext(ctx, "vast instance created", "offer", offerID, "instance", id, "label", req.Label, "image", req.Image)
	return id, nil
}

// Instance is a rented container as Vast reports it. Environment values (extra_env) are
// deliberately not decoded: they may hold tokens.
type Instance struct {
	// ID is the instance (contract) id.
	ID int64 `json:"id"`
	// MachineID is the host machine.
	MachineID int64 `json:"machine_id"`
	// ActualStatus is the container state: "" (provisioning), "loading", "running",
	// "stopped", "frozen", "exited", "rebooting", "unknown" or "offline".
	ActualStatus string `json:"actual_status"`
	// IntendedStatus is the target state: "running", "stopped" or "frozen".
	IntendedStatus string `json:"intended_status"`
	// CurState and NextState are the machine allocation states.
	CurState  string `json:"cur_state"`
	NextState string `json:"next_state"`
	// StatusMsg is Vast's latest status text; it contains "Error" when start-up failed.
	StatusMsg string `json:"status_msg"`
	// Label is the label given at creation.
	Label string `json:"label"`
	// ImageUUID is the image the instance runs.
	ImageUUID string `json:"image_uuid"`
	// ImageRuntype is the run type ("args", "ssh_proxy", ...).
	ImageRuntype string `json:"image_runtype"`
	// GPUName and NumGPUs describe the rented GPUs.
	GPUName string `json:"gpu_name"`
	NumGPUs int    `json:"num_gpus"`
	// GPUUtil is the current GPU utilisation, 0..1 (or percent on some hosts).
	GPUUtil float64 `json:"gpu_util"`
	// PublicIPAddr is the host's public address.
	PublicIPAddr string `json:"public_ipaddr"`
	// DPHTotal is what the instance costs in dollars per hour.
	DPHTotal float64 `json:"dph_total"`
	// StartDate is when the rental began, in Unix seconds.
	StartDate float64 `json:"start_date"`
}

// Started returns StartDate as a time (zero when unknown).
func (in Instance) Started() time.Time {
	if in.StartDate <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(in.StartDate * 1000))
}

// Failed reports whether the instance can no longer reach "running": Vast documents that
// once "exited", "unknown" or "offline" is reached, running never comes, and the CLI treats
// a status message containing "Error" as fatal.
func (in Instance) Failed() bool {
	switch in.ActualStatus {
	case "exited", "unknown", "offline":
		return true
	}
	return strings.Contains(in.StatusMsg, "Error")
}

// ShowInstance returns one of the account's instances; a destroyed or unknown id is
// ErrNotFound.
func (c *Client) ShowInstance(ctx context.Context, id int64) (Instance, error) {
	var out struct {
		Instances *Instance `json:"instances"` // an object, and null once the instance is gone
	}
	cl := call{method: "GET", path: "/instances/" + strconv.FormatInt(id, 10) + "/",
		query: url.Values{"owner": {"me"}}, idempotent: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return Instance{}, err
	}
	if out.Instances == nil {
		return Instance{}, fmt.Errorf("vast: instance %d: %w", id, ErrNotFound)
	}
	return *out.Instances, nil
}

// listPageSize is the v1 list's page size (its maximum).
const listPageSize = 25

// ListInstances returns all of the account's instances, following the v1 list's pages.
func (c *Client) ListInstances(ctx context.Context) ([]Instance, error) {
	return c.list(ctx, map[string]any{})
}

// ListByLabel returns the account's instances whose label is exactly label — the way to
// find orphans of one owner and destroy them.
func (c *Client) ListByLabel(ctx context.Context, label string) ([]Instance, error) {
	if label == "" {
		return nil, errors.New("vast: list by label: the label is empty; pass the owner label used at creation")
	}
	all, err := c.list(ctx, map[string]any{"label": map[string]any{"eq": label}})
	if err != nil {
		return nil, err
	}
	// The server filters already; filtering again guarantees a caller that destroys what
	// this returns never touches another owner's instance.
	out := all[:0]
	for _, in := range all {
		if in.Label == label {
			out = append(out, in)
		}
	}
	return out, nil
}

func (c *Client) list(ctx context.Context, filters map[string]any) ([]Instance, error) {
	sel, err := json.Marshal(filters)
	if err != nil {
		return nil, fmt.Errorf("vast: list instances: %w", err)
	}
	q := url.Values{
		"select_filters": {string(sel)},
		"order_by":       {`[{"col":"id","dir":"asc"}]`},
		"limit":          {strconv.Itoa(listPageSize)},
	}
	var all []Instance
	seen := map[string]bool{}
	for {
		var page struct {
			Instances []Instance `json:"instances"`
			NextToken *string    `json:"next_token"`
		}
		if err := c.do(ctx, call{method: "GET", path: "/instances/", v1: true, query: q, idempotent: true}, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Instances...)
		if page.NextToken == nil || *page.NextToken == "" {
			return all, nil
		}
		if seen[*page.NextToken] {
			return nil, fmt.Errorf("vast: list instances: the server repeated page token %q; the listing would never end", *page.NextToken)
		}
		seen[*page.NextToken] = true
		q.Set("after_token", *page.NextToken)
	}
}

// DestroyInstance destroys instance id: the GPU, the disk and all billing end. An instance
// that is already gone counts as destroyed, so calling it twice is safe. There is no stop:
// a stopped instance keeps billing for storage (remote.md §1.6).
func (c *Client) DestroyInstance(ctx context.Context, id int64) error {
	cl := call{method: "DELETE", path: "/instances/" + strconv.FormatInt(id, 10) + "/",
		body: map[string]any{}, idempotent: true}
	err := c.do(ctx, cl, nil)
	var ae *APIError
	if errors.As(err, &ae) && (ae.Status == 404 || ae.Code == "no_such_instance") {
		c.log.InfoContext(ctx, "vast instance already gone", "instance", id)
		return nil
	}
	if err != nil {
		return err
	}
	c.log.InfoContext(ctx, "vast instance destroyed", "instance", id)
	return nil
}
