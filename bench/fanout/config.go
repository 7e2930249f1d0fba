package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/loopback"
)

// config is the fan-out benchmark's command line.
type config struct {
	Addr         string
	RedisURL     string
	RedisPrefix  string
	Board        string
	Levels       []int
	Broadcasts   int
	Interval     time.Duration
	Wait         time.Duration
	Concurrency  int
	Timeout      time.Duration
	DevicePrefix string
	Out          string
}

func parseConfig(ctx context.Context, args []string, stderr io.Writer) (config, error) {
	var c config
	var levels string
	fs := flag.NewFlagSet("fanout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:3000", "server host:port (loopback only)")
	fs.StringVar(&c.RedisURL, "redis", "redis://127.0.0.1:6379/0", "the server's Redis (loopback only)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", "", "the server's REDIS_PREFIX (required)")
	fs.StringVar(&c.Board, "board", "daily", "leaderboard whose live updates are broadcast (global, daily, weekly, monthly)")
	fs.StringVar(&levels, "subscribers", "1000,5000", "subscriber counts to measure, ascending, comma-separated")
	fs.IntVar(&c.Broadcasts, "broadcasts", 40, "broadcasts per subscriber count")
	fs.DurationVar(&c.Interval, "interval", 100*time.Millisecond, "pause between one broadcast's last receipt and the next publish")
	fs.DurationVar(&c.Wait, "wait", 3*time.Second, "longest wait for every subscriber to receive one broadcast")
	fs.IntVar(&c.Concurrency, "concurrency", 64, "sign-ins, handshakes and subscriptions in flight at once")
	fs.DurationVar(&c.Timeout, "timeout", 5*time.Minute, "hard limit of the whole run")
	fs.StringVar(&c.DevicePrefix, "device-prefix", "fanout-bench-", "guest device id prefix; socket i signs in as prefix+i")
	fs.StringVar(&c.Out, "out", "", "also write the markdown report to this file")
	if err := fs.Parse(args); err != nil {
		return config{}, fmt.Errorf("parse flags: %w", err)
	}
	var err error
	if c.Levels, err = parseLevels(levels); err != nil {
		return config{}, err
	}
	if err := c.validate(); err != nil {
		return config{}, err
	}
	if err := loopback.Check(ctx, net.DefaultResolver, c.Addr); err != nil {
		return config{}, fmt.Errorf("check target: %w", err)
	}
	return c, nil
}

// parseLevels reads "1000,5000".
func parseLevels(s string) ([]int, error) {
	var levels []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 60_000 {
			return nil, fmt.Errorf("-subscribers: %q is not a count in 1..60000", f)
		}
		levels = append(levels, n)
	}
	if !slices.IsSorted(levels) {
		return nil, errors.New("-subscribers must be ascending")
	}
	return levels, nil
}

func (c config) validate() error {
	var errs []error
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	check(c.RedisPrefix != "", "-redis-prefix is required (the server's REDIS_PREFIX)")
	check(slices.Contains([]string{"global", "daily", "weekly", "monthly"}, c.Board), "-board must be global, daily, weekly or monthly")
	check(c.Broadcasts >= 1, "-broadcasts must be at least 1")
	check(c.Interval >= 0, "-interval must not be negative")
	check(c.Wait > 0 && c.Timeout > 0, "-wait and -timeout must be positive")
	check(c.Concurrency >= 1, "-concurrency must be at least 1")
	check(len(c.DevicePrefix) >= 2 && len(c.DevicePrefix) <= 100, "-device-prefix must be 2..100 characters")
	return errors.Join(errs...)
}

// sockets is how many sockets the largest level needs.
func (c config) sockets() int { return c.Levels[len(c.Levels)-1] }

// deviceID is socket i's guest device, stable across runs.
func (c config) deviceID(i int) string {
	return fmt.Sprintf("%s%06d", c.DevicePrefix, i)
}
