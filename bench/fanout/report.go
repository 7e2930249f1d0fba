package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// targets are the "last subscriber" p50 budgets of issue #12 (half of
// Nakama's 73 ms at 5,000; 7 ms at 1,000).
var targets = map[int]float64{1000: 7, 5000: 36}

func writeReport(w io.Writer, cfg config, r result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Fan-out: one broadcast to N sockets (%d broadcasts each, %s apart)\n\n", cfg.Broadcasts, cfg.Interval)
	b.WriteString("| subscribers | complete broadcasts | last subscriber p50 | p90 | p99 | max | each delivery p50 | p99 | missing | target (last p50) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, lv := range r.Levels {
		fmt.Fprintf(&b, "| %d | %d / %d | %s | %s | %s | %s | %s | %s | %d | %s |\n", lv.Subscribers,
			lv.Complete, lv.Broadcasts, stats.Millis(lv.Last.P50), stats.Millis(lv.Last.P90), stats.Millis(lv.Last.P99),
			stats.Millis(lv.Last.Max), stats.Millis(lv.Each.P50), stats.Millis(lv.Each.P99), lv.Missing, verdict(lv))
	}
	fmt.Fprintf(&b, "\nguests signed in: %d; sockets opened: %d; closed by the server: %d; receipts after their broadcast's wait: %d\n",
		r.Accounts, r.Opened, r.Closed, r.Late)
	for _, k := range slices.Sorted(maps.Keys(r.Failed)) {
		fmt.Fprintf(&b, "failed: %s: %d\n", k, r.Failed[k])
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// verdict compares a level's last-subscriber p50 with its target, if any.
func verdict(lv level) string {
	ms, ok := targets[lv.Subscribers]
	if !ok {
		return "—"
	}
	got := float64(lv.Last.P50) / 1e6
	if lv.Complete == 0 || got > ms {
		return fmt.Sprintf("≤ %.0f ms: MISSED", ms)
	}
	return fmt.Sprintf("≤ %.0f ms: MET", ms)
}
