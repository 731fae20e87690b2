package config

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/samwise-app/samwise/engine/secret"
)

// Remote holds the remote burst settings (docs/remote.md): where heavy video jobs run,
// how the GPU worker is rented and reached, the object store media and results travel
// through, and — on the worker itself — the tunnel and the dead-man switch. Secrets left
// empty here are read from the OS keychain or the data directory's secrets file (engine
// secrets).
type Remote struct {
	Burst          string
	BurstThreshold time.Duration
	BurstVia       string
	BurstOwner     string

	WorkerURL           string
	WorkerImage         string
	WorkerTunnelToken   secret.Secret
	WorkerIdleTimeout   time.Duration
	WorkerMaxLifetime   time.Duration
	WorkerWarmupTimeout time.Duration
	WorkerPoll          time.Duration
	WorkerDiskGB        int

	VastURL            string
	VastAPIKey         secret.Secret
	VastMaxDPH         float64
	VastMinGPURAMGB    float64
	VastMinReliability float64
	VastMinCUDA        float64
	VastGPUNames       []string

	GatewayURL   string
	GatewayToken secret.Secret

	R2Endpoint        string
	R2Bucket          string
	R2Prefix          string
	R2AccessKeyID     secret.Secret
	R2SecretAccessKey secret.Secret
	R2PathStyle       bool

	Secrets string

	Tunnel         bool
	Cloudflared    string
	TunnelMetrics  string
	IdleTimeoutS   int
	AllowMediaURLs bool
}

// DefaultRemote returns the remote defaults: burst off.
func DefaultRemote() Remote {
	return Remote{
		Burst: "off", BurstThreshold: 10 * time.Minute, BurstVia: "vast",
		WorkerIdleTimeout: 5 * time.Minute, WorkerMaxLifetime: 2 * time.Hour, WorkerWarmupTimeout: 15 * time.Minute,
		WorkerPoll: 10 * time.Second, WorkerDiskGB: 20,
		VastURL: "https://console.vast.ai/api/v0", VastMaxDPH: 1.0, VastMinGPURAMGB: 16, VastMinReliability: 0.98, VastMinCUDA: 12.2,
		Secrets: "auto", Cloudflared: "cloudflared", TunnelMetrics: "127.0.0.1:20241",
	}
}

