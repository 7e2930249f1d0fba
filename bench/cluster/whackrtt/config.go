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
	Games int
	Nodes int
	Mode  string
	React time.Duration
	members.RunFlags
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("whackrtt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.Games, "games", 90, "concurrent solo games in each run (one-member, then cluster)")
	fs.IntVar(&c.Nodes, "nodes", 3, "members of the cluster run")
	fs.StringVar(&c.Mode, "mode", "classic", "game mode")
	fs.DurationVar(&c.React, "react", 250*time.Millisecond, "delay from a game:mole to its whack")
	c.Register(fs, 6*time.Minute)
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
	check(c.Games >= 1 && c.Games <= 5000, "-games must be in 1..5000")
	check(c.Nodes >= 2 && c.Nodes <= 9, "-nodes must be in 2..9")
	check(c.Mode != "", "-mode must not be empty")
	check(c.React >= 100*time.Millisecond, "-react must be at least 100ms (faster whacks are rejected as inhuman)")
	check(c.Timeout > 0, "-timeout must be positive")
	return errors.Join(errs...)
}
