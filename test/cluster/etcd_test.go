package cluster

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testports"
)

// etcdBinary is Debian's etcd-server.
const etcdBinary = "/usr/bin/etcd"

// etcdLeaseTTL is the members' lease: a member killed without leaving
// disappears from its peers' view this long after its last keep-alive.
const etcdLeaseTTL = 2 * time.Second

// startEtcd runs a one-node etcd on free loopback ports with a temporary
// data directory and returns its client URL.
func startEtcd(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(etcdBinary); err != nil {
		t.Skipf("etcd provider test needs %s (apt-get install etcd-server): %v", etcdBinary, err)
	}
	client := fmt.Sprintf("http://127.0.0.1:%d", testports.Free(t))
	peer := fmt.Sprintf("http://127.0.0.1:%d", testports.Free(t))
	logs := &syncBuffer{}
	cmd := exec.Command(etcdBinary, "--name", "ct", "--data-dir", t.TempDir(),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "ct="+peer, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
		if t.Failed() {
			t.Logf("---- etcd output ----\n%s", logs.tail(logTailOnFail))
		}
	})
	eventually(t, readyWithin, "etcd healthy", func() (bool, error) {
		resp, err := http.Get(client + "/health")
		if err != nil {
			return false, nil
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
	return client
}

// TestCluster_Etcd: two members find each other through etcd and play a
// game across nodes; a member stopped with SIGTERM leaves its peer's view at
// once, a member killed with SIGKILL when its lease expires.
func TestCluster_Etcd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts etcd and 2 members and plays 6 s games")
	}
	t.Parallel()
	endpoint := startEtcd(t)
	g := newGroup(t, 2, func(*group, *member) []string {
		return []string{"CLUSTER_PROVIDER=etcd", "CLUSTER_ETCD_ENDPOINTS=" + endpoint,
			"CLUSTER_ETCD_LEASE_TTL=" + etcdLeaseTTL.String()}
	})
	g.startAll()
	a, b := g.members[0], g.members[1]

	games := startUntil(t, g, a, "cluster-etcd-player", modeShort, func(games []*hostedGame) bool {
		return hostedBy(games, func(m *member) bool { return m == b }) != nil
	})
	require.NotNil(t, hostedBy(games, func(m *member) bool { return m == b }), "no game placed on %s", b.name)
	for _, h := range games {
		requireFullGame(t, g, h)
	}

	left := timeToSeeAlone(t, g, a, b.stop)
	t.Logf("SIGTERM: %s saw 1 member %s after the signal", a.name, left.Round(time.Millisecond))
	require.Less(t, left, etcdLeaseTTL+time.Second, "a leaving member must deregister, not wait for its lease")

	b.launch()
	b.waitReady()
	g.waitMembers(2, a, b)
	expired := timeToSeeAlone(t, g, a, func() error { b.kill(); return nil })
	t.Logf("SIGKILL: %s saw 1 member %s after the kill (lease TTL %s)", a.name, expired.Round(time.Millisecond), etcdLeaseTTL)
	require.LessOrEqual(t, expired, etcdLeaseTTL+3*time.Second, "a killed member is gone once its lease expires")
}

// timeToSeeAlone runs end (which ends the other member) while measuring how
// long survivor takes to see itself alone.
func timeToSeeAlone(t testing.TB, g *group, survivor *member, end func() error) time.Duration {
	t.Helper()
	start := time.Now()
	ended := make(chan error, 1)
	go func() { ended <- end() }()
	var took time.Duration
	eventually(t, topologyWithin, survivor.name+" to see 1 member", func() (bool, error) {
		if survivor.gauge(metricMembers) == 1 {
			took = time.Since(start)
			return true, nil
		}
		return false, nil
	})
	require.NoError(t, <-ended, "ending the other member")
	g.waitMembers(1, survivor)
	return took
}
