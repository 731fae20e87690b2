package secret_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/samwise-app/samwise/engine/secret"
)

func TestSecretNeverPrints(t *testing.T) {
	const value = "tok-0123456789abcdef"
	s := secret.Secret(value)
	holder := struct {
		Name string
		Key  secret.Secret
	}{"acct", s}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("m", "key", s, "holder", holder)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("m", "key", s)
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	for how, out := range map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%q": fmt.Sprintf("%q", s),
		"%x": fmt.Sprintf("%x", s), "%X": fmt.Sprintf("%X", s), "%#v": fmt.Sprintf("%#v", s),
		"%+v struct": fmt.Sprintf("%+v", holder), "%#v struct": fmt.Sprintf("%#v", holder),
		"slog": logs.String(), "json": string(js),
	} {
		if strings.Contains(out, value) || strings.Contains(strings.ToLower(out), fmt.Sprintf("%x", value)) {
			t.Errorf("%s leaks the secret: %s", how, out)
		}
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s = %q, want [redacted]", how, out)
		}
	}
	if s.Reveal() != value || !s.IsSet() || secret.Secret("").IsSet() {
		t.Fatal("Reveal or IsSet is wrong")
	}
}
