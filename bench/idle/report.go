package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// perSocketTarget is the RSS budget of one idle socket (bench/README.md).
const perSocketTarget = 16 << 10

func writeReport(w io.Writer, cfg config, r result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Idle sockets over %s: %d requested\n\n", cfg.Gateway, cfg.Sockets)
	b.WriteString("| metric | value |\n|---|---|\n")
	row := func(k string, v any) { fmt.Fprintf(&b, "| %s | %v |\n", k, v) }
	row("gateway", cfg.Gateway.Describe())
	row("guests signed in", r.Accounts)
	if r.Fresh {
		row("baseline", "fresh server process: the guests signed in against an earlier one; this one served only the sockets")
	} else {
		row("baseline", "the guests signed in against the measured process before the first reading")
	}
	row("sockets opened / still open at second reading", fmt.Sprintf("%d / %d", r.Opened, r.StillOpen))
	row("time to open", r.OpenTook.Round(1e6))
	row("idle hold before second reading", r.SettleTook.Round(1e6))
	row("server VmRSS before / after", fmt.Sprintf("%s / %s", mib(r.RSSBefore), mib(r.RSSAfter)))
	row("RSS per idle socket", fmt.Sprintf("%.1f KiB", float64(r.PerSocket())/1024))
	verdict := "MET"
	if r.StillOpen == 0 || r.PerSocket() > perSocketTarget {
		verdict = "MISSED"
	}
	row("≤ 16 KiB per socket", verdict)
	for _, k := range slices.Sorted(maps.Keys(r.Failed)) {
		row("failed: "+k, r.Failed[k])
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func mib(bytes int64) string {
	return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20))
}
