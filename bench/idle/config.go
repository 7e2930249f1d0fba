package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/proofstell/proofstell/bench/internal/gateway"
	"github.com/proofstell/proofstell/bench/internal/loopback"
)

// config is the idle benchmark's command line.
type config struct {
	Addr string
	// Gateway is the realtime gateway the sockets are opened on.
	Gateway      gateway.Gateway
	PID          int
	Sockets      int
	Concurrency  int
	Hold         time.Duration
	Settle       time.Duration
	Timeout      time.Duration
	DevicePrefix string
	Out          string
	// TokensOut makes the run sign in only and save the tokens there;
	// TokensIn reads them instead of signing in, so the measured process
	// can be a fresh one that served no sign-in (see measureIdle).
	TokensOut string
	TokensIn  string
}

func parseConfig(ctx context.Context, args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("idle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:3000", "server host:port (loopback only)")
	c.Gateway = gateway.WS
	fs.Var(&c.Gateway, "gateway", gateway.Usage)
	fs.IntVar(&c.PID, "pid", 0, "server process id whose VmRSS is read (required)")
	fs.IntVar(&c.Sockets, "sockets", 10_000, "idle authenticated sockets to open, one guest each")
	fs.IntVar(&c.Concurrency, "concurrency", 64, "sign-ins and handshakes in flight at once")
	fs.DurationVar(&c.Hold, "hold", 6*time.Second, "least time the sockets stay idle before the second reading (more than one server ping period)")
	fs.DurationVar(&c.Settle, "settle", 20*time.Second, "longest wait for the server's RSS to stop moving")
	fs.DurationVar(&c.Timeout, "timeout", 5*time.Minute, "hard limit of the whole run")
	fs.StringVar(&c.DevicePrefix, "device-prefix", "idle-bench-", "guest device id prefix; socket i signs in as prefix+i")
	fs.StringVar(&c.Out, "out", "", "also write the markdown report to this file")
	fs.StringVar(&c.TokensOut, "tokens-out", "", "only sign the guests in and write their access tokens to this file (no -pid needed)")
	fs.StringVar(&c.TokensIn, "tokens-in", "", "read access tokens from this file (written by -tokens-out) instead of signing in")
	if err := fs.Parse(args); err != nil {
		return config{}, fmt.Errorf("parse flags: %w", err)
	}
	if err := c.validate(); err != nil {
		return config{}, err
	}
	if err := loopback.Check(ctx, net.DefaultResolver, c.Addr); err != nil {
		return config{}, fmt.Errorf("check target: %w", err)
	}
	return c, nil
}

func (c config) validate() error {
	var errs []error
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	check(c.PID > 0 || c.TokensOut != "", "-pid is required")
	check(c.TokensOut == "" || c.TokensIn == "", "-tokens-out and -tokens-in exclude each other")
	check(c.Sockets >= 1 && c.Sockets <= 60_000, "-sockets must be in 1..60000 (one loopback source address)")
	check(c.Concurrency >= 1, "-concurrency must be at least 1")
	check(c.Hold >= 0 && c.Settle >= 0, "-hold and -settle must not be negative")
	check(c.Timeout > 0, "-timeout must be positive")
	check(len(c.DevicePrefix)+6 >= 8 && len(c.DevicePrefix) <= 100, "-device-prefix must be 2..100 characters")
	return errors.Join(errs...)
}

// deviceID is socket i's guest device, stable across runs.
func (c config) deviceID(i int) string {
	return fmt.Sprintf("%s%06d", c.DevicePrefix, i)
}
