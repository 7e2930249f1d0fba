package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/proofstell/proofstell/bench/internal/report"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// defaultPath is the endpoint under test.
const defaultPath = "/api/v1/leaderboards/global?limit=100"

// restTarget is the requests/s the real endpoint must reach, as a fraction
// of the bare handler's (bench/README.md).
const restTarget = 0.5

// Absolute targets of issue #12 at 64 workers: requests/s per route and the
// p99 every route must stay under.
var rpsTargets = map[string]float64{"top-100": 23_000, "around-me": 22_000}

const p99Target = 10 * time.Millisecond

// runMeasure measures the real server, then the baseline, and reports.
func runMeasure(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rest measure", flag.ContinueOnError)
	fs.SetOutput(stderr)
	realBase := fs.String("real", "http://127.0.0.1:3000", "real server base URL")
	bare := fs.String("bare", "http://127.0.0.1:3100", "baseline base URL (rest serve)")
	path := fs.String("path", defaultPath, "endpoint path and query")
	var l load
	fs.IntVar(&l.Workers, "workers", 64, "concurrent keep-alive workers")
	fs.DurationVar(&l.Warmup, "warmup", 2*time.Second, "uncounted warm-up per target")
	fs.DurationVar(&l.Duration, "duration", 10*time.Second, "timed phase per target")
	signed := fs.String("signed", "around-me,me", "signed-in routes to measure too (around-me, me; empty: none)")
	prefix := fs.String("device-prefix", "loadgen-bot-", "guest device id prefix of the signed-in workers (the load generator's bots are ranked)")
	out := fs.String("out", "", "also write the markdown report to this file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse flags: %w", err)
	}
	if l.Workers < 1 || l.Duration <= 0 || l.Warmup < 0 {
		return fmt.Errorf("need -workers ≥ 1, -duration > 0, -warmup ≥ 0")
	}
	names, err := signedRouteNames(*signed)
	if err != nil {
		return err
	}
	if err := checkTargets(ctx, *realBase, *bare); err != nil {
		return err
	}
	runs := []target{{Name: "ProofStell", URL: *realBase + *path}, {Name: "bare chi", URL: *bare + *path}}
	for i := range runs {
		if err := runs[i].measure(ctx, l); err != nil {
			return err
		}
		logf(stderr, "%s: %.0f req/s", runs[i].Name, runs[i].Result.RPS())
	}
	reads, err := measureSigned(ctx, *realBase, *prefix, names, l, stderr)
	if err != nil {
		return err
	}
	return report.Emit(stdout, *out, func(w io.Writer) error { return writeReport(w, l, runs, reads) })
}

