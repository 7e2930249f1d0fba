package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/rest"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/memory"
	"github.com/proofstell/proofstell/persistence/redis"
)

// engine is the node's short-lived state: one implementation of each
// contract Redis serves in a cluster, all from Redis (REDIS_URL set) or all
// in process (persistence/memory, a single node). It is chosen once, here;
// nothing else in the node knows which.
type engine struct {
	bus         persistence.Bus
	limiter     rest.RateLimiter
	nonces      persistence.NonceStore
	revocations persistence.RevocationCache
	lockout     persistence.Lockout
	// onServerChange registers a callback for a Redis replaced under the
	// node (possibly without the revocation cache); nil in process, where
	// nothing is lost while the node lives.
	onServerChange func(func())
	// ping is the readiness check of the shared store; nil in process.
	ping  func(context.Context) error
	close func() error
}

// lockoutPolicy is the sign-in lockout's part of config.Auth.
type lockoutPolicy struct {
	limit            int
	window, duration time.Duration
}

func lockoutOf(a config.Auth) lockoutPolicy {
	return lockoutPolicy{limit: a.MaxFailedAttempts, window: a.AttemptWindow, duration: a.LockoutDuration}
}

// openEngine connects to Redis when cfg names one, else builds the
// in-process engine (config allows that only for CLUSTER_PROVIDER=single).
func openEngine(ctx context.Context, cfg config.Redis, policy lockoutPolicy, logger *slog.Logger) (*engine, error) {
	if !cfg.Shared() {
		logger.Info("REDIS_URL is empty: rate limits, lockouts, wallet nonces, the revocation cache and the event bus run in process (single node)")
		return memoryEngine(cfg, policy)
	}
	c, err := redis.Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open redis: %w", err)
	}
	lockout, err := redis.NewLockout(c, policy.limit, policy.window, policy.duration)
	if err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("lockout: %w", err)
	}
	return &engine{bus: c, limiter: c, nonces: c, revocations: c, lockout: lockout,
		onServerChange: c.OnServerChange, ping: c.Ping, close: c.Close}, nil
}

// memoryEngine is the single node's engine. Its limiter hides Reserve so
// the REST gateway asks it for every request: local leases
// (internal/budget) save Redis round trips, and there are none to save.
func memoryEngine(cfg config.Redis, policy lockoutPolicy) (*engine, error) {
	e := memory.New(memory.Options{SubscribeQueue: cfg.SubscribeQueue})
	lockout, err := memory.NewLockout(e, policy.limit, policy.window, policy.duration)
	if err != nil {
		_ = e.Close()
		return nil, fmt.Errorf("lockout: %w", err)
	}
	return &engine{bus: e, limiter: struct{ rest.RateLimiter }{e}, nonces: e, revocations: e,
		lockout: lockout, close: e.Close}, nil
}