// remoteSettings lists the remote settings bound to c.Remote.
func (c *Config) remoteSettings() []Setting {
	r := &c.Remote
	return []Setting{
		{"burst", "SAMWISE_BURST", "burst", "where heavy video jobs run: off (here), ask (over the threshold the API asks), auto (over the threshold on the GPU worker)", (*stringValue)(&r.Burst)},
		{"burst_threshold", "SAMWISE_BURST_THRESHOLD", "burst-threshold", "estimated local run time above which a job goes to the GPU worker (auto) or asks (ask)", (*durationValue)(&r.BurstThreshold)},
		{"burst_via", "SAMWISE_BURST_VIA", "burst-via", "how workers are rented: vast (this engine calls Vast) or gateway (the Cloudflare control plane, remote/gateway)", (*stringValue)(&r.BurstVia)},
		{"burst_owner", "SAMWISE_BURST_OWNER", "burst-owner", "owner named in worker labels samwise-<owner>-<session>, for reaping orphans (default: user and host name)", (*stringValue)(&r.BurstOwner)},
		{"worker_url", "SAMWISE_WORKER_URL", "worker-url", "the worker's public URL: the named tunnel's hostname, e.g. https://gpu.example.com", (*stringValue)(&r.WorkerURL)},
		{"worker_image", "SAMWISE_WORKER_IMAGE", "worker-image", "Docker image of the worker (build/docker/Dockerfile)", (*stringValue)(&r.WorkerImage)},
		{"worker_tunnel_token", "SAMWISE_WORKER_TUNNEL_TOKEN", "worker-tunnel-token", "tunnel token handed to each worker for its cloudflared (build/create-tunnel.sh prints it; or engine secrets set)", (*secretValue)(&r.WorkerTunnelToken)},
		{"worker_idle_timeout", "SAMWISE_WORKER_IDLE_TIMEOUT", "worker-idle-timeout", "a worker unused this long is destroyed (its dead-man switch fires a little later)", (*durationValue)(&r.WorkerIdleTimeout)},
		{"worker_max_lifetime", "SAMWISE_WORKER_MAX_LIFETIME", "worker-max-lifetime", "a worker is destroyed after this long, busy or not", (*durationValue)(&r.WorkerMaxLifetime)},
		{"worker_warmup_timeout", "SAMWISE_WORKER_WARMUP_TIMEOUT", "worker-warmup-timeout", "a worker not ready this long after creation is destroyed", (*durationValue)(&r.WorkerWarmupTimeout)},
		{"worker_poll", "SAMWISE_WORKER_POLL", "worker-poll", "how often a warming worker is probed and the worker timers run", (*durationValue)(&r.WorkerPoll)},
		{"worker_disk_gb", "SAMWISE_WORKER_DISK_GB", "worker-disk-gb", "container disk of a worker, in GB (models and media)", (*intValue)(&r.WorkerDiskGB)},
		{"vast_url", "SAMWISE_VAST_URL", "vast-url", "the Vast.ai API root (v0)", (*stringValue)(&r.VastURL)},
		{"vast_api_key", "SAMWISE_VAST_API_KEY", "vast-api-key", "Vast.ai API key (better: engine secrets set vast_api_key)", (*secretValue)(&r.VastAPIKey)},
		{"vast_max_dph", "SAMWISE_VAST_MAX_DPH", "vast-max-dph", "price cap of a worker, in dollars per hour", (*floatValue)(&r.VastMaxDPH)},
		{"vast_min_gpu_ram_gb", "SAMWISE_VAST_MIN_GPU_RAM_GB", "vast-min-gpu-ram-gb", "least GPU memory of a worker, in GB", (*floatValue)(&r.VastMinGPURAMGB)},
		{"vast_min_reliability", "SAMWISE_VAST_MIN_RELIABILITY", "vast-min-reliability", "least host reliability, 0..1", (*floatValue)(&r.VastMinReliability)},
		{"vast_min_cuda", "SAMWISE_VAST_MIN_CUDA", "vast-min-cuda", "least CUDA version the host driver supports (the image needs CUDA 12)", (*floatValue)(&r.VastMinCUDA)},
		{"vast_gpu_names", "SAMWISE_VAST_GPU_NAMES", "vast-gpu-names", `comma-separated GPU models to accept, as Vast names them ("RTX 4090"); empty: any`, (*listValue)(&r.VastGPUNames)},
		{"gateway_url", "SAMWISE_GATEWAY_URL", "gateway-url", "the gateway's URL (burst_via gateway)", (*stringValue)(&r.GatewayURL)},
		{"gateway_token", "SAMWISE_GATEWAY_TOKEN", "gateway-token", "client token of the gateway (better: engine secrets set gateway_token)", (*secretValue)(&r.GatewayToken)},
		{"r2_endpoint", "SAMWISE_R2_ENDPOINT", "r2-endpoint", "S3 endpoint media and results travel through: https://<account_id>.r2.cloudflarestorage.com", (*stringValue)(&r.R2Endpoint)},
		{"r2_bucket", "SAMWISE_R2_BUCKET", "r2-bucket", "the bucket", (*stringValue)(&r.R2Bucket)},
		{"r2_prefix", "SAMWISE_R2_PREFIX", "r2-prefix", `key prefix inside the bucket, ending in "/" (empty: the bucket root)`, (*stringValue)(&r.R2Prefix)},
		{"r2_access_key_id", "SAMWISE_R2_ACCESS_KEY_ID", "r2-access-key-id", "R2 API token access key id (better: engine secrets set r2_access_key_id)", (*secretValue)(&r.R2AccessKeyID)},
		{"r2_secret_access_key", "SAMWISE_R2_SECRET_ACCESS_KEY", "r2-secret-access-key", "R2 API token secret (better: engine secrets set r2_secret_access_key)", (*secretValue)(&r.R2SecretAccessKey)},
		{"r2_path_style", "SAMWISE_R2_PATH_STYLE", "r2-path-style", "address the bucket in the URL path (local S3 servers need it)", (*boolValue)(&r.R2PathStyle)},
		{"secrets", "SAMWISE_SECRETS", "secrets", "where engine secrets keeps secrets: auto (the OS keychain if one answers, else the file), keychain, or file (<data_dir>/secrets.json, 0600)", (*stringValue)(&r.Secrets)},
		{"tunnel", "SAMWISE_TUNNEL", "tunnel", "on a worker: run cloudflared with the token in TUNNEL_TOKEN and supervise it", (*boolValue)(&r.Tunnel)},
		{"cloudflared", "SAMWISE_CLOUDFLARED", "cloudflared", "the cloudflared binary --tunnel runs", (*stringValue)(&r.Cloudflared)},
		{"tunnel_metrics", "SAMWISE_TUNNEL_METRICS", "tunnel-metrics", "loopback address of cloudflared's metrics server (its /ready is the tunnel's readiness)", (*stringValue)(&r.TunnelMetrics)},
		{"idle_timeout_s", "SAMWISE_IDLE_TIMEOUT_S", "idle-timeout-s", "on a Vast worker (CONTAINER_ID and CONTAINER_API_KEY set): destroy the instance after this many seconds without a client request (0: off)", (*intValue)(&r.IdleTimeoutS)},
		{"allow_media_urls", "SAMWISE_ALLOW_MEDIA_URLS", "allow-media-urls", `accept {"url": ...} in POST /v1/media: the engine downloads the file (GPU workers)`, (*boolValue)(&r.AllowMediaURLs)},
	}
}

