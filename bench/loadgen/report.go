package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// judgedTarget is the p99 target of the judged-whack round trip at 1,000
// concurrent games (bench/README.md).
const judgedTarget = 5 * time.Millisecond

// writeReport renders the run as markdown.
func writeReport(w io.Writer, c config, t *tally, elapsed time.Duration) error {
	judged := t.judged.Summary()
	var b strings.Builder
	fmt.Fprintf(&b, "### Load generator: %d concurrent %q games over %s\n\n", c.Games, c.Mode, c.Gateway)
	fmt.Fprintf(&b, "Target %s over %s, %d game(s) per bot, ramp %s, reaction %s..%s, miss %.2f, skip %.2f, seed %d; run took %s.\n\n",
		c.Addr, c.Gateway.Describe(), c.Rounds, c.Ramp, c.Style.ReactMin, c.Style.ReactMax, c.Style.MissRate, c.Style.SkipRate, c.Seed,
		elapsed.Round(time.Millisecond))
	b.WriteString("| metric | value |\n|---|---|\n")
	row := func(k string, v any) { fmt.Fprintf(&b, "| %s | %v |\n", k, v) }
	row("gateway", c.Gateway)
	row("bots connected", t.connected.Load())
	row("games started / completed / flagged", fmt.Sprintf("%d / %d / %d", t.gamesStarted.Load(), t.gamesCompleted.Load(), t.gamesFlagged.Load()))
	row("peak concurrent games", t.peakGames.Load())
	row("whacks sent / hits / misses / unanswered", fmt.Sprintf("%d / %d / %d / %d", t.whacksSent.Load(), t.hits.Load(), t.misses.Load(), t.unanswered.Load()))
	row("errors", t.errorCount())
	if c.Duration > 0 {
		row("steady window (after ramp)", c.Duration)
		row("finished games/s (game:over in steady window)", fmt.Sprintf("%.0f (%d games)", t.steadyRate(), t.steadyOvers.Load()))
	}
	row("game:start rejected busy (retried after hint)", t.busy.Load())
	row("request timeouts inside running games", t.inGameTimeouts.Load())
	latencyRows(row, "judged whack round trip", judged)
	if c.Duration > 0 {
		latencyRows(row, "judged whack round trip in the steady window", t.window.Summary())
	}
	latencyRows(row, "steady-state judged round trip", t.steady.Summary())
	latencyRows(row, "ping round trip (gateway only)", t.pings.Summary())
	latencyRows(row, "load generator timer lateness (client health)", t.lateness.Summary())
	row(fmt.Sprintf("steady-state judged p99 ≤ %s", stats.Millis(judgedTarget)), verdict(t.steady.Summary()))
	keyedSection(&b, "Errors", t.snapshot(t.errors))
	keyedSection(&b, "Miss reasons", t.snapshot(t.missWhys))
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func latencyRows(row func(string, any), name string, s stats.Summary) {
	if s.Count == 0 {
		row(name, "no samples")
		return
	}
	row(name+" samples", s.Count)
	row(name+" p50 / p90 / p99", fmt.Sprintf("%s / %s / %s", stats.Millis(s.P50), stats.Millis(s.P90), stats.Millis(s.P99)))
	row(name+" p99.9 / max / mean", fmt.Sprintf("%s / %s / %s", stats.Millis(s.P999), stats.Millis(s.Max), stats.Millis(s.Mean)))
}

func verdict(s stats.Summary) string {
	switch {
	case s.Count == 0:
		return "NO DATA"
	case s.P99 <= judgedTarget:
		return "MET"
	default:
		return "MISSED"
	}
}

func keyedSection(b *strings.Builder, title string, ks []keyed) {
	if len(ks) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s: ", title)
	for i, k := range ks {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "`%s` %d", k.Key, k.Count)
	}
	b.WriteString("\n")
}
