package cluster

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// group is the members of one test: one database, one Redis prefix, one
// cluster name.
type group struct {
	t       testing.TB
	dbURL   string
	members []*member
}

// newGroup creates n members (not started) of a cluster using provider
// settings from providerEnv, seeds the test modes and arranges cleanup.
func newGroup(t testing.TB, n int, providerEnv func(g *group, m *member) []string) *group {
	t.Helper()
	g := &group{t: t, dbURL: pgtest.NewDatabase(t)}
	seedModes(t, g.dbURL)
	id := strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	common := []string{
		"DATABASE_URL=" + g.dbURL,
		// Members share rate limits, nonces, revocation and fan-out
		// through Redis: config refuses a cluster without it.
		"REDIS_URL=redis://127.0.0.1:6379/0",
		"REDIS_PREFIX=cluster:" + id + ":",
		"CLUSTER_NAME=ct" + id,
		"NODE_ENV=test",
		"JWT_SECRET=" + jwtSecret,
		"LOG_LEVEL=" + envOr("CLUSTER_TEST_LOG_LEVEL", "info"),
		"GAME_SNAPSHOT_INTERVAL=200ms",
		"SHUTDOWN_TIMEOUT=15s",
		// Every client comes from 127.0.0.1; limits are tested elsewhere.
		"RATE_LIMIT_ANONYMOUS=1000000", "RATE_LIMIT_USER=1000000", "RATE_LIMIT_AUTH=1000000",
	}
	for i := range n {
		g.members = append(g.members, newMember(t, fmt.Sprintf("m%d", i), func(m *member) []string {
			env := append([]string{
				fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", m.httpPort),
				fmt.Sprintf("CLUSTER_ADDR=127.0.0.1:%d", m.remotePort),
			}, common...)
			return append(env, providerEnv(g, m)...)
		}))
	}
	t.Cleanup(g.teardown)
	return g
}

// automanaged is the provider environment of a static peer list.
func automanaged(g *group, m *member) []string {
	peers := make([]string, len(g.members))
	for i, p := range g.members {
		peers[i] = p.discoveryAddr()
	}
	return []string{
		"CLUSTER_PROVIDER=automanaged",
		"CLUSTER_DISCOVERY_ADDR=" + m.discoveryAddr(),
		"CLUSTER_PEERS=" + strings.Join(peers, ","),
	}
}

// startAutomanaged starts n automanaged members and waits until each sees
// all of them.
func startAutomanaged(t testing.TB, n int) *group {
	t.Helper()
	g := newGroup(t, n, automanaged)
	g.startAll()
	return g
}

// startAll launches every member at once (each waits for the topology) and
// waits until all are ready and see the whole cluster.
func (g *group) startAll() {
	g.t.Helper()
	for _, m := range g.members {
		m.launch()
	}
	for _, m := range g.members {
		m.waitReady()
	}
	g.waitMembers(len(g.members), g.members...)
}

func (g *group) teardown() {
	for _, m := range g.members {
		m.kill()
	}
	if !g.t.Failed() {
		return
	}
	for _, m := range g.members {
		g.t.Logf("---- output of %s (%s) ----\n%s", m.name, m.base, m.logs.tail(logTailOnFail))
	}
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
