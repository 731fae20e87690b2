package vast_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

func TestRetryCounts(t *testing.T) {
	search := func(c *vast.Client) error {
		_, err := c.SearchOffers(context.Background(), vast.OfferQuery{})
		return err
	}
	show := func(c *vast.Client) error {
		_, err := c.ShowInstance(context.Background(), 7001)
		return err
	}
	destroy := func(c *vast.Client) error { return c.DestroyInstance(context.Background(), 7001) }
	list := func(c *vast.Client) error {
		_, err := c.ListByLabel(context.Background(), "samwise-alice")
		return err
	}
	create := func(c *vast.Client) error {
		_, err := c.CreateInstance(context.Background(), 1, vast.CreateRequest{Image: "img", Label: "samwise-alice"})
		return err
	}
	max := fastRetry.MaxRetries
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		op       func(*vast.Client) error
		fault    vasttest.Fault
		requests int   // total requests to the faulted path
		wantErr  error // nil: success
	}{
		{"search 429 twice then ok", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 429, Times: 2}, 3, nil},
		{"search 503 twice then ok", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 503, Times: 2}, 3, nil},
		{"search 500 forever", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 500, Times: 100}, max + 1, vast.ErrUnavailable},
		{"search 429 forever", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 429, Times: 100}, max + 1, vast.ErrRateLimited},
		{"search 501 not retried", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 501, Times: 100}, 1, vast.ErrUnavailable},
		{"search 400 not retried", "POST", "/api/v0/bundles/", search, vasttest.Fault{Status: 400, Times: 100, Body: `{"error":"invalid_args","msg":"bad"}`}, 1, nil},
		{"search dropped connection retried", "POST", "/api/v0/bundles/", search, vasttest.Fault{Drop: true, Times: 2}, 3, nil},
		{"show 502 retried", "GET", "/api/v0/instances/", show, vasttest.Fault{Status: 502, Times: 1}, 2, nil},
		{"list 504 retried", "GET", "/api/v1/instances/", list, vasttest.Fault{Status: 504, Times: 2}, 3, nil},
		{"destroy 500 retried", "DELETE", "/api/v0/instances/", destroy, vasttest.Fault{Status: 500, Times: 2}, 3, nil},
		{"destroy 500 after deleting", "DELETE", "/api/v0/instances/", destroy, vasttest.Fault{Status: 500, Times: 1, AfterHandle: true}, 2, nil},
		{"create 429 retried", "PUT", "/api/v0/asks/", create, vasttest.Fault{Status: 429, Times: 2}, 3, nil},
		{"create 500 not retried", "PUT", "/api/v0/asks/", create, vasttest.Fault{Status: 500, Times: 1, AfterHandle: true}, 1, vast.ErrUnavailable},
		{"create 503 not retried", "PUT", "/api/v0/asks/", create, vasttest.Fault{Status: 503, Times: 1}, 1, vast.ErrUnavailable},
		{"create dropped connection not retried", "PUT", "/api/v0/asks/", create, vasttest.Fault{Drop: true, Times: 1}, 1, vast.ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.AddOffers(map[string]any{"id": 1, "dph_total": 0.3})
			f.srv.AddInstance(map[string]any{"label": "samwise-alice"}) // id 7001
			fault := tc.fault
			fault.Method, fault.Path = tc.method, tc.path
			f.srv.Inject(fault)
			err := tc.op(f.client)
			if n := f.srv.Count(tc.method, tc.path); n != tc.requests {
				t.Errorf("%d requests to %s %s, want %d", n, tc.method, tc.path, tc.requests)
			}
			switch {
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			case tc.wantErr == nil && tc.fault.Status == 400:
				var ae *vast.APIError
				if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "invalid_args" || ae.Msg != "bad" {
					t.Errorf("err = %#v, want *APIError 400 invalid_args", err)
				}
			case tc.wantErr == nil && err != nil:
				t.Errorf("err = %v, want success after retries", err)
			}
		})
	}
}

func TestCreateNotRetriedLeavesOneInstanceAndSaysWhatToDo(t *testing.T) {
	f := newFixture(t)
	f.srv.AddOffers(map[string]any{"id": 1, "dph_total": 0.3})
	// Vast created the instance, then the answer failed.
	f.srv.Inject(vasttest.Fault{Method: "PUT", Status: 502, Times: 1, AfterHandle: true})
	_, err := f.client.CreateInstance(context.Background(), 1, vast.CreateRequest{Image: "img", Label: "samwise-alice"})
	if err == nil {
		t.Fatal("create succeeded through a 502")
	}
	if n := len(f.srv.Instances()); n != 1 {
		t.Fatalf("%d instances exist, want exactly the 1 the failed create made (a retry would rent a second GPU)", n)
	}
	orphans, err := f.client.ListByLabel(context.Background(), "samwise-alice")
	if err != nil || len(orphans) != 1 {
		t.Fatalf("ListByLabel found %d, %v; want the 1 orphan", len(orphans), err)
	}
}

