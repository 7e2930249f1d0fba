package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/proofstell/proofstell/bench/cluster/internal/members"
)

// config is the command line.
type config struct {
	Iterations int
	Nodes      int
	Mode       string
	KillMin    time.Duration
	KillMax    time.Duration
	Wait       time.Duration
	Settle     time.Duration
	Attempts   int
	Seed       uint64
	members.RunFlags
	ServerEnv string
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("failover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.Iterations, "iterations", 20, "kills to measure")
	fs.IntVar(&c.Nodes, "nodes", 3, "cluster members")
	fs.StringVar(&c.Mode, "mode", "classic", "game mode")
	fs.DurationVar(&c.KillMin, "kill-min", 1200*time.Millisecond, "earliest kill after the game's first mole (after at least one running snapshot)")
	fs.DurationVar(&c.KillMax, "kill-max", 2500*time.Millisecond, "latest kill after the game's first mole")
	fs.DurationVar(&c.Wait, "wait", 10*time.Second, "longest wait after a kill for the game to come back")
	fs.DurationVar(&c.Settle, "settle", 1500*time.Millisecond, "least observation after a kill once the game is back, to catch a second move (the topology dropping the dead member later)")
	fs.IntVar(&c.Attempts, "attempts", 6, "games started per iteration until one lands off the player's member")
	fs.Uint64Var(&c.Seed, "seed", 1, "seed of the kill delays")
	c.Register(fs, 8*time.Minute)
	fs.StringVar(&c.ServerEnv, "server-env", "", "extra member environment, space-separated KEY=value (e.g. \"ACTOR_IO_TIMEOUT=1s\")")
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
	check(c.Iterations >= 1 && c.Iterations <= 1000, "-iterations must be in 1..1000")
	check(c.Nodes >= 2 && c.Nodes <= 9, "-nodes must be in 2..9")
	check(c.Mode != "", "-mode must not be empty")
	check(c.KillMin > 0 && c.KillMax >= c.KillMin, "need 0 < -kill-min <= -kill-max")
	check(c.Wait > 0 && c.Timeout > 0, "-wait and -timeout must be positive")
	check(c.Settle >= 0 && c.Settle < c.Wait, "need 0 <= -settle < -wait")
	check(c.Attempts >= 1, "-attempts must be at least 1")
	return errors.Join(errs...)
}
