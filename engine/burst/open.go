package burst

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"time"

	"github.com/samwise-app/samwise/engine/api"
	"github.com/samwise-app/samwise/engine/config"
	"github.com/samwise-app/samwise/engine/secret"
	"github.com/samwise-app/samwise/remote/credentials"
	"github.com/samwise-app/samwise/remote/objstore"
	"github.com/samwise-app/samwise/remote/vast"
	"github.com/samwise-app/samwise/remote/worker"
)

// Open builds the service from the engine's settings. With burst off it only estimates;
// otherwise it opens the secrets store, the object store and the worker pool (Vast or the
// gateway), failing with what to set when something is missing.
func Open(cfg config.Config, log *slog.Logger) (*Service, error) {
	r := cfg.Remote
	bc := Config{Policy: r.Burst, Threshold: r.BurstThreshold, Speed: LoadSpeed(cfg.Path("burst", "speed.json")), MaxDPH: r.VastMaxDPH, Log: log}
	if r.Burst == api.BurstOff {
		return New(bc)
	}
	creds, err := credentials.Open(r.Secrets, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	get := func(name string, v secret.Secret) secret.Secret {
		if err != nil {
			return ""
		}
		var out secret.Secret
		out, err = credentials.Resolve(creds, name, v)
		return out
	}
	accessKey := get(credentials.R2AccessKeyID, r.R2AccessKeyID)
	secretKey := get(credentials.R2SecretAccessKey, r.R2SecretAccessKey)
	vastKey := get(credentials.VastAPIKey, r.VastAPIKey)
	tunnelToken := get(credentials.WorkerTunnelToken, r.WorkerTunnelToken)
	gatewayToken := get(credentials.GatewayToken, r.GatewayToken)
	if err != nil {
		return nil, err
	}
	var missing []error
	need := func(name string, v secret.Secret) {
		if !v.IsSet() {
			missing = append(missing, fmt.Errorf("burst %s needs the secret %s: engine secrets set %s (or its environment variable, see engine config)", r.Burst, name, name))
		}
	}
	need(credentials.R2AccessKeyID, accessKey)
	need(credentials.R2SecretAccessKey, secretKey)
	if r.BurstVia == "gateway" {
		need(credentials.GatewayToken, gatewayToken)
	} else {
		need(credentials.VastAPIKey, vastKey)
		need(credentials.WorkerTunnelToken, tunnelToken)
	}
	if len(missing) > 0 {
		return nil, errors.Join(missing...)
	}
	store, err := objstore.New(objstore.Config{Endpoint: r.R2Endpoint, Bucket: r.R2Bucket, Prefix: r.R2Prefix,
		AccessKeyID: accessKey.Reveal(), SecretAccessKey: secretKey, UsePathStyle: r.R2PathStyle}, objstore.WithLogger(log))
	if err != nil {
		return nil, err
	}
	bc.Store, bc.Via = store, r.BurstVia
	if r.BurstVia == "gateway" {
		bc.Pool, err = worker.NewGateway(worker.GatewayConfig{URL: r.GatewayURL, Token: gatewayToken,
			WarmupTimeout: r.WorkerWarmupTimeout, PollInterval: r.WorkerPoll, Log: log})
	} else {
		owner := r.BurstOwner
		if owner == "" {
			owner = DefaultOwner()
		}
		bc.Pool, err = worker.New(worker.Config{
			Vast: vast.New(vastKey, vast.WithBaseURL(r.VastURL), vast.WithLogger(log)),
			Offers: vast.OfferQuery{MinGPURAMGB: r.VastMinGPURAMGB, MinReliability: r.VastMinReliability, MaxDPH: r.VastMaxDPH,
				MinCUDA: r.VastMinCUDA, GPUNames: r.VastGPUNames, NumGPUs: 1},
			Image: r.WorkerImage, DiskGB: float64(r.WorkerDiskGB), Owner: worker.CleanOwner(owner), Session: newSession(),
			URL: r.WorkerURL, TunnelToken: tunnelToken,
			WarmupTimeout: r.WorkerWarmupTimeout, IdleTimeout: r.WorkerIdleTimeout, MaxLifetime: r.WorkerMaxLifetime,
			DeadmanMargin: min(r.WorkerIdleTimeout/2, 2*time.Minute), PollInterval: r.WorkerPoll, Log: log,
		})
	}
	if err != nil {
		return nil, err
	}
	return New(bc)
}

// DefaultOwner names this user on this machine for worker labels.
func DefaultOwner() string {
	name := "user"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	owner := worker.CleanOwner(name + host)
	if owner == "" {
		return "samwise"
	}
	return owner
}

// newSession names this engine run in worker labels.
func newSession() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}
