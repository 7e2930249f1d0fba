package main

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/proofstell/proofstell/actors/session/detector"
)

// honest is what the detector made of one human-like population's games.
type honest struct {
	Name    string
	Players int
	Games   int
	Flagged int
	// Rules counts the flagged games by the rule that held.
	Rules map[string]int
	// Judged counts the games with enough won moles to judge.
	Judged int
	// BandShares and Tails are the judged games', Accuracies every
	// game's, for their spread.
	BandShares []float64
	Tails      []float64
	Accuracies []float64
	// RecentTails are the pooled tails of the windows of at least two
	// games with enough won moles; Window is the most games one pooled.
	RecentTails []float64
	Window      int
}

// caught is after how many games the detector first flagged each bot of
// one kind; 0 means not within the cap.
type caught struct {
	Name string
	// Within is the target: every bot caught within this many games.
	Within int
	Games  []int
	// Rules counts the catches by the rule that held.
	Rules map[string]int
}

// report is the whole measurement.
type report struct {
	Honest []honest
	Caught []caught
}

// population is a kind of player: its name and how one is made from its
// own RNG stream; within is a cheat's target (0 for human-like players).
type population struct {
	name   string
	within int
	make   func(*rand.Rand) player
}

var humans = []population{
	{name: "loadgen bots (250–600 ms, miss 0.10, skip 0.05)", make: func(r *rand.Rand) player { return loadgenBot{style: loadgenStyle, rng: r} }},
	{name: "wider human (lognormal 200–900 ms, accuracy 70–95 %)", make: func(r *rand.Rand) player { return newHuman(r) }},
}

var cheats = []population{
	{name: "fixed 180 ms, perfect aim", within: 3, make: func(*rand.Rand) player { return steadyBot{} }},
	{name: "jittered 150–300 ms, 98 % accuracy", within: 10, make: func(r *rand.Rand) player { return jitterBot{rng: r} }},
	{name: "jittered 150–300 ms, aim spoilt in one game of three (15 % missed)", within: 10,
		make: func(r *rand.Rand) player { return newSpoiltBot(r) }},
}

// measure plays every population; the seed makes it repeatable.
func measure(c config, th detector.Thresholds) (report, error) {
	var rep report
	for i, h := range humans {
		res, err := playHonest(c, th, h, uint64(i)) //nolint:gosec // small index
		if err != nil {
			return report{}, err
		}
		rep.Honest = append(rep.Honest, res)
	}
	for i, b := range cheats {
		res, err := playBots(c, th, b, uint64(10+i)) //nolint:gosec // small index
		if err != nil {
			return report{}, err
		}
		rep.Caught = append(rep.Caught, res)
	}
	return rep, nil
}

// playHonest plays c.Games games of one human-like population: players of
// c.PerPlayer consecutive games each, every player its own RNG stream (as
// loadgen's bots) and its own history.
func playHonest(c config, th detector.Thresholds, pop population, stream uint64) (honest, error) {
	h := honest{Name: pop.name, Rules: map[string]int{}}
	for h.Games < c.Games {
		rng := rand.New(rand.NewPCG(c.Seed+stream<<32, uint64(h.Games))) //nolint:gosec // simulation
		p := newCareer(pop.make(rng), rng)
		h.Players++
		for range min(c.PerPlayer, c.Games-h.Games) {
			f, err := p.next(th)
			if err != nil {
				return honest{}, fmt.Errorf("%s: %w", pop.name, err)
			}
			h.add(th, f)
		}
	}
	return h, nil
}

// add counts one judged game.
func (h *honest) add(th detector.Thresholds, f detector.Findings) {
	h.Games++
	h.Accuracies = append(h.Accuracies, f.Accuracy)
	if f.Samples >= th.MinSamples {
		h.Judged++
		h.BandShares, h.Tails = append(h.BandShares, f.BandShare), append(h.Tails, f.Tail)
	}
	if f.Recent.Games > 1 && f.Recent.Samples >= th.MinSamples {
		h.RecentTails = append(h.RecentTails, f.Recent.Tail)
	}
	h.Window = max(h.Window, f.Recent.Games)
	if f.Suspicious {
		h.Flagged++
		h.Rules[f.Rule]++
	}
}

// playBots plays c.Bots bots of one kind, each its consecutive games with
// its history, until it is caught or has played c.Cap games.
func playBots(c config, th detector.Thresholds, pop population, stream uint64) (caught, error) {
	out := caught{Name: pop.name, Within: pop.within, Rules: map[string]int{}}
	for i := range c.Bots {
		rng := rand.New(rand.NewPCG(c.Seed+stream<<32, uint64(i))) //nolint:gosec // simulation
		p := newCareer(pop.make(rng), rng)
		at := 0
		for at == 0 && p.played < c.Cap {
			f, err := p.next(th)
			if err != nil {
				return caught{}, fmt.Errorf("%s: %w", pop.name, err)
			}
			if f.Suspicious {
				at = p.played
				out.Rules[f.Rule]++
			}
		}
		out.Games = append(out.Games, at)
	}
	return out, nil
}

// pass reports whether the targets are met: no honest game flagged, every
// bot caught within its kind's number of games.
func (r report) pass() bool {
	for _, h := range r.Honest {
		if h.Flagged > 0 {
			return false
		}
	}
	for _, c := range r.Caught {
		if worst, never := c.worst(); never > 0 || worst > c.Within {
			return false
		}
	}
	return true
}

// worst is the most games any bot lasted, and how many were never caught.
func (c caught) worst() (worst, never int) {
	for _, g := range c.Games {
		if g == 0 {
			never++
		}
		worst = max(worst, g)
	}
	return worst, never
}

// quantile is the q-th quantile (nearest rank) of xs.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}