// measureSigned measures each signed-in route with one guest token per
// worker (shared round robin when fewer guests are ranked).
func measureSigned(ctx context.Context, base, prefix string, names []string, l load, stderr io.Writer) ([]target, error) {
	if len(names) == 0 {
		return nil, nil
	}
	client := newClient(l.Workers)
	defer client.CloseIdleConnections()
	tokens, err := signInRanked(ctx, client, base, prefix, base+signedRoutes[names[0]], l.Workers)
	if err != nil {
		// The top-100 comparison stands on its own: report it without these.
		logf(stderr, "signed-in reads skipped: %v", err)
		return nil, nil
	}
	logf(stderr, "%d ranked guests signed in", len(tokens))
	reads := make([]target, 0, len(names))
	for _, n := range names {
		t := target{Name: n, URL: base + signedRoutes[n]}
		res, err := measure(ctx, client, t.URL, l, tokens...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		t.Result, t.Tokens = res, len(tokens)
		logf(stderr, "%s: %.0f req/s", n, res.RPS())
		reads = append(reads, t)
	}
	return reads, nil
}

// target is one endpoint measured and what it served.
type target struct {
	Name    string
	URL     string
	Body    int // bytes of one response
	Entries int
	// Tokens is how many signed-in players the workers shared (0: none).
	Tokens int
	Result result
}

func (t *target) measure(ctx context.Context, l load) error {
	client := newClient(l.Workers)
	defer client.CloseIdleConnections()
	body, err := fetchBody(ctx, client, t.URL)
	if err != nil {
		return fmt.Errorf("%s: %w", t.Name, err)
	}
	t.Body, t.Entries = len(body), entries(body)
	res, err := measure(ctx, client, t.URL, l)
	if err != nil {
		return fmt.Errorf("%s: %w", t.Name, err)
	}
	t.Result = res
	return nil
}

// entries counts the leaderboard lines of a top-N body (-1 if unreadable).
func entries(body []byte) int {
	var page struct {
		Entries []json.RawMessage `json:"entries"`
	}
	if json.Unmarshal(body, &page) != nil {
		return -1
	}
	return len(page.Entries)
}

func writeReport(w io.Writer, l load, runs, reads []target) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### REST top-100: ProofStell vs a bare chi handler\n\n")
	fmt.Fprintf(&b, "%d keep-alive workers, %s warm-up, %s timed per target.\n\n", l.Workers, l.Warmup, l.Duration)
	b.WriteString("| target | body bytes | entries | req/s | errors | p50 | p99 | max |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range runs {
		s := r.Result.Latency
		fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %d | %s | %s | %s |\n", r.Name, r.Body, r.Entries, r.Result.RPS(),
			r.Result.Errors, stats.Millis(s.P50), stats.Millis(s.P99), stats.Millis(s.Max))
	}
	if len(runs) == 2 && runs[1].Result.RPS() > 0 {
		ratio := runs[0].Result.RPS() / runs[1].Result.RPS()
		verdict := "MET"
		if ratio < restTarget {
			verdict = "MISSED"
		}
		fmt.Fprintf(&b, "\nProofStell reaches %.1f%% of the bare handler's req/s (target ≥ %.0f%%): %s.\n",
			100*ratio, 100*restTarget, verdict)
	}
	writeReads(&b, l, runs, reads)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// hostPort accepts "host:port" or a URL and returns its host:port.
func hostPort(target string) (string, error) {
	if !strings.Contains(target, "://") {
		return target, nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("parse %q: %w", target, err)
	}
	if u.Port() == "" {
		return "", fmt.Errorf("target %q: give an explicit port", target)
	}
	return u.Host, nil
}

// writeReads adds the signed-in routes and the absolute targets of each
// ProofStell route.
func writeReads(b *strings.Builder, l load, runs, reads []target) {
	all := reads
	if len(runs) > 0 {
		top := runs[0]
		top.Name = "top-100"
		all = append([]target{top}, reads...)
	}
	if len(reads) > 0 {
		fmt.Fprintf(b, "\n### Signed-in reads (Bearer token, %d guests shared by %d workers)\n\n", reads[0].Tokens, l.Workers)
	} else {
		b.WriteString("\n### ProofStell routes\n\n")
	}
	b.WriteString("| route | req/s | errors | p50 | p99 | max | target |\n|---|---|---|---|---|---|---|\n")
	for _, r := range all {
		s := r.Result.Latency
		fmt.Fprintf(b, "| %s | %.0f | %d | %s | %s | %s | %s |\n", r.Name, r.Result.RPS(), r.Result.Errors,
			stats.Millis(s.P50), stats.Millis(s.P99), stats.Millis(s.Max), verdict(r))
	}
}

// verdict checks one route against the targets.
func verdict(r target) string {
	want, ok := rpsTargets[r.Name]
	p99 := r.Result.Latency.P99
	met := p99 <= p99Target && (!ok || r.Result.RPS() >= want)
	word := "MET"
	if !met {
		word = "MISSED"
	}
	if ok {
		return fmt.Sprintf("≥ %.0f/s, p99 ≤ %s: %s", want, p99Target, word)
	}
	return fmt.Sprintf("p99 ≤ %s: %s", p99Target, word)
}
