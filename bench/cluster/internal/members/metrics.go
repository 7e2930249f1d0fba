package members

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gauge names the benchmarks read.
const (
	GaugeMembers  = "proofstell_cluster_members"
	GaugeSessions = "proofstell_sessions_active"
)

// Gauges reads member i's /metrics and returns every sample without labels.
func (c *Cluster) Gauges(ctx context.Context, i int) (map[string]float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base(i)+"/metrics", nil)
	if err != nil {
		return nil, fmt.Errorf("metrics request: %w", err)
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("member %d metrics: %w", i, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("member %d metrics: status %d", i, resp.StatusCode)
	}
	return parseUnlabelled(resp.Body)
}

// parseUnlabelled reads Prometheus text exposition: "name value" lines.
func parseUnlabelled(r io.Reader) (map[string]float64, error) {
	out := map[string]float64{}
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 64<<10), 1<<20)
	for s.Scan() {
		line := s.Text()
		if line == "" || line[0] == '#' || strings.ContainsRune(line, '{') {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.Fields(value)[0], 64); err == nil {
			out[name] = v
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	return out, nil
}

// Gauge reads one unlabelled gauge of member i.
func (c *Cluster) Gauge(ctx context.Context, i int, name string) (float64, error) {
	g, err := c.Gauges(ctx, i)
	if err != nil {
		return 0, err
	}
	v, ok := g[name]
	if !ok {
		return 0, fmt.Errorf("member %d exposes no %s", i, name)
	}
	return v, nil
}

// GaugeAll reads name on the given members at once (all members when nodes
// is empty), indexed like nodes.
func (c *Cluster) GaugeAll(ctx context.Context, name string, nodes []int) ([]float64, error) {
	if len(nodes) == 0 {
		nodes = c.indexes()
	}
	vals, errs := make([]float64, len(nodes)), make([]error, len(nodes))
	var wg sync.WaitGroup
	for k, i := range nodes {
		wg.Go(func() { vals[k], errs[k] = c.Gauge(ctx, i, name) })
	}
	wg.Wait()
	return vals, errors.Join(errs...)
}

// AwaitMembers waits until every running member reports want members.
func (c *Cluster) AwaitMembers(ctx context.Context, want int) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		got, err := c.GaugeAll(ctx, GaugeMembers, c.running())
		if err == nil && allEqual(got, float64(want)) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("members see %v of %d: %w", got, want, ctx.Err())
		case <-tick.C:
		}
	}
}

func allEqual(vals []float64, want float64) bool {
	for _, v := range vals {
		if v != want {
			return false
		}
	}
	return len(vals) > 0
}

func (c *Cluster) indexes() []int {
	out := make([]int, c.Size())
	for i := range out {
		out[i] = i
	}
	return out
}

// running lists the members whose process is up.
func (c *Cluster) running() []int {
	var out []int
	for i := range c.members {
		if c.Alive(i) {
			out = append(out, i)
		}
	}
	return out
}
