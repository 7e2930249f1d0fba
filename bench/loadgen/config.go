package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/proofstell/proofstell/bench/internal/gateway"
)

// config is the load generator's command line.
type config struct {
	Addr string
	// Gateway is the realtime gateway the bots play through.
	Gateway gateway.Gateway
	Games   int
	Rounds  int
	// Duration, when positive, replaces Rounds: each bot plays games back
	// to back until it elapses (counted from the end of the ramp).
	Duration     time.Duration
	Mode         string
	Ramp         time.Duration
	Timeout      time.Duration
	Seed         uint64
	Style        Style
	PingEvery    time.Duration
	DevicePrefix string
	Out          string
}

// parseConfig reads flags from args (without the program name).
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", "127.0.0.1:3000", "server host:port (loopback only)")
	c.Gateway = gateway.WS
	fs.Var(&c.Gateway, "gateway", gateway.Usage)
	fs.IntVar(&c.Games, "games", 1000, "concurrent solo games: one bot, socket and account per game")
	fs.IntVar(&c.Rounds, "rounds", 1, "games each bot plays one after another")
	fs.DurationVar(&c.Duration, "duration", 0, "play games back to back for this long after the ramp (0: play -rounds games); reports finished games/s")
	fs.StringVar(&c.Mode, "mode", "classic", "game mode (a row of game_modes)")
	fs.DurationVar(&c.Ramp, "ramp", 10*time.Second, "time over which bots connect, evenly spread")
	fs.DurationVar(&c.Timeout, "timeout", 3*time.Minute, "hard limit of the whole run")
	fs.Uint64Var(&c.Seed, "seed", 1, "RNG seed: the same seed replays the same bot decisions")
	fs.DurationVar(&c.Style.ReactMin, "react-min", 250*time.Millisecond, "fastest bot reaction to a mole")
	fs.DurationVar(&c.Style.ReactMax, "react-max", 600*time.Millisecond, "slowest bot reaction to a mole")
	fs.Float64Var(&c.Style.MissRate, "miss", 0.1, "chance a bot whacks the wrong hole")
	fs.Float64Var(&c.Style.SkipRate, "skip", 0.05, "chance a bot lets a mole go")
	fs.DurationVar(&c.PingEvery, "ping-every", 5*time.Second, "application ping period per bot (0: none); measures the gateway-only round trip")
	fs.StringVar(&c.DevicePrefix, "device-prefix", "loadgen-bot-", "guest device id prefix; bot i signs in as prefix+i")
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
	check(c.Games >= 1 && c.Games <= 100_000, "-games must be in 1..100000")
	check(c.Rounds >= 1, "-rounds must be at least 1")
	check(c.Duration >= 0, "-duration must not be negative")
	check(c.Duration == 0 || c.Timeout > c.Ramp+c.Duration, "-timeout must exceed -ramp plus -duration")
	check(c.Mode != "", "-mode must not be empty")
	check(c.Ramp >= 0, "-ramp must not be negative")
	check(c.Timeout > 0, "-timeout must be positive")
	check(c.Style.ReactMin > 0 && c.Style.ReactMax >= c.Style.ReactMin, "need 0 < -react-min <= -react-max")
	check(c.Style.MissRate >= 0 && c.Style.MissRate <= 1, "-miss must be in 0..1")
	check(c.Style.SkipRate >= 0 && c.Style.SkipRate <= 1, "-skip must be in 0..1")
	check(c.PingEvery >= 0, "-ping-every must not be negative")
	check(len(c.DevicePrefix)+6 >= 8 && len(c.DevicePrefix) <= 100, "-device-prefix must be 2..100 characters")
	return errors.Join(errs...)
}

// deviceID is bot i's guest device: stable across runs, so repeated runs
// reuse accounts instead of growing the players table.
func (c config) deviceID(i int) string {
	return fmt.Sprintf("%s%06d", c.DevicePrefix, i)
}
