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
	Games   int
	Flagged int
	// Judged counts the games with enough won moles to judge.
	Judged int
	// BandShares and Tails are the judged games', Accuracies every
	// game's, for their spread.
	BandShares []float64
	Tails      []float64
	Accuracies []float64
}

// caught is after how many games the detector first flagged each bot of
// one kind; 0 means not within the cap.
type caught struct {
	Name  string
	Games []int
}

// report is the whole measurement.
type report struct {
	Honest []honest
	Caught []caught
}

// measure plays every population; the seed makes it repeatable.
func measure(c config, th detector.Thresholds) (report, error) {
	var rep report
	humans := []struct {
		name string
		make func(*rand.Rand) player
	}{
		{"loadgen bots (250–600 ms, miss 0.10, skip 0.05)", func(r *rand.Rand) player { return loadgenBot{style: loadgenStyle, rng: r} }},
		{"wider human (lognormal 200–900 ms, accuracy 70–95 %)", func(r *rand.Rand) player { return newHuman(r) }},
	}
	for i, h := range humans {
		res, err := playHonest(c, th, h.name, uint64(i), h.make) //nolint:gosec // small index
		if err != nil {
			return report{}, err
		}
		rep.Honest = append(rep.Honest, res)
	}
	bots := []struct {
		name string
		make func(*rand.Rand) player
	}{
		{"fixed 180 ms, perfect aim", func(*rand.Rand) player { return steadyBot{} }},
		{"jittered 150–300 ms, 98 % accuracy", func(r *rand.Rand) player { return jitterBot{rng: r} }},
	}
	for i, b := range bots {
		res, err := playBots(c, th, b.name, uint64(10+i), b.make) //nolint:gosec // small index
		if err != nil {
			return report{}, err
		}
		rep.Caught = append(rep.Caught, res)
	}
	return rep, nil
}

// playHonest plays c.Games games of one human-like population: players of
// ten games each, every player its own RNG stream (as loadgen's bots).
func playHonest(c config, th detector.Thresholds, name string, stream uint64, mk func(*rand.Rand) player) (honest, error) {
	h := honest{Name: name}
	for h.Games < c.Games {
		rng := rand.New(rand.NewPCG(c.Seed+stream<<32, uint64(h.Games))) //nolint:gosec // simulation
		p := mk(rng)
		for range min(10, c.Games-h.Games) {
			f, err := playGame(th, p, rng)
			if err != nil {
				return honest{}, fmt.Errorf("%s: %w", name, err)
			}
			h.Games++
			h.Accuracies = append(h.Accuracies, f.Accuracy)
			if f.Samples >= th.MinSamples {
				h.Judged++
				h.BandShares, h.Tails = append(h.BandShares, f.BandShare), append(h.Tails, f.Tail)
			}
			if f.Suspicious {
				h.Flagged++
			}
		}
	}
	return h, nil
}

// playBots plays c.Bots bots of one kind until each is caught or has
// played c.Cap games.
func playBots(c config, th detector.Thresholds, name string, stream uint64, mk func(*rand.Rand) player) (caught, error) {
	out := caught{Name: name}
	for i := range c.Bots {
		rng := rand.New(rand.NewPCG(c.Seed+stream<<32, uint64(i))) //nolint:gosec // simulation
		p := mk(rng)
		at := 0
		for n := 1; n <= c.Cap && at == 0; n++ {
			f, err := playGame(th, p, rng)
			if err != nil {
				return caught{}, fmt.Errorf("%s: %w", name, err)
			}
			if f.Suspicious {
				at = n
			}
		}
		out.Games = append(out.Games, at)
	}
	return out, nil
}

// pass reports whether the targets are met: no honest game flagged, the
// fixed bot caught within 3 games, the jittered one within 10.
func (r report) pass(config) bool {
	for _, h := range r.Honest {
		if h.Flagged > 0 {
			return false
		}
	}
	limits := []int{3, 10}
	for i, c := range r.Caught {
		if worst, never := c.worst(); never > 0 || worst > limits[i] {
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
