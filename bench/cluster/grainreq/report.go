package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// ratioTarget bounds ours / bare (bench/README.md).
const ratioTarget = 1.2

func writeReport(w io.Writer, cfg config, runs []*pathRun) error {
	var b strings.Builder
	b.WriteString("### Grain request across two members\n\n")
	fmt.Fprintf(&b, "Caller member (no grain kinds) → host member (separate process%s) on loopback, automanaged provider; "+
		"%d rank grains, `protos.RankQuery` → `protos.RankReply`. Per path: %d sequential requests, %d concurrent requests "+
		"from %d workers; sequential requests interleave the paths one by one, concurrent batches alternate over %d rounds; %d warm-up requests per path.\n\n",
		pinning(cfg.HostCPU), cfg.Grains, cfg.Seq, cfg.Requests, cfg.Concurrent, cfg.Rounds, cfg.Warmup)
	b.WriteString("| path | mode | requests | errors | p50 | p90 | p99 | p99.9 | req/s |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		row(&b, r.name, "sequential", r.seq.Summary(), r.errors.Load(), r.seqRate())
		if !r.resolve {
			row(&b, r.name, fmt.Sprintf("%d concurrent", cfg.Concurrent), r.conc.Summary(), -1, r.concRate())
		}
	}
	ours, bare, pid := byName(runs, pathOurs), byName(runs, pathCluster), byName(runs, pathPID)
	b.WriteString("\n| ours ÷ bare | vs `cluster.Request` | vs cached PID |\n|---|---|---|\n")
	ratios := func(name string, f func(*pathRun) float64) {
		fmt.Fprintf(&b, "| %s | %.2f× | %.2f× |\n", name, f(ours)/f(bare), f(ours)/f(pid))
	}
	ratios("sequential p50", func(r *pathRun) float64 { return float64(r.seq.Summary().P50) })
	ratios("sequential p99", func(r *pathRun) float64 { return float64(r.seq.Summary().P99) })
	ratios("concurrent p50", func(r *pathRun) float64 { return float64(r.conc.Summary().P50) })
	ratios("concurrent p99", func(r *pathRun) float64 { return float64(r.conc.Summary().P99) })
	ratios("concurrent time per request (1 / req/s)", func(r *pathRun) float64 { return 1 / r.concRate() })
	fmt.Fprintf(&b, "\nOurs ≤ %.1f× bare `cluster.Request` (sequential p50 and p99, concurrent time per request): %s.\n",
		ratioTarget, verdict(ours, bare))
	fmt.Fprintf(&b, "Ours ≤ %.1f× the cached-PID floor on the same three: %s.\n", ratioTarget, verdict(ours, pid))
	ro, rb := byName(runs, resolveOurs).seq.Summary(), byName(runs, resolveBare).seq.Summary()
	if rb.P50 > 0 && rb.P99 > 0 {
		fmt.Fprintf(&b, "A PID-cache miss (resolution alone, sequential): ours ÷ bare p50 %.2f×, p99 %.2f×.\n",
			float64(ro.P50)/float64(rb.P50), float64(ro.P99)/float64(rb.P99))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func row(b *strings.Builder, name, mode string, s stats.Summary, errs int64, rps float64) {
	e := "″"
	if errs >= 0 {
		e = fmt.Sprint(errs)
	}
	fmt.Fprintf(b, "| %s | %s | %d | %s | %s | %s | %s | %s | %.0f |\n", name, mode, s.Count, e,
		us(s.P50), us(s.P90), us(s.P99), us(s.P999), rps)
}

// us formats a latency in microseconds: these round trips are far below 1 ms.
func us(d time.Duration) string {
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

func pinning(cpu int) string {
	if cpu < 0 {
		return ""
	}
	return fmt.Sprintf(", pinned to CPU %d", cpu)
}

func byName(runs []*pathRun, name string) *pathRun {
	for _, r := range runs {
		if r.name == name {
			return r
		}
	}
	return runs[0]
}

func verdict(ours, bare *pathRun) string {
	within := func(o, b float64) bool { return b > 0 && o/b <= ratioTarget }
	os, bs := ours.seq.Summary(), bare.seq.Summary()
	switch {
	case os.Count == 0 || bs.Count == 0:
		return "NO DATA"
	case within(float64(os.P50), float64(bs.P50)) && within(float64(os.P99), float64(bs.P99)) &&
		within(1/ours.concRate(), 1/bare.concRate()):
		return "MET"
	default:
		return "MISSED"
	}
}
