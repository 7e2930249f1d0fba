package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// p99Target is issue #15's budget for the time to match at 10,000 players
// over 60 s.
const p99Target = 10 * time.Second

func writeReport(w io.Writer, cfg config, r result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Matchmaking: %d players joining `%s` over %s (%.0f joins/s), %d-player matches\n\n",
		r.Opened, cfg.Mode, cfg.Duration, cfg.rate(), cfg.Size)
	b.WriteString("| metric | value | target |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| time to match (join → `matchmaking:matched`) p50 / p90 / p99 / max | %s / %s / %s / %s | p99 ≤ %s: %s |\n",
		secs(r.ToMatch.P50), secs(r.ToMatch.P90), secs(r.ToMatch.P99), secs(r.ToMatch.Max), secs(p99Target), verdict(r))
	fmt.Fprintf(&b, "| join → ack p50 / p99 / max | %s / %s / %s | |\n",
		stats.Millis(r.ToAck.P50), stats.Millis(r.ToAck.P99), stats.Millis(r.ToAck.Max))
	fmt.Fprintf(&b, "| players matched | %d of %d joined (%d acked) | all |\n", r.Matched, r.Joined, r.Acked)
	inWindow := arrivals(r.PerSecond, cfg)
	fmt.Fprintf(&b, "| matches formed per second over the arrival window: mean, p50 / min / max of its seconds | %s; %d / %d / %d (%d matches in all, the last %s after the first join) | |\n",
		rate(sum(inWindow), cfg.Duration), quantile(inWindow, 0.5), quantile(inWindow, 0), quantile(inWindow, 1), r.Matches, secs(r.Window))
	fmt.Fprintf(&b, "| rating spread in a match (max − min ordinal) p50 / p90 / p99 / max | %s | |\n", points(r.Spread))
	fmt.Fprintf(&b, "| the same for random groups of these players (skill-blind) | %s | |\n", points(r.RandomSpread))
	cpuRow(&b, "server CPU", r.CPU.Server, r)
	if r.IdleSocketSeconds > 0 && r.Joined > 0 {
		upkeep := time.Duration(float64(r.IdleCPU.Server) / r.IdleSocketSeconds * r.SocketSeconds)
		fmt.Fprintf(&b, "| server CPU less the open sockets' idle upkeep (%.1f µs per socket-second held idle × %.0f socket-seconds = %s) | %.3f ms per ticket | |\n",
			float64(r.IdleCPU.Server)/r.IdleSocketSeconds/1e3, r.SocketSeconds, secs(upkeep),
			float64(r.CPU.Server-upkeep)/float64(time.Millisecond)/float64(r.Joined))
	}
	cpuRow(&b, "PostgreSQL CPU (all its processes)", r.CPU.Postgres, r)
	cpuRow(&b, "load generator CPU", r.CPU.Self, r)
	fmt.Fprintf(&b, "| joins written late against their schedule p50 / p99 / max | %s / %s / %s | ≪ %s between joins |\n",
		stats.Millis(r.Lateness.P50), stats.Millis(r.Lateness.P99), stats.Millis(r.Lateness.Max), cfg.every())
	rated := "seeded (bench/internal/population)"
	if !r.Seeded {
		rated = "not seeded: every player at the prior, ordinal 0"
	}
	fmt.Fprintf(&b, "\nRatings %s, seed %d; ordinals mean %.2f, SD %.2f, min %.2f, p50 %.2f, p99 %.2f, max %.2f.\n",
		rated, cfg.Seed, r.Population.Mean, r.Population.SD, r.Population.Min, r.Population.P50, r.Population.P99, r.Population.Max)
	fmt.Fprintf(&b, "CPU is counted from the first join to the last match (or the end of -wait), %s.\n", secs(r.Window))
	fmt.Fprintf(&b, "guests signed in: %d; sockets opened: %d; matchmaking:status frames: %d (requeued: %d); sockets closed by the server before their match: %d\n",
		r.Accounts, r.Opened, r.Statuses, r.Requeued, r.Closed)
	if len(r.Counters) > 0 {
		fmt.Fprintf(&b, "server counters over the joins: %s\n", strings.Join(r.Counters, ", "))
	}
	for _, k := range slices.Sorted(maps.Keys(r.Refused)) {
		fmt.Fprintf(&b, "join refused: %s: %d\n", k, r.Refused[k])
	}
	for _, k := range slices.Sorted(maps.Keys(r.Failed)) {
		fmt.Fprintf(&b, "failed: %s: %d\n", k, r.Failed[k])
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// cpuRow is one process's CPU over the window, per ticket (a joined
// player) and as a share of one core.
func cpuRow(b *strings.Builder, what string, cpu time.Duration, r result) {
	perTicket, core := "-", "-"
	if r.Joined > 0 {
		perTicket = fmt.Sprintf("%.3f ms", float64(cpu)/float64(time.Millisecond)/float64(r.Joined))
	}
	if r.Window > 0 {
		core = fmt.Sprintf("%.1f %%", 100*float64(cpu)/float64(r.Window))
	}
	fmt.Fprintf(b, "| %s | %s: %s per ticket, %s of one core | |\n", what, secs(cpu), perTicket, core)
}

// verdict compares the p99 time to match over every joined player (the
// never matched counting as infinitely long) with the target.
func verdict(r result) string {
	switch {
	case r.P99Joined < 0:
		return "MISSED (more than 1 % never matched)"
	case r.P99Joined > p99Target:
		return fmt.Sprintf("MISSED (%s over every joined player)", secs(r.P99Joined))
	case r.Matched < r.Joined:
		return fmt.Sprintf("MET (%s over every joined player, the %d never matched counted as infinite)", secs(r.P99Joined), r.Joined-r.Matched)
	}
	return "MET"
}

// arrivals is the matches heard of in each whole second of the arrival
// window (the first join to -duration after it).
func arrivals(per []int, cfg config) []int {
	n := int(cfg.Duration / time.Second)
	out := make([]int, n)
	copy(out, per)
	return out
}

// quantile is the q-quantile (0..1) of counts; 0 for none.
func quantile(counts []int, q float64) int {
	if len(counts) == 0 {
		return 0
	}
	s := slices.Clone(counts)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s)-1)+0.5))]
}

func sum(counts []int) int {
	t := 0
	for _, c := range counts {
		t += c
	}
	return t
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func rate(n int, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(n)/d.Seconds())
}

func points(s ratingSummary) string {
	return fmt.Sprintf("%.2f / %.2f / %.2f / %.2f (mean %.2f)", s.P50, s.P90, s.P99, s.Max, s.Mean)
}
