package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/proofstell/proofstell/bench/internal/loopback"
)

// config is the matchmaking benchmark's command line.
type config struct {
	Addr string
	// PID is the server process whose CPU is read (0: not read).
	PID int
	// DB is the server's PostgreSQL (a postgres:// URL psql takes) where
	// the ratings are seeded; empty leaves every player unrated (ordinal 0).
	DB       string
	Players  int
	Duration time.Duration
	Mode     string
	Size     int
	Seed     uint64
	Wait     time.Duration
	// Idle is how long the open sockets are held idle before the first
	// join, to price their upkeep (pings, timers) apart from the queue's.
	Idle         time.Duration
	Concurrency  int
	Timeout      time.Duration
	DevicePrefix string
	Out          string
}

func parseConfig(ctx context.Context, args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("matchmaking", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:3000", "server host:port (loopback only)")
	fs.IntVar(&c.PID, "pid", 0, "server process id whose CPU is read from /proc (0: not read)")
	fs.StringVar(&c.DB, "db", "", "the server's PostgreSQL URL, for psql (loopback only): the players' ratings are seeded there; empty: nobody is rated")
	fs.IntVar(&c.Players, "players", 10_000, "players joining the queue, one guest and one socket each")
	fs.DurationVar(&c.Duration, "duration", 60*time.Second, "arrival window: the joins are spread evenly over it")
	fs.StringVar(&c.Mode, "mode", "classic", "ranked mode queued for (its ratings are seeded)")
	fs.IntVar(&c.Size, "size", 2, "players per match (matchmaking:join players), 2..8")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the rating population and of the join order")
	fs.DurationVar(&c.Wait, "wait", 60*time.Second, "longest wait after the last join for the last matches")
	fs.DurationVar(&c.Idle, "idle", 10*time.Second, "the sockets are held idle this long before the first join, to measure the server's CPU for their upkeep alone (0: not measured)")
	fs.IntVar(&c.Concurrency, "concurrency", 64, "sign-ins and handshakes in flight at once")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Minute, "hard limit of the whole run")
	fs.StringVar(&c.DevicePrefix, "device-prefix", "mm-bench-", "guest device id prefix; player i signs in as prefix+i")
	fs.StringVar(&c.Out, "out", "", "also write the markdown report to this file")
	if err := fs.Parse(args); err != nil {
		return config{}, fmt.Errorf("parse flags: %w", err)
	}
	if err := c.validate(); err != nil {
		return config{}, err
	}
	if err := loopback.Check(ctx, net.DefaultResolver, c.Addr); err != nil {
		return config{}, fmt.Errorf("check target: %w", err)
	}
	if c.DB != "" {
		u, err := url.Parse(c.DB)
		if err != nil {
			return config{}, fmt.Errorf("-db: %w", err)
		}
		port := u.Port()
		if port == "" {
			port = "5432"
		}
		if err := loopback.Check(ctx, net.DefaultResolver, net.JoinHostPort(u.Hostname(), port)); err != nil {
			return config{}, fmt.Errorf("check -db: %w", err)
		}
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
	check(c.PID >= 0, "-pid must not be negative")
	check(c.Players >= 2 && c.Players <= 60_000, "-players must be in 2..60000 (one loopback source address)")
	check(c.Duration > 0 && c.Wait >= 0 && c.Idle >= 0 && c.Timeout > 0, "-duration and -timeout must be positive, -wait and -idle not negative")
	check(c.Size >= 2 && c.Size <= 8, "-size must be 2..8")
	check(c.Mode != "", "-mode is required")
	check(c.Concurrency >= 1, "-concurrency must be at least 1")
	check(len(c.DevicePrefix)+6 >= 8 && len(c.DevicePrefix) <= 100, "-device-prefix must be 2..100 characters")
	return errors.Join(errs...)
}

// rate is the arrival rate in joins per second.
func (c config) rate() float64 { return float64(c.Players) / c.Duration.Seconds() }

// every is the time between two joins.
func (c config) every() time.Duration { return c.Duration / time.Duration(c.Players) }

// deviceID is player i's guest device, stable across runs.
func (c config) deviceID(i int) string {
	return fmt.Sprintf("%s%06d", c.DevicePrefix, i)
}
