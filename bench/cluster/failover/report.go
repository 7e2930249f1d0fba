package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

func writeReport(w io.Writer, cfg config, its []iteration, took time.Duration) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Failover: kill -9 of the member hosting a running solo game (%d members)\n\n", cfg.Nodes)
	fmt.Fprintf(&b, "%d iterations in %s. Each: a guest on one member starts a %q game whose session lands on another "+
		"member (proofstell_sessions_active before/after game:start), the host is killed %s–%s after the first game:mole, the player's "+
		"frames are read until the game is back and at least %s has passed since the kill (at most %s), then the socket closes and the host restarts (same ports, new member id)%s.\n\n",
		len(its), took.Round(time.Second), cfg.Mode, cfg.KillMin, cfg.KillMax, cfg.Settle, cfg.Wait, pinning(cfg.ServerCPU))
	if cfg.ServerEnv != "" {
		fmt.Fprintf(&b, "Member environment added: `%s`.\n\n", cfg.ServerEnv)
	}
	b.WriteString("| from → to | samples | min | p50 | p90 | max |\n|---|---|---|---|---|---|\n")
	dist(&b, "kill → game:state-change paused", its, func(it iteration) time.Duration { return it.Paused })
	dist(&b, "kill → game:state-change started", its, func(it iteration) time.Duration { return it.Started })
	dist(&b, "paused → started", its, func(it iteration) time.Duration {
		if it.Paused < 0 || it.Started < 0 || it.Unpaused || it.Repaused > 0 {
			return never
		}
		return it.Started - it.Paused
	})
	dist(&b, "kill → session hosted by a survivor (proofstell_sessions_active, 20 ms polls)", its, func(it iteration) time.Duration { return it.Hosted })
	dist(&b, "kill → first game:mole after the kill", its, func(it iteration) time.Duration { return it.Mole })
	dist(&b, "restart of the killed member → every member sees all", its, restartOf)
	writeOutcome(&b, its)
	writeIterations(&b, its)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// dist writes one distribution row over the iterations where the moment came.
func dist(b *strings.Builder, name string, its []iteration, pick func(iteration) time.Duration) {
	var ds []time.Duration
	for _, it := range its {
		if d := pick(it); d >= 0 {
			ds = append(ds, d)
		}
	}
	s := stats.Summarize(ds)
	if s.Count == 0 {
		fmt.Fprintf(b, "| %s | 0 of %d | — | — | — | — |\n", name, len(its))
		return
	}
	fmt.Fprintf(b, "| %s | %d of %d | %s | %s | %s | %s |\n", name, s.Count, len(its),
		ms(s.Min), ms(s.P50), ms(s.P90), ms(s.Max))
}

func writeOutcome(b *strings.Builder, its []iteration) {
	resumed, unpaused, agreed, repaused := 0, 0, 0, 0
	for _, it := range its {
		repaused += btoi(it.Repaused > 0)
		resumed += btoi(it.Paused >= 0 && it.Started >= 0)
		unpaused += btoi(it.Unpaused)
		agreed += btoi(it.Host == it.Predicted)
	}
	fmt.Fprintf(b, "\n%d of %d iterations: the player saw \"paused\" and then \"started\"; %d saw \"started\" with no \"paused\" "+
		"before it; %d never saw the game start again within the wait. The gauge placement agreed with protoactor's "+
		"rendezvous hash in %d of %d.\n", resumed, len(its), unpaused, len(its)-resumed-unpaused, agreed, len(its))
	fmt.Fprintf(b, "%d of %d iterations paused again after resuming (the session moved a second time) within the observation.\n",
		repaused, len(its))
}

func writeIterations(b *strings.Builder, its []iteration) {
	b.WriteString("\n<details><summary>Every iteration</summary>\n\n")
	b.WriteString("| # | player | host → new host | games started | paused | started | hosted | first mole | restart | note |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, it := range its {
		fmt.Fprintf(b, "| %d | %d | %d → %s | %d | %s | %s | %s | %s | %s | %s |\n", it.N, it.Player, it.Host, node(it.NewHost),
			it.Attempts, ms(it.Paused), ms(it.Started), ms(it.Hosted), ms(it.Mole), ms(restartOf(it)), note(it))
	}
	b.WriteString("\n</details>\n")
}

// note is the iteration's error, and its first frames after the kill when
// the game did not pause and resume.
func note(it iteration) string {
	n := strings.ReplaceAll(it.Err, "|", "/")
	if it.Paused < 0 || it.Started < 0 || it.Unpaused || it.Repaused > 0 {
		n = strings.TrimSpace(n + " frames after the kill: " + strings.Join(it.Trace, ", "))
	}
	return n
}

func restartOf(it iteration) time.Duration {
	if it.Restart == 0 {
		return never
	}
	return it.Restart
}

func node(i int) string {
	if i < 0 {
		return "—"
	}
	return fmt.Sprint(i)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pinning(cpu int) string {
	if cpu < 0 {
		return ""
	}
	return fmt.Sprintf("; every member pinned to CPU %d", cpu)
}
