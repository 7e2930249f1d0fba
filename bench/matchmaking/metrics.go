package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// watchedSeries are the server's counters whose growth over the run the
// report gives: why joins were refused (the node's admission door, or the
// queue itself), how many matches the grain formed, and why tickets were
// queued again.
var watchedSeries = []string{
	"proofstell_admission_shed_total",
	"proofstell_matchmaking_tickets_rejected_total",
	"proofstell_matchmaking_matches_formed_total",
	"proofstell_player_matchmaking_requeues_total",
}

// counters maps a series ("name{labels}") to its value.
type counters map[string]float64

// scrapeCounters reads the watched series from the server's /metrics; a
// failed scrape gives none (the report then says nothing about them).
func scrapeCounters(ctx context.Context, addr string) counters {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	return parseCounters(resp.Body)
}

// parseCounters reads the watched series of a Prometheus text exposition.
func parseCounters(r io.Reader) counters {
	out := counters{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if !slices.ContainsFunc(watchedSeries, func(n string) bool { return strings.HasPrefix(line, n) }) {
			continue
		}
		series, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			out[series] = v
		}
	}
	return out
}

// grown lists "series +delta" for every watched series that grew, sorted.
func (c counters) grown(before counters) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if d := c[k] - before[k]; d > 0 {
			out = append(out, fmt.Sprintf("`%s` +%.0f", k, d))
		}
	}
	return out
}
