package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// config is the caller's command line.
type config struct {
	Grains     int
	Seq        int
	Concurrent int
	Requests   int
	Rounds     int
	Warmup     int
	Timeout    time.Duration
	ReqTimeout time.Duration
	HostCPU    int
	CPUProfile string
	Out        string
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("grainreq", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.Grains, "grains", 100, "distinct grain identities on the host, asked in turn")
	fs.IntVar(&c.Seq, "seq", 20_000, "sequential requests per path (one in flight)")
	fs.IntVar(&c.Concurrent, "concurrent", 64, "workers of the concurrent measure, each with one request in flight")
	fs.IntVar(&c.Requests, "requests", 100_000, "concurrent-measure requests per path")
	fs.IntVar(&c.Rounds, "rounds", 4, "rounds the concurrent measure is split into, the paths alternating, so drift hits all alike")
	fs.IntVar(&c.Warmup, "warmup", 5_000, "uncounted requests per path before measuring")
	fs.DurationVar(&c.Timeout, "timeout", 3*time.Minute, "hard limit of the whole run")
	fs.DurationVar(&c.ReqTimeout, "request-timeout", 5*time.Second, "deadline of one request")
	fs.IntVar(&c.HostCPU, "host-cpu", -1, "pin the host member to this CPU with taskset (-1: no pinning)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write the caller's CPU profile of the measure to this file")
	fs.StringVar(&c.Out, "out", "", "also write the markdown report to this file")
	if err := fs.Parse(args); err != nil {
		return config{}, fmt.Errorf("parse flags: %w", err)
	}
	return c, c.validate()
}

func (c config) validate() error {
	var errs []error
	check := func(ok bool, msg string) {
		if !ok {
			errs = append(errs, errors.New(msg))
		}
	}
	check(c.Grains >= 1 && c.Grains <= 100_000, "-grains must be in 1..100000")
	check(c.Rounds >= 1, "-rounds must be at least 1")
	check(c.Seq >= c.Rounds && c.Requests >= c.Rounds, "-seq and -requests must be at least -rounds")
	check(c.Concurrent >= 1 && c.Concurrent <= 10_000, "-concurrent must be in 1..10000")
	check(c.Warmup >= 0, "-warmup must not be negative")
	check(c.Timeout > 0 && c.ReqTimeout > 0, "-timeout and -request-timeout must be positive")
	return errors.Join(errs...)
}
