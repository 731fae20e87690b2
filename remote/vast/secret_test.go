package vast_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

func TestSecretNeverPrints(t *testing.T) {
	s := vast.Secret(testKey)
	holder := struct {
		Name string
		Key  vast.Secret
	}{"acct", s}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "key", s, "holder", holder)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "key", s)
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%q": fmt.Sprintf("%q", s),
		"%x": fmt.Sprintf("%x", s), "%#v": fmt.Sprintf("%#v", s), "%+v struct": fmt.Sprintf("%+v", holder),
		"%#v struct": fmt.Sprintf("%#v", holder), "String": s.String(), "slog": logs.String(), "json": string(js),
	}
	for how, out := range outputs {
		if strings.Contains(out, testKey) || strings.Contains(out, fmt.Sprintf("%x", testKey)) {
			t.Errorf("%s leaks the secret: %s", how, out)
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s = %q, want it to show [redacted]", how, out)
		}
	}
	if s.Reveal() != testKey {
		t.Fatal("Reveal lost the value")
	}
}

func TestBearerAuthOnEveryCall(t *testing.T) {
	f := newFixture(t)
	f.addOffers()
	ctx := context.Background()
	if _, err := f.client.SearchOffers(ctx, vast.OfferQuery{}); err != nil {
		t.Fatal(err)
	}
	id, err := f.client.CreateInstance(ctx, 1, vast.CreateRequest{Image: "i", Label: "samwise-a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.ShowInstance(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.ListByLabel(ctx, "samwise-a"); err != nil {
		t.Fatal(err)
	}
	if err := f.client.DestroyInstance(ctx, id); err != nil {
		t.Fatal(err)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests, want 5", len(reqs))
	}
	for _, r := range reqs {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, got)
		}
		if r.Query.Has("api_key") {
			t.Errorf("%s %s: key sent in the query string", r.Method, r.Path)
		}
		if r.Header.Get("User-Agent") == "" {
			t.Errorf("%s %s: no User-Agent", r.Method, r.Path)
		}
	}
}

func TestWrongKeyIsUnauthorizedAndNotRetried(t *testing.T) {
	f := newFixture(t)
	c := vast.New("wrong-key", vast.WithBaseURL(f.srv.BaseURL()), vast.WithRetryPolicy(fastRetry))
	_, err := c.SearchOffers(context.Background(), vast.OfferQuery{})
	if !errors.Is(err, vast.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if !strings.Contains(err.Error(), "API key") {
		t.Errorf("error %q does not say to check the key", err)
	}
	if n := len(f.srv.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

func TestLogsAndErrorsRedactTheKey(t *testing.T) {
	f := newFixture(t)
	f.addOffers()
	ctx := context.Background()
	// Retries log at warn, every request at debug; a server echoing the key in an error
	// body must not get it into the error text either.
	f.srv.Inject(vasttest.Fault{Status: 503, Times: 2})
	f.srv.Inject(vasttest.Fault{Method: "GET", Status: 400, Times: 1,
		Body: `{"error": "invalid_args", "msg": "bad key ` + testKey + `"}`})
	if _, err := f.client.SearchOffers(ctx, vast.OfferQuery{}); err != nil {
		t.Fatal(err)
	}
	_, err := f.client.ShowInstance(ctx, 1)
	var ae *vast.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	if strings.Contains(err.Error(), testKey) || strings.Contains(ae.Body, testKey) || strings.Contains(ae.Msg, testKey) {
		t.Errorf("APIError carries the key: %q / %q", err, ae.Body)
	}
	logs := f.logs.String()
	if strings.Contains(logs, testKey) {
		t.Errorf("logs contain the API key:\n%s", logs)
	}
	if !strings.Contains(logs, `"subsystem":"vast"`) || !strings.Contains(logs, "retrying") {
		t.Errorf("logs lack subsystem=vast or the retry warning:\n%s", logs)
	}
}

func TestAPIErrorSentinels(t *testing.T) {
	sentinels := []error{vast.ErrNotFound, vast.ErrUnauthorized, vast.ErrRateLimited, vast.ErrUnavailable, vast.ErrOfferTaken}
	for _, tc := range []struct {
		err  *vast.APIError
		want []error
	}{
		{&vast.APIError{Status: 404, Code: "no_such_instance"}, []error{vast.ErrNotFound}},
		{&vast.APIError{Status: 401}, []error{vast.ErrUnauthorized}},
		{&vast.APIError{Status: 403}, []error{vast.ErrUnauthorized}},
		{&vast.APIError{Status: 429}, []error{vast.ErrRateLimited}},
		{&vast.APIError{Status: 500}, []error{vast.ErrUnavailable}},
		{&vast.APIError{Status: 503}, []error{vast.ErrUnavailable}},
		{&vast.APIError{Status: 410, Code: "no_such_ask"}, []error{vast.ErrOfferTaken}},
		{&vast.APIError{Status: 404, Code: "no_such_ask"}, []error{vast.ErrNotFound, vast.ErrOfferTaken}},
		{&vast.APIError{Status: 400, Msg: "no_such_ask"}, []error{vast.ErrOfferTaken}},
		{&vast.APIError{Status: 400, Code: "invalid_args"}, nil},
	} {
		wrapped := fmt.Errorf("context: %w", tc.err)
		for _, s := range sentinels {
			want := false
			for _, w := range tc.want {
				want = want || w == s
			}
			if got := errors.Is(wrapped, s); got != want {
				t.Errorf("errors.Is(%d %s, %v) = %v, want %v", tc.err.Status, tc.err.Code, s, got, want)
			}
		}
	}
}
