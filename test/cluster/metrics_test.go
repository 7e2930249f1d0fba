package cluster

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Metric names the members expose on /metrics.
const (
	metricMembers  = "proofstell_cluster_members"
	metricSessions = "proofstell_sessions_active"
	metricFinished = "proofstell_sessions_finished_total"
)

// topologyWithin bounds how long members take to agree on a topology change.
const topologyWithin = 20 * time.Second

// metric scrapes /metrics and returns the sum of every series of name (all
// label values), and whether the name was present.
func (m *member) metric(name string) (float64, bool, error) {
	resp, err := http.Get(m.base + "/metrics")
	if err != nil {
		return 0, false, fmt.Errorf("scrape %s: %w", m.name, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("scrape %s: status %d", m.name, resp.StatusCode)
	}
	var sum float64
	found := false
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		fields := strings.Fields(rest[strings.LastIndexByte(rest, '}')+1:])
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return 0, false, fmt.Errorf("scrape %s: %q: %w", m.name, line, err)
		}
		sum += v
		found = true
	}
	return sum, found, sc.Err()
}

// gauge is metric for a series that must exist; a member that cannot be
// scraped reads as -1 so polls keep going while it starts.
func (m *member) gauge(name string) float64 {
	v, ok, err := m.metric(name)
	if err != nil || !ok {
		return -1
	}
	return v
}

// waitMembers waits until each of the given members is ready and reports
// want members in its view of the cluster.
func (g *group) waitMembers(want int, members ...*member) {
	g.t.Helper()
	g.waitMembersWithin(topologyWithin, want, members...)
}

func (g *group) waitMembersWithin(within time.Duration, want int, members ...*member) {
	g.t.Helper()
	for _, m := range members {
		eventually(g.t, within, fmt.Sprintf("%s to see %d members", m.name, want), func() (bool, error) {
			if !m.running() {
				return false, fmt.Errorf("%s is not running", m.name)
			}
			return m.gauge(metricMembers) == float64(want) && m.ready(), nil
		})
	}
}

// sessionCounts reads proofstell_sessions_active on every running member (-1 for the
// others).
func (g *group) sessionCounts() []float64 {
	counts := make([]float64, len(g.members))
	for i, m := range g.members {
		counts[i] = -1
		if m.running() {
			counts[i] = m.gauge(metricSessions)
		}
	}
	return counts
}

// hostAfter finds the member that activated one more session grain than in
// before: the host of a session created since before was read. Sessions
// must be created one at a time for this to name the right one.
func (g *group) hostAfter(t testing.TB, before []float64) *member {
	t.Helper()
	var host *member
	eventually(t, topologyWithin, "a member to activate the new session", func() (bool, error) {
		for i, now := range g.sessionCounts() {
			if before[i] >= 0 && now > before[i] {
				host = g.members[i]
				return true, nil
			}
		}
		return false, nil
	})
	return host
}

// others returns the members except the given ones.
func (g *group) others(except ...*member) []*member {
	var out []*member
	for _, m := range g.members {
		skip := false
		for _, e := range except {
			skip = skip || m == e
		}
		if !skip {
			out = append(out, m)
		}
	}
	return out
}
