// Command detector measures the consistency detector
// (actors/session/detector) on simulated games played through the pure game
// rules (actors/session/game), no server, as the session runs it: each
// player plays consecutive games and each is judged with the player's
// earlier ones. It reports how many games of human-like players it flags
// (must be none), and after how many games it catches three bots that
// react in human time with inhuman consistency, one of them spoiling its
// aim in one game of three. The human-like players are the load
// generator's own bots (bench/internal/botstyle, reaction 250–600 ms, miss
// 0.10, skip 0.05) and a wider human model (lognormal reactions clamped to
// 200–900 ms, accuracy 70–95 %). Each game is classic (3×3, 30 s, a mole a
// second, up 800 ms) under the default limits, over a simulated network: a
// round trip per game of 20–80 ms, each whack's one way half of it plus
// 0–10 ms of jitter.
//
//	go run ./bench/detector -games 10000 -bots 1000 -out bench/results/2026-12-06-detector-history.md
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/proofstell/proofstell/actors/session/detector"
)

// config is the command line.
type config struct {
	Games     int
	PerPlayer int
	Bots      int
	Cap       int
	Seed      uint64
	Out       string
}

func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("detector", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.Games, "games", 10000, "games of each human-like population, in all")
	fs.IntVar(&c.PerPlayer, "per-player", 10, "consecutive games of each human-like player, judged with its history")
	fs.IntVar(&c.Bots, "bots", 1000, "bots of each cheating kind")
	fs.IntVar(&c.Cap, "cap", 20, "games a bot plays before it counts as never caught")
	fs.Uint64Var(&c.Seed, "seed", 1, "RNG seed: the same seed replays the same games")
	fs.StringVar(&c.Out, "out", "", "also write the markdown report to this file")
	if err := fs.Parse(args); err != nil {
		return config{}, fmt.Errorf("parse flags: %w", err)
	}
	if c.Games < 1 || c.PerPlayer < 1 || c.Bots < 1 || c.Cap < 1 {
		return config{}, errors.New("-games, -per-player, -bots and -cap must be at least 1")
	}
	return c, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseConfig(args, stderr)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, err)
		return 2
	}
	began := time.Now()
	rep, err := measure(c, detector.Default())
	if err != nil {
		_, _ = fmt.Fprintln(stderr, err)
		return 1
	}
	text := rep.markdown(c, detector.Default(), time.Since(began))
	_, _ = io.WriteString(stdout, text)
	if c.Out != "" {
		if err := os.WriteFile(c.Out, []byte(text), 0o600); err != nil {
			_, _ = fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if !rep.pass() {
		return 1
	}
	return 0
}
