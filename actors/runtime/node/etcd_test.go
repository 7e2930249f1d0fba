package node

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// etcdBinary is Debian's etcd-server, which .ci/run installs.
const etcdBinary = "/usr/bin/etcd"

// startEtcd runs a throwaway single-node etcd on loopback and returns its
// client URL.
func startEtcd(t *testing.T) string {
	t.Helper()
	url, _ := startStoppableEtcd(t)
	return url
}

// startStoppableEtcd is startEtcd that also returns a func stopping etcd
// (the process is killed and waited for; stopping twice is harmless).
func startStoppableEtcd(t *testing.T) (string, func()) {
	t.Helper()
	if _, err := os.Stat(etcdBinary); err != nil {
		t.Skipf("etcd provider tests need %s (Debian package etcd-server; .ci/run installs it)", etcdBinary)
	}
	addrs := freeAddrs(t, 2)
	client, peer := "http://"+addrs[0], "http://"+addrs[1]
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, etcdBinary, "--data-dir", t.TempDir(), "--name", "test",
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", "test="+peer)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			_ = cmd.Wait()
		})
	}
	t.Cleanup(stop)
	require.Eventually(t, func() bool {
		resp, err := http.Get(client + "/health") //nolint:noctx // test probe
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 20*time.Second, 20*time.Millisecond, "etcd did not start:\n%s", logs)
	return client, stop
}

func startEtcdMember(t *testing.T, endpoint, clusterName, id string) *testMember {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rec := &recorder{}
	p := newEtcdMembership(t.Context(), []string{endpoint}, time.Second, quiet)
	self := memberInfo{Cluster: clusterName, ID: id, Host: "127.0.0.1", Port: 6000, Kinds: []string{"session"}}
	require.NoError(t, p.start(self, newTopologyWith(rec.update, rec.blockedIDs)))
	t.Cleanup(func() { _ = p.Shutdown(true) })
	return &testMember{rec: rec, id: id, etcd: p}
}

func TestEtcd_MembersJoinLeaveAndExpire(t *testing.T) {
	endpoint := startEtcd(t)
	a := startEtcdMember(t, endpoint, "c", "a")
	b := startEtcdMember(t, endpoint, "c", "b")
	c := startEtcdMember(t, endpoint, "c", "c")
	other := startEtcdMember(t, endpoint, "other-cluster", "x")
	for _, m := range []*testMember{a, b, c} {
		waitClosed(t, m.etcd.Ready(), "ready of "+m.id)
		waitView(t, m, "a", "b", "c")
	}
	waitView(t, other, "x")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, c.etcd.Leave(ctx))
	waitView(t, a, "a", "b") // at once: the key is deleted, not expired
	select {
	case <-c.etcd.Evicted():
		t.Fatal("a graceful leave is not an eviction")
	default:
	}

	// b dies without a word: its lease runs out after the TTL.
	b.etcd.stop()
	<-b.etcd.done
	require.NoError(t, b.etcd.client.Close())
	waitView(t, a, "a")
}

func TestEtcd_LostLeaseIsAnEviction(t *testing.T) {
	endpoint := startEtcd(t)
	a := startEtcdMember(t, endpoint, "c", "a")
	waitClosed(t, a.etcd.Ready(), "ready")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := a.etcd.client.Revoke(ctx, a.etcd.lease) // as if it expired during a long pause
	require.NoError(t, err)
	waitClosed(t, a.etcd.Evicted(), "eviction")
}

// TestEtcd_ClientLogsThroughTheNodeLogger stops etcd under a registered
// member: the etcd client's own warnings (zap) must reach the member's slog
// logger as JSON, tagged lib=etcd, instead of the client's default zap
// logger on stderr.
func TestEtcd_ClientLogsThroughTheNodeLogger(t *testing.T) {
	endpoint, stopEtcd := startStoppableEtcd(t)
	out := &lockedBuffer{}
	p := newEtcdMembership(t.Context(), []string{endpoint}, time.Second, slog.New(slog.NewJSONHandler(out, nil)))
	self := memberInfo{Cluster: "logs", ID: "a", Host: "127.0.0.1", Port: 6000, Kinds: []string{"session"}}
	rec := &recorder{}
	require.NoError(t, p.start(self, newTopologyWith(rec.update, rec.blockedIDs)))
	t.Cleanup(func() { _ = p.Shutdown(true) })
	waitClosed(t, p.Ready(), "ready")
	stopEtcd()
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, _ = p.client.Get(ctx, "/probe") // a unary call the client retries, and logs
		return strings.Contains(out.String(), `"lib":"etcd"`)
	}, 20*time.Second, 10*time.Millisecond, "etcd client logged nothing through the logger")
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), "not JSON: %q", line)
	}
}
