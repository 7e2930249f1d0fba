package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/proofstell/proofstell/actors/session/detector"
)

// markdown renders the report with its conditions.
func (r report) markdown(c config, th detector.Thresholds, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Conditions: classic games (3×3, 30 s, a mole a second, up 800 ms) through the pure rules under the default limits "+
		"(lag cap 150 ms, min reaction 80 ms); RTT 20–80 ms per game, one way RTT/2 + 0–10 ms per whack; seed %d; "+
		"thresholds: at least %d won moles, so many reactions within ±%d ms of their median that a human landing there with chance %.2f "+
		"would do as well with chance ≤ %.0e, accuracy ≥ %.0f %%; "+
		"%s, %s/%s, %d CPUs, %s.\n\n",
		c.Seed, th.MinSamples, th.Band.Milliseconds(), th.HumanBandShare, th.MaxTail, th.MinAccuracy*100,
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), took.Round(time.Second))
	b.WriteString("| human-like population | games | flagged | judged (≥ min samples) | their band share p50 / p99 / max | their lowest tail | accuracy ≥ 95 % |\n|---|---:|---:|---:|---|---:|---:|\n")
	for _, h := range r.Honest {
		fmt.Fprintf(&b, "| %s | %d | **%d** | %d | %.2f / %.2f / %.2f | %.1e | %.1f %% |\n", h.Name, h.Games, h.Flagged, h.Judged,
			quantile(h.BandShares, 0.5), quantile(h.BandShares, 0.99), quantile(h.BandShares, 1), quantile(h.Tails, 0),
			100*share(h.Accuracies, 0.95))
	}
	fmt.Fprintf(&b, "\n| bot | bots | caught in game 1 | games until caught p50 / max | never caught within %d |\n|---|---:|---:|---|---:|\n", c.Cap)
	for _, k := range r.Caught {
		worst, never := k.worst()
		first := 0
		gs := make([]float64, 0, len(k.Games))
		for _, g := range k.Games {
			if g == 1 {
				first++
			}
			gs = append(gs, float64(g))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f / **%d** | %d |\n", k.Name, len(k.Games), first, quantile(gs, 0.5), worst, never)
	}
	verdict := "PASS"
	if !r.pass(c) {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\nTargets (0 false flags; fixed bot within 3 games; jittered bot within 10): **%s**\n", verdict)
	return b.String()
}

// share is the share of xs at or above at.
func share(xs []float64, at float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	n := 0
	for _, x := range xs {
		if x >= at {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}
