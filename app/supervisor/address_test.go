package supervisor

import (
	"io"
	"strings"
	"testing"
)

func TestParseListening(t *testing.T) {
	for _, tc := range []struct {
		line, want string
	}{
		{"engine listening on http://127.0.0.1:41234  model: demo-tracker (demo)  data: /d", "http://127.0.0.1:41234"},
		{"engine listening on http://[::1]:8000", "http://[::1]:8000"},
		{"engine listening on http://10.1.2.3:8000  model: x", ""}, // not loopback
		{"engine listening on https://127.0.0.1:8000", ""},         // not what the app asked for
		{"engine listening on http://127.0.0.1", ""},               // no port
		{"engine listening on http://localhost:80", ""},            // a name, not an address
		{`{"level":"INFO","msg":"listening"}`, ""},
		{"", ""},
	} {
		u, err := parseListening(tc.line)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != tc.want {
			t.Errorf("parseListening(%q) = %q (%v), want %q", tc.line, got, err, tc.want)
		}
	}
}

func TestAddressWatcherFindsALineSplitAcrossWritesAndCopiesEverything(t *testing.T) {
	var log strings.Builder
	a := newAddressWatcher(&log)
	out := "warming up\nengine listening on http://127.0.0.1:5555  model: m\nlater line\n"
	for _, chunk := range []string{out[:5], out[5:30], out[30:58], out[58:]} {
		if n, err := a.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("write = %d, %v", n, err)
		}
	}
	select {
	case u := <-a.found:
		if u.String() != "http://127.0.0.1:5555" {
			t.Errorf("found %s", u)
		}
	default:
		t.Fatal("no address found")
	}
	if log.String() != out {
		t.Errorf("log = %q, want everything", log.String())
	}
}

func TestAddressWatcherSwallowsLogErrorsAndBoundsItsBuffer(t *testing.T) {
	a := newAddressWatcher(failingWriter{})
	long := strings.Repeat("x", 3*maxLine)
	if n, err := a.Write([]byte(long)); n != len(long) || err != nil {
		t.Fatalf("write = %d, %v (the child's pipe must not break)", n, err)
	}
	if len(a.line) > maxLine {
		t.Errorf("kept %d bytes of a line without newline", len(a.line))
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }
