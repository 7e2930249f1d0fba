package members

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"time"

	"github.com/proofstell/proofstell/bench/internal/loopback"
)

// stopGrace is how long a member may take to shut down on SIGTERM.
const stopGrace = 20 * time.Second

// LaunchOptions describe one cluster run.
type LaunchOptions struct {
	Bin      string
	Size     int
	Tag      string // names the cluster, database and Redis prefix; [a-z0-9_]
	LogDir   string
	Postgres string // maintenance database URL
	Redis    string
	CPU      int
	Env      []string
}

// Launch creates a fresh migrated database and Redis prefix for the run,
// starts Size members and waits until each sees all of them. Shutdown undoes
// all of it.
func Launch(ctx context.Context, o LaunchOptions) (*Cluster, error) {
	svc := Services{
		PostgresURL: o.Postgres, Database: "proofstell_bench_" + o.Tag,
		RedisURL: o.Redis, RedisPrefix: "bench-" + o.Tag + ":",
	}
	if err := svc.Check(ctx); err != nil {
		return nil, err
	}
	if err := svc.Cleanup(ctx); err != nil { // a killed earlier run may have left them
		return nil, err
	}
	if err := svc.Prepare(ctx, o.Bin); err != nil {
		return nil, err
	}
	c, err := New(Options{Bin: o.Bin, Size: o.Size, Name: "bench-" + o.Tag, Services: svc, LogDir: o.LogDir, CPU: o.CPU, Env: o.Env})
	if err != nil {
		return nil, errors.Join(err, svc.Cleanup(context.WithoutCancel(ctx)))
	}
	if err := c.Start(ctx); err != nil {
		return nil, errors.Join(err, c.Shutdown(context.WithoutCancel(ctx)))
	}
	return c, nil
}

// Shutdown stops every member and drops the run's database and Redis keys.
func (c *Cluster) Shutdown(ctx context.Context) error {
	c.Stop(stopGrace)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return c.opts.Services.Cleanup(ctx)
}

// Check refuses PostgreSQL or Redis anywhere but on this machine.
func (s Services) Check(ctx context.Context) error {
	for _, raw := range []string{s.PostgresURL, s.RedisURL} {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("service url: %w", err)
		}
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "1")
		}
		if err := loopback.Check(ctx, net.DefaultResolver, host); err != nil {
			return fmt.Errorf("service %s: %w", u.Redacted(), err)
		}
	}
	return nil
}

// WorkDir returns dir, creating a temporary one when dir is empty; remove
// says whether the caller made it temporary (and may delete it).
func WorkDir(dir string) (path string, remove bool, err error) {
	if dir != "" {
		return dir, false, os.MkdirAll(dir, 0o750)
	}
	path, err = os.MkdirTemp("", "proofstell-cluster-bench-")
	if err != nil {
		return "", false, fmt.Errorf("make work dir: %w", err)
	}
	return path, true, nil
}
