package supervisor

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

// listeningPrefix starts the line `engine serve` prints on stdout once it
// listens: "engine listening on http://127.0.0.1:PORT  model: ...".
const listeningPrefix = "engine listening on "

// maxLine bounds the bytes kept while looking for the address line.
const maxLine = 4096

// addressWatcher copies the child's stdout to the log and reports the first
// listening address it prints. Log write errors are swallowed: a full disk
// must not break the child's stdout pipe.
type addressWatcher struct {
	dst   io.Writer
	found chan *url.URL // capacity 1: the first address only
	line  []byte
	done  bool
}

func newAddressWatcher(dst io.Writer) *addressWatcher {
	return &addressWatcher{dst: dst, found: make(chan *url.URL, 1)}
}

func (a *addressWatcher) Write(p []byte) (int, error) {
	a.dst.Write(p)
	if a.done {
		return len(p), nil
	}
	a.line = append(a.line, p...)
	for {
		i := bytes.IndexByte(a.line, '\n')
		if i < 0 {
			break
		}
		if u, err := parseListening(string(a.line[:i])); err == nil {
			a.found <- u
			a.done, a.line = true, nil
			return len(p), nil
		}
		a.line = a.line[i+1:]
	}
	if len(a.line) > maxLine {
		a.line = nil
	}
	return len(p), nil
}

// parseListening extracts the engine's base URL from its listening line.
// Only a loopback http address is accepted: the app asked for one.
func parseListening(line string) (*url.URL, error) {
	_, rest, ok := strings.Cut(line, listeningPrefix)
	if !ok {
		return nil, fmt.Errorf("not a listening line")
	}
	raw, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	ip := net.ParseIP(u.Hostname())
	if u.Scheme != "http" || ip == nil || !ip.IsLoopback() || u.Port() == "" {
		return nil, fmt.Errorf("%q is not a loopback http address", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
