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
		"each player's games in a row, each judged with the player's earlier ones (newest first), human-like players %d games each; "+
		"thresholds: at least %d won moles, so many reactions within ±%d ms of their median that a human landing there with chance %.2f "+
		"would do as well with chance ≤ %.0e, with accuracy ≥ %.0f %% (rule game: this game alone; "+
		"rule recent: the last %d games pooled, with their accuracy or %d games in a row without a miss); "+
		"%s, %s/%s, %d CPUs, %s.\n\n",
		c.Seed, c.PerPlayer, th.MinSamples, th.Band.Milliseconds(), th.HumanBandShare, th.MaxTail, th.MinAccuracy*100,
		th.Window, th.MinFlawlessStreak, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), took.Round(time.Second))
	r.honestTable(&b, c)
	r.botTable(&b, c)
	verdict := "PASS"
	if !r.pass() {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\nTargets (0 false flags; %s): **%s**\n", r.targets(), verdict)
	return b.String()
}

func (r report) honestTable(b *strings.Builder, c config) {
	b.WriteString("| human-like population | players × games | flagged (by rule) | judged (≥ min samples) | their band share p50 / p99 / max | their lowest tail | lowest pooled tail (2+ games) | accuracy ≥ 95 % |\n" +
		"|---|---|---:|---:|---|---:|---:|---:|\n")
	for _, h := range r.Honest {
		fmt.Fprintf(b, "| %s | %d × %d | **%d**%s | %d | %.2f / %.2f / %.2f | %.1e | %.1e | %.1f %% |\n",
			h.Name, h.Players, c.PerPlayer, h.Flagged, byRule(h.Rules), h.Judged,
			quantile(h.BandShares, 0.5), quantile(h.BandShares, 0.99), quantile(h.BandShares, 1), quantile(h.Tails, 0),
			quantile(h.RecentTails, 0), 100*share(h.Accuracies, 0.95))
	}
}

func (r report) botTable(b *strings.Builder, c config) {
	fmt.Fprintf(b, "\n| bot | bots | caught in game 1 | games until caught p50 / max | target | caught by rule | never caught within %d |\n"+
		"|---|---:|---:|---|---:|---|---:|\n", c.Cap)
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
		fmt.Fprintf(b, "| %s | %d | %d | %.0f / **%d** | ≤ %d | game %d, recent %d | %d |\n", k.Name, len(k.Games), first,
			quantile(gs, 0.5), worst, k.Within, k.Rules[detector.RuleGame], k.Rules[detector.RuleRecent], never)
	}
}

// targets names each bot kind's target for the verdict line.
func (r report) targets() string {
	parts := make([]string, 0, len(r.Caught))
	for _, k := range r.Caught {
		parts = append(parts, fmt.Sprintf("%s within %d games", k.Name, k.Within))
	}
	return strings.Join(parts, "; ")
}

// byRule is " (game n, recent m)" for flagged games, empty for none.
func byRule(rules map[string]int) string {
	if len(rules) == 0 {
		return ""
	}
	return fmt.Sprintf(" (game %d, recent %d)", rules[detector.RuleGame], rules[detector.RuleRecent])
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
