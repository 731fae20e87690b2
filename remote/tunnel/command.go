package tunnel

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
)

// args is cloudflared's command line. The token is not on it: whatever can read the
// process list (or a log of the command) would see it.
func (c Config) args() []string {
	return []string{"tunnel", "--no-autoupdate", "--protocol", c.Protocol, "--metrics", c.MetricsAddr, "run"}
}

// passEnv are the only variables of the engine's environment cloudflared gets: enough to
// find files and trust the edge's certificates, and none of the engine's credentials.
var passEnv = []string{"PATH", "HOME", "TMPDIR", "TZ", "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "NO_PROXY"}

// env is cloudflared's environment: the pass-through variables plus the token.
func (c Config) env() []string {
	var env []string
	for _, k := range passEnv {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "TUNNEL_TOKEN="+c.Token.Reveal(), "NO_AUTOUPDATE=true")
}

// scrubber removes the token, and the tunnel secret encoded inside it, from text that
// cloudflared printed.
type scrubber []string

// newScrubber lists the strings to remove: the token and, when the token decodes as
// cloudflared's base64 JSON {"a": account, "s": secret, "t": tunnel id}, the secret.
func newScrubber(token string) scrubber {
	var s scrubber
	if len(token) >= 4 {
		s = append(s, token)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(token)
		if err != nil {
			continue
		}
		var tok struct {
			Secret string `json:"s"`
		}
		if json.Unmarshal(raw, &tok) == nil && len(tok.Secret) >= 4 {
			s = append(s, tok.Secret)
		}
		break
	}
	return s
}

func (s scrubber) scrub(line string) string {
	for _, v := range s {
		line = strings.ReplaceAll(line, v, "[redacted]")
	}
	return line
}
