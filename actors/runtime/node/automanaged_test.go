package node

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/cluster"
	"github.com/stretchr/testify/require"
)

// recorder stands in for protoactor's member list: it keeps every view the
// provider applied.
type recorder struct {
	mu      sync.Mutex
	views   [][]string
	blocked []string
}

func (r *recorder) update(members cluster.Members) {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.Id
	}
	slices.Sort(ids)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.views = append(r.views, ids)
}

func (r *recorder) latest() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.views) == 0 {
		return nil
	}
	return r.views[len(r.views)-1]
}

func (r *recorder) block(ids ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocked = append(r.blocked, ids...)
}

func (r *recorder) blockedIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.blocked)
}

// freeAddrs reserves n loopback addresses for discovery endpoints.
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addrs[i] = l.Addr().String()
		require.NoError(t, l.Close())
	}
	return addrs
}

type testMember struct {
	provider *automanaged
	etcd     *etcdMembership
	rec      *recorder
	id       string
}

// lockedBuffer collects a child process's output for failure messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// startMembers runs one provider per address, each knowing all of them.
func startMembers(t *testing.T, clusterName string, addrs []string, ids ...string) []*testMember {
	t.Helper()
	return startMembersSuspecting(t, clusterName, addrs, 2, ids...)
}

// startMembersSuspecting is startMembers with a given suspicion threshold.
func startMembersSuspecting(t *testing.T, clusterName string, addrs []string, suspectAfter int, ids ...string) []*testMember {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	members := make([]*testMember, len(ids))
	for i, id := range ids {
		rec := &recorder{}
		p := newAutomanaged(t.Context(), addrs[i], addrs, 10*time.Millisecond, suspectAfter, quiet)
		self := memberInfo{Cluster: clusterName, ID: id, Host: "127.0.0.1", Port: 6000 + i, Kinds: []string{"session"}}
		require.NoError(t, p.start(self, newTopologyWith(rec.update, rec.blockedIDs)))
		t.Cleanup(func() { _ = p.Shutdown(true) })
		members[i] = &testMember{provider: p, rec: rec, id: id}
	}
	return members
}

func waitView(t *testing.T, m *testMember, want ...string) {
	t.Helper()
	require.Eventually(t, func() bool { return slices.Equal(m.rec.latest(), want) },
		5*time.Second, 5*time.Millisecond, "member %s sees %v, want %v", m.id, m.rec.latest(), want)
}

func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not happen", what)
	}
}

func TestAutomanaged_EveryMemberSeesEveryPeerAndIsReady(t *testing.T) {
	addrs := freeAddrs(t, 3)
	ms := startMembers(t, "c", addrs, "a", "b", "c")
	for _, m := range ms {
		waitClosed(t, m.provider.Ready(), "ready of "+m.id)
		waitView(t, m, "a", "b", "c")
	}
}

func TestAutomanaged_DeadPeerLeavesAfterFailedProbes(t *testing.T) {
	addrs := freeAddrs(t, 3)
	ms := startMembers(t, "c", addrs, "a", "b", "c")
	waitView(t, ms[0], "a", "b", "c")
	require.NoError(t, ms[2].provider.Shutdown(true)) // its endpoint is gone: like kill -9
	waitView(t, ms[0], "a", "b")
	waitView(t, ms[1], "a", "b")
}

// A peer whose port refuses connections is gone (killed, crashed): it leaves
// at once, however patient the suspicion threshold for slow peers is.
func TestAutomanaged_RefusedPeerLeavesAtOnce(t *testing.T) {
	addrs := freeAddrs(t, 2)
	ms := startMembersSuspecting(t, "c", addrs, 1_000_000, "a", "b")
	waitView(t, ms[0], "a", "b")
	require.NoError(t, ms[1].provider.Shutdown(true))
	waitView(t, ms[0], "a")
}

// A peer that accepts connections but stops answering is suspected for
// suspectAfter probes before it leaves.
func TestAutomanaged_SilentPeerLeavesAfterSuspicion(t *testing.T) {
	var silent atomic.Bool
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if silent.Load() {
			<-r.Context().Done()
			return
		}
		_ = json.NewEncoder(w).Encode(memberInfo{Cluster: "c", ID: "s", Host: "127.0.0.1", Port: 2})
	}))
	t.Cleanup(peer.Close)
	addrs := []string{freeAddrs(t, 1)[0], peer.Listener.Addr().String()}
	a := startMembers(t, "c", addrs, "a")[0]
	waitView(t, a, "a", "s")
	silent.Store(true)
	waitView(t, a, "a")
}

func TestAutomanaged_LeaveReturnsOncePeersDroppedTheMember(t *testing.T) {
	addrs := freeAddrs(t, 3)
	ms := startMembers(t, "c", addrs, "a", "b", "c")
	for _, m := range ms {
		waitView(t, m, "a", "b", "c")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, ms[2].provider.Leave(ctx))
	// Leave returned only after both peers answered without "c".
	for _, m := range ms[:2] {
		require.Equal(t, []string{"a", "b"}, m.rec.latest())
	}
	require.Equal(t, []string{"a", "b", "c"}, ms[2].rec.latest(), "a leaving member keeps its view while grains move")
}

func TestAutomanaged_LeaveTimesOutWhileAPeerStillListsIt(t *testing.T) {
	// "a" is alive but never updates its view: it keeps listing "b".
	stale := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(memberInfo{Cluster: "c", ID: "a", Host: "127.0.0.1", Port: 1, Members: []string{"a", "b"}})
	}))
	t.Cleanup(stale.Close)
	addrs := []string{freeAddrs(t, 1)[0], stale.Listener.Addr().String()}
	b := startMembers(t, "c", addrs, "b")[0]
	waitView(t, b, "a", "b")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, b.provider.Leave(ctx), context.DeadlineExceeded)
}

func TestAutomanaged_MemberBlockedByAPeerIsEvicted(t *testing.T) {
	addrs := freeAddrs(t, 2)
	ms := startMembers(t, "c", addrs, "a", "b")
	waitView(t, ms[1], "a", "b")
	select {
	case <-ms[1].provider.Evicted():
		t.Fatal("evicted before anyone blocked it")
	default:
	}
	ms[0].rec.block("b")
	waitClosed(t, ms[1].provider.Evicted(), "eviction of b")
}

func TestAutomanaged_IgnoresPeersOfAnotherCluster(t *testing.T) {
	addrs := freeAddrs(t, 2)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ours := startMembers(t, "ours", addrs, "a")[0] // probes both addresses
	stranger := newAutomanaged(t.Context(), addrs[1], addrs, 10*time.Millisecond, 2, quiet)
	rec := &recorder{}
	require.NoError(t, stranger.start(memberInfo{Cluster: "theirs", ID: "x", Host: "127.0.0.1", Port: 1}, newTopologyWith(rec.update, rec.blockedIDs)))
	t.Cleanup(func() { _ = stranger.Shutdown(true) })
	waitView(t, rec2member(rec, "x"), "x")
	waitView(t, ours, "a")
}

func rec2member(rec *recorder, id string) *testMember { return &testMember{rec: rec, id: id} }
