package vast_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/samwise-app/samwise/internal/syncbuf"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/vast/vasttest"
)

const testKey = "vk-0123456789abcdef-secret"

// fastRetry keeps the retry counts of the default policy's shape but waits microseconds.
var fastRetry = vast.RetryPolicy{MaxRetries: 3, BaseDelay: time.Microsecond, MaxDelay: 10 * time.Microsecond, Multiplier: 2}

type fixture struct {
	srv    *vasttest.Server
	client *vast.Client
	logs   *syncbuf.Buffer
}

func newFixture(t *testing.T, opts ...vast.Option) *fixture {
	t.Helper()
	srv := vasttest.NewServer(testKey)
	t.Cleanup(srv.Close)
	logs := &syncbuf.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	all := append([]vast.Option{
		vast.WithBaseURL(srv.BaseURL()),
		vast.WithRetryPolicy(fastRetry),
		vast.WithLogger(logger),
	}, opts...)
	return &fixture{srv: srv, client: vast.New(testKey, all...), logs: logs}
}

// offers is a small marketplace: ids 1..6.
func (f *fixture) addOffers() {
	f.srv.AddOffers(
		map[string]any{"id": 1, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.42, "reliability": 0.995, "cuda_max_good": 12.4, "inet_down": 900, "disk_space": 200},
		map[string]any{"id": 2, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.31, "reliability": 0.991, "cuda_max_good": 12.2, "inet_down": 500, "disk_space": 100},
		map[string]any{"id": 3, "gpu_name": "RTX 3090", "num_gpus": 1, "gpu_ram": 24576, "dph_total": 0.18, "reliability": 0.97, "cuda_max_good": 12.1, "inet_down": 300, "disk_space": 80},
		map[string]any{"id": 4, "gpu_name": "RTX 3060", "num_gpus": 1, "gpu_ram": 12288, "dph_total": 0.06, "reliability": 0.999, "cuda_max_good": 12.4, "inet_down": 800, "disk_space": 50},
		map[string]any{"id": 5, "gpu_name": "H100 SXM", "num_gpus": 2, "gpu_ram": 81559, "dph_total": 4.10, "reliability": 0.999, "cuda_max_good": 12.6, "inet_down": 5000, "disk_space": 900},
		map[string]any{"id": 6, "gpu_name": "RTX 4090", "num_gpus": 1, "gpu_ram": 24564, "dph_total": 0.25, "reliability": 0.999, "cuda_max_good": 12.4, "inet_down": 700, "disk_space": 100, "verified": false},
	)
}