// refusingDialer refuses the first n dials with a real ECONNREFUSED (a closed loopback
// port), then dials normally.
func refusingDialer(t *testing.T, n int32) (*http.Client, *atomic.Int32) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	var dials atomic.Int32
	d := &net.Dialer{}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= n {
				return d.DialContext(ctx, network, closed)
			}
			return d.DialContext(ctx, network, addr)
		},
		DisableKeepAlives: true,
	}
	return &http.Client{Transport: tr}, &dials
}

func TestCreateRetriedOnConnectionRefused(t *testing.T) {
	hc, dials := refusingDialer(t, 2)
	f := newFixture(t, vast.WithHTTPClient(hc))
	f.srv.AddOffers(map[string]any{"id": 1, "dph_total": 0.3})
	id, err := f.client.CreateInstance(context.Background(), 1, vast.CreateRequest{Image: "img", Label: "samwise-alice"})
	if err != nil {
		t.Fatalf("create through two refused connections: %v", err)
	}
	if dials.Load() != 3 || len(f.srv.Instances()) != 1 || f.srv.Instance(id) == nil {
		t.Fatalf("dials = %d, instances = %d; want 3 dials and one instance", dials.Load(), len(f.srv.Instances()))
	}
}

func TestConnectionRefusedEverywhereIsUnavailable(t *testing.T) {
	hc, dials := refusingDialer(t, 1000)
	f := newFixture(t, vast.WithHTTPClient(hc))
	_, err := f.client.SearchOffers(context.Background(), vast.OfferQuery{})
	if !errors.Is(err, vast.ErrUnavailable) || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Fatalf("err = %v, want ErrUnavailable after 4 attempts", err)
	}
	if dials.Load() != int32(fastRetry.MaxRetries+1) {
		t.Fatalf("dials = %d, want %d", dials.Load(), fastRetry.MaxRetries+1)
	}
}

func TestHungAttemptIsRetried(t *testing.T) {
	// The attempt timeout is the only clock here: a hung request is abandoned after it and
	// the next attempt answers at once. Nothing asserts on durations.
	f := newFixture(t, vast.WithAttemptTimeout(50*time.Millisecond))
	f.srv.AddInstance(map[string]any{"label": "x"})
	f.srv.Inject(vasttest.Fault{Method: "GET", Hang: true, Times: 1})
	if _, err := f.client.ShowInstance(context.Background(), 7001); err != nil {
		t.Fatalf("show after one hung attempt: %v", err)
	}
	if n := f.srv.Count("GET", "/api/v0/instances/"); n != 2 {
		t.Fatalf("%d attempts, want 2", n)
	}
	// A hung create is not retried: the server may have acted on it.
	f.srv.AddOffers(map[string]any{"id": 1})
	f.srv.Inject(vasttest.Fault{Method: "PUT", Hang: true, Times: 1})
	if _, err := f.client.CreateInstance(context.Background(), 1, vast.CreateRequest{Image: "i", Label: "l"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hung create = %v, want a deadline error", err)
	}
	if n := f.srv.Count("PUT", "/api/v0/asks/"); n != 1 {
		t.Fatalf("hung create attempted %d times, want 1", n)
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	slow := vast.RetryPolicy{MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour, Multiplier: 1}
	f := newFixture(t, vast.WithRetryPolicy(slow))
	f.srv.Inject(vasttest.Fault{Status: 503, Times: 100})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.client.SearchOffers(ctx, vast.OfferQuery{})
		done <- err
	}()
	// Cancel once the first attempt has been answered; the client is then waiting an hour.
	for f.srv.Count("POST", "/api/v0/bundles/") == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := f.srv.Count("POST", "/api/v0/bundles/"); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
}

func TestBaseURLWithoutV0CannotList(t *testing.T) {
	c := vast.New(testKey, vast.WithBaseURL("http://127.0.0.1:1/custom"))
	_, err := c.ListInstances(context.Background())
	if err == nil || !strings.Contains(err.Error(), "/v0") {
		t.Fatalf("ListInstances = %v, want an error about the base URL", err)
	}
}