// validate checks the remote settings; secrets are checked when the burst service opens,
// since they may come from the keychain.
func (r Remote) validate() []error {
	var errs []error
	switch r.Burst {
	case "off", "ask", "auto":
	default:
		errs = append(errs, fmt.Errorf("burst %q: use off, ask or auto", r.Burst))
	}
	switch r.BurstVia {
	case "vast", "gateway":
	default:
		errs = append(errs, fmt.Errorf("burst_via %q: use vast or gateway", r.BurstVia))
	}
	switch r.Secrets {
	case "auto", "keychain", "file":
	default:
		errs = append(errs, fmt.Errorf("secrets %q: use auto, keychain or file", r.Secrets))
	}
	if r.BurstThreshold < 0 {
		errs = append(errs, fmt.Errorf("burst_threshold %s: must not be negative", r.BurstThreshold))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"worker_idle_timeout", r.WorkerIdleTimeout}, {"worker_max_lifetime", r.WorkerMaxLifetime}, {"worker_warmup_timeout", r.WorkerWarmupTimeout}, {"worker_poll", r.WorkerPoll}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s %s: must be positive", d.name, d.v))
		}
	}
	if r.VastMinReliability < 0 || r.VastMinReliability > 1 {
		errs = append(errs, fmt.Errorf("vast_min_reliability %g: must be between 0 and 1", r.VastMinReliability))
	}
	if r.IdleTimeoutS < 0 {
		errs = append(errs, fmt.Errorf("idle_timeout_s %d: must be 0 (off) or positive", r.IdleTimeoutS))
	}
	if r.WorkerDiskGB < 10 {
		errs = append(errs, fmt.Errorf("worker_disk_gb %d: at least 10", r.WorkerDiskGB))
	}
	if r.Burst == "off" {
		return errs
	}
	need := func(name, v string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("burst %s needs %s (see docs/remote.md)", r.Burst, name))
		}
	}
	if r.BurstVia == "gateway" {
		need("gateway_url", r.GatewayURL)
	} else {
		need("worker_url", r.WorkerURL)
		need("worker_image", r.WorkerImage)
	}
	need("r2_endpoint", r.R2Endpoint)
	need("r2_bucket", r.R2Bucket)
	return errs
}

type floatValue float64

func (v *floatValue) String() string { return strconv.FormatFloat(float64(*v), 'g', -1, 64) }
func (v *floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("want a number")
	}
	*v = floatValue(f)
	return nil
}
