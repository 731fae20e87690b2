// Package config holds every engine setting in one place: defaults, the
// environment variable and flag that set each, and validation. `engine
// config` prints the table.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// Config is the engine's configuration.
type Config struct {
	Listen          string
	DataDir         string
	Token           secret.Secret
	UI              bool
	UIDir           string
	ORTLibrary      string
	Provider        string
	Threads         int
	Model           string
	VideoModel      string
	ConceptModel    string
	CORSOrigins     []string
	MaxBodyMB       int
	CacheMemMB      int
	CacheDiskMB     int
	HFEndpoint      string
	HFToken         secret.Secret
	AllowLocalPaths bool
	LogLevel        string
	LogFormat       string
	SessionTTL      time.Duration
	SessionMemMB    int
	Jobs            int
	// Remote holds the remote burst settings (remote.go).
	Remote Remote
}

// Default returns the defaults.
func Default() Config {
	return Config{
		Listen:       "127.0.0.1:8321",
		DataDir:      DefaultDataDir(),
		Provider:     "auto",
		MaxBodyMB:    512,
		CacheMemMB:   1024,
		CacheDiskMB:  4096,
		HFEndpoint:   "https://huggingface.co",
		LogLevel:     "info",
		LogFormat:    "json",
		SessionTTL:   30 * time.Minute,
		SessionMemMB: 2048,
		Jobs:         1,
		Remote:       DefaultRemote(),
	}
}

// DefaultDataDir is the per-user data directory: $XDG_DATA_HOME/samwise or
// ~/.local/share/samwise on Linux, ~/Library/Application Support/Samwise on
// macOS, %AppData%\Samwise on Windows.
func DefaultDataDir() string { return defaultDataDir() }

// Setting describes one configuration knob.
type Setting struct {
	Name        string
	Env         string
	Flag        string
	Description string
	value       flag.Value
}

// Value renders the current value (secrets redacted).
func (s Setting) Value() string { return s.value.String() }

// Settings lists every setting bound to c's fields.
func (c *Config) Settings() []Setting {
	return append([]Setting{
		{"listen", "SAMWISE_LISTEN", "listen", "address to listen on (host:port; port 0 picks a free one); non-loopback addresses require a token", (*stringValue)(&c.Listen)},
		{"data_dir", "SAMWISE_DATA_DIR", "data-dir", "where models, media, caches and the database live", (*stringValue)(&c.DataDir)},
		{"token", "SAMWISE_TOKEN", "token", "bearer token required on /v1 routes (required for non-loopback listeners)", (*secretValue)(&c.Token)},
		{"ui", "SAMWISE_UI", "ui", "serve the annotator web UI at /", (*boolValue)(&c.UI)},
		{"ui_dir", "SAMWISE_UI_DIR", "ui-dir", "the built frontend to serve with --ui (default: ui/ beside the binary, else frontend/dist of the source tree)", (*stringValue)(&c.UIDir)},
		{"ort_library", "SAMWISE_ORT_LIB", "ort-lib", "path to the ONNX Runtime shared library (default: search beside the binary, then build/lib)", (*stringValue)(&c.ORTLibrary)},
		{"provider", "SAMWISE_PROVIDER", "provider", "execution provider: auto, cpu, coreml or cuda", (*stringValue)(&c.Provider)},
		{"threads", "SAMWISE_THREADS", "threads", "ONNX Runtime intra-op threads per graph (0: runtime default)", (*intValue)(&c.Threads)},
		{"model", "SAMWISE_MODEL", "model", "bundle for point/box prompts on images (default: the best installed sam3-tracker, else the demo)", (*stringValue)(&c.Model)},
		{"video_model", "SAMWISE_VIDEO_MODEL", "video-model", "bundle for tracking through video (default: the best installed sam3-video, else the demo)", (*stringValue)(&c.VideoModel)},
		{"concept_model", "SAMWISE_CONCEPT_MODEL", "concept-model", "bundle for text and exemplar prompts (default: the best installed sam3-concept, else the demo)", (*stringValue)(&c.ConceptModel)},
		{"cors_origins", "SAMWISE_CORS_ORIGINS", "cors-origins", "comma-separated origins allowed to call the API from a browser", (*listValue)(&c.CORSOrigins)},
		{"max_body_mb", "SAMWISE_MAX_BODY_MB", "max-body-mb", "largest request body accepted, in MiB (uploads included)", (*intValue)(&c.MaxBodyMB)},
		{"cache_mem_mb", "SAMWISE_CACHE_MEM_MB", "cache-mem-mb", "in-memory embedding cache budget, in MiB", (*intValue)(&c.CacheMemMB)},
		{"cache_disk_mb", "SAMWISE_CACHE_DISK_MB", "cache-disk-mb", "on-disk embedding cache budget, in MiB", (*intValue)(&c.CacheDiskMB)},
		{"hf_endpoint", "SAMWISE_HF_ENDPOINT", "hf-endpoint", "Hugging Face hub to pull models from", (*stringValue)(&c.HFEndpoint)},
		{"hf_token", "HF_TOKEN", "hf-token", "Hugging Face token for gated repositories", (*secretValue)(&c.HFToken)},
		{"allow_local_paths", "SAMWISE_ALLOW_LOCAL_PATHS", "allow-local-paths", `accept {"path": ...} in POST /v1/media (the desktop app sets it)`, (*boolValue)(&c.AllowLocalPaths)},
		{"log_level", "SAMWISE_LOG_LEVEL", "log-level", "debug, info, warn or error", (*stringValue)(&c.LogLevel)},
		{"log_format", "SAMWISE_LOG_FORMAT", "log-format", "json or text", (*stringValue)(&c.LogFormat)},
		{"session_ttl", "SAMWISE_SESSION_TTL", "session-ttl", "idle time after which a video session's memory is released", (*durationValue)(&c.SessionTTL)},
		{"session_mem_mb", "SAMWISE_SESSION_MEM_MB", "session-mem-mb", "memory budget for live video sessions, in MiB (least recently used are evicted)", (*intValue)(&c.SessionMemMB)},
		{"jobs", "SAMWISE_JOBS", "jobs", "background jobs that may run at once", (*intValue)(&c.Jobs)},
	}, c.remoteSettings()...)
}

