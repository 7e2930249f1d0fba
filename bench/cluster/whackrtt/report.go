package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// classTally is every game of one class.
type classTally struct {
	games, completed, hits, misses, rejected, unanswered int
	samples                                              stats.Recorder
}

func tallyClasses(runs []clusterRun) map[string]*classTally {
	out := map[string]*classTally{}
	for _, r := range runs {
		for _, g := range r.Games {
			if g.Class == "" {
				continue
			}
			t := out[g.Class]
			if t == nil {
				t = &classTally{}
				out[g.Class] = t
			}
			t.games++
			t.completed += btoi(g.Completed)
			t.hits, t.misses, t.rejected, t.unanswered = t.hits+g.Hits, t.misses+g.Misses, t.rejected+g.Rejected, t.unanswered+g.Unanswered
			for _, d := range g.RTT {
				t.samples.Add(d)
			}
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func writeReport(w io.Writer, cfg config, runs []clusterRun) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Judged-whack round trip: one member vs a %d-member cluster\n\n", cfg.Nodes)
	fmt.Fprintf(&b, "Each run: %d concurrent solo %q games, one bot and guest per game, bot i's socket on member i mod size, "+
		"a whack %s after each game:mole (bombs left alone); automanaged provider on loopback%s. Round trip: just before "+
		"writing game:whack → reading the game:hit/game:miss with its id.\n\n", cfg.Games, cfg.Mode, cfg.React, pinning(cfg.ServerCPU))
	classes := tallyClasses(runs)
	b.WriteString("| class | games (completed) | judged whacks | hits / misses / rejected / unanswered | p50 | p90 | p99 | p99.9 | max |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, name := range []string{classSingle, classSame, classCross, classUnclassified} {
		if t, ok := classes[name]; ok {
			s := t.samples.Summary()
			fmt.Fprintf(&b, "| %s | %d (%d) | %d | %d / %d / %d / %d | %s | %s | %s | %s | %s |\n", name, t.games, t.completed,
				s.Count, t.hits, t.misses, t.rejected, t.unanswered,
				stats.Millis(s.P50), stats.Millis(s.P90), stats.Millis(s.P99), stats.Millis(s.P999), stats.Millis(s.Max))
		}
	}
	writeRatios(&b, classes)
	writePlacement(&b, runs)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func writeRatios(b *strings.Builder, classes map[string]*classTally) {
	single, ok := classes[classSingle]
	if !ok || single.samples.Summary().Count == 0 {
		return
	}
	base := single.samples.Summary()
	b.WriteString("\n")
	for _, name := range []string{classSame, classCross} {
		if t, ok := classes[name]; ok && t.samples.Summary().Count > 0 {
			s := t.samples.Summary()
			fmt.Fprintf(b, "%s ÷ single-node: p50 %.2f×, p99 %.2f×.\n", name,
				float64(s.P50)/float64(base.P50), float64(s.P99)/float64(base.P99))
		}
	}
}

func writePlacement(b *strings.Builder, runs []clusterRun) {
	agreed, placed, errs := 0, 0, map[string]int{}
	for _, r := range runs {
		for _, g := range r.Games {
			if g.Err != "" {
				errs[g.Err]++
			}
			if r.Size == 1 || g.Class == "" || g.Placement.Host < 0 {
				continue
			}
			placed++
			agreed += btoi(g.Placement.Host == g.Placement.Predicted)
		}
	}
	fmt.Fprintf(b, "\nPlacement: the proofstell_sessions_active classification agreed with protoactor's rendezvous placement for %d of %d placed cluster games.\n", agreed, placed)
	for _, r := range runs {
		fmt.Fprintf(b, "The %d-member run took %s.\n", r.Size, r.Took.Round(1e6))
	}
	if len(errs) > 0 {
		b.WriteString("\nBot failures: ")
		for i, k := range slices.Sorted(maps.Keys(errs)) {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "`%s` %d", k, errs[k])
		}
		b.WriteString("\n")
	}
}

func pinning(cpu int) string {
	if cpu < 0 {
		return ", members not pinned (they share both CPUs with each other and the bots)"
	}
	return fmt.Sprintf(", every member pinned to CPU %d", cpu)
}