// Load applies environment variables (getenv, usually os.Getenv) then flags
// (args) on top of c, and validates. Only the named settings are registered
// as flags when only is non-empty.
func (c *Config) Load(fs *flag.FlagSet, args []string, getenv func(string) string, only ...string) error {
	want := map[string]bool{}
	for _, n := range only {
		want[n] = true
	}
	for _, s := range c.Settings() {
		if v := getenv(s.Env); v != "" {
			if err := s.value.Set(v); err != nil {
				return fmt.Errorf("%s=%q: %w", s.Env, v, err)
			}
		}
		if len(want) == 0 || want[s.Name] {
			fs.Var(s.value, s.Flag, s.Description+" (env "+s.Env+")")
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	return c.Validate()
}

// Validate checks settings for consistency.
func (c *Config) Validate() error {
	var errs []error
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		errs = append(errs, fmt.Errorf("listen %q: want host:port (%v)", c.Listen, err))
	} else if !IsLoopback(host) && !c.Token.IsSet() {
		errs = append(errs, fmt.Errorf("listen %q is not a loopback address: set a token (SAMWISE_TOKEN or --token)", c.Listen))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir is empty: set SAMWISE_DATA_DIR or --data-dir"))
	}
	switch c.Provider {
	case "auto", "cpu", "coreml", "cuda":
	default:
		errs = append(errs, fmt.Errorf("provider %q: use auto, cpu, coreml or cuda", c.Provider))
	}
	for _, v := range []struct {
		name string
		n    int
		min  int
	}{{"threads", c.Threads, 0}, {"max_body_mb", c.MaxBodyMB, 1}, {"cache_mem_mb", c.CacheMemMB, 0}, {"cache_disk_mb", c.CacheDiskMB, 0}, {"session_mem_mb", c.SessionMemMB, 64}, {"jobs", c.Jobs, 1}} {
		if v.n < v.min {
			errs = append(errs, fmt.Errorf("%s = %d: must be at least %d", v.name, v.n, v.min))
		}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log_level %q: use debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		errs = append(errs, fmt.Errorf("log_format %q: use json or text", c.LogFormat))
	}
	if c.SessionTTL <= 0 {
		errs = append(errs, fmt.Errorf("session_ttl %s: must be positive", c.SessionTTL))
	}
	errs = append(errs, c.Remote.validate()...)
	return errors.Join(errs...)
}

// IsLoopback reports whether host is a loopback name or address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Print writes the settings table.
func (c *Config) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tENV\tFLAG\tVALUE\tDESCRIPTION")
	ss := c.Settings()
	for _, s := range ss {
		fmt.Fprintf(tw, "%s\t%s\t--%s\t%s\t%s\n", s.Name, s.Env, s.Flag, s.Value(), s.Description)
	}
	return tw.Flush()
}

// Path joins elements under the data directory.
func (c *Config) Path(elem ...string) string {
	return filepath.Join(append([]string{c.DataDir}, elem...)...)
}

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }

type secretValue secret.Secret

func (v *secretValue) String() string     { return secret.Secret(*v).String() }
func (v *secretValue) Set(s string) error { *v = secretValue(s); return nil }

type boolValue bool

func (v *boolValue) String() string { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	*v = boolValue(b)
	return nil
}
func (v *boolValue) IsBoolFlag() bool { return true }

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want an integer")
	}
	*v = intValue(n)
	return nil
}

type durationValue time.Duration

func (v *durationValue) String() string { return time.Duration(*v).String() }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("want a duration such as 30m or 90s")
	}
	*v = durationValue(d)
	return nil
}

type listValue []string

func (v *listValue) String() string { return strings.Join(*v, ",") }
func (v *listValue) Set(s string) error {
	*v = nil
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*v = append(*v, p)
		}
	}
	return nil
}

func home() string {
	h, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	return h
}
