package leaderboard

import (
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/protos"
)

func TestGrain_RebuildThenQueries(t *testing.T) {
	t.Parallel()
	store := storeWith(today,
		standing("carol", 30, 5), standing("alice", 50, 1), standing("bob", 30, 2), standing("dave", 10, 0))
	h := newHarness(t, store, nil)
	pid := h.pid(t, today)

	top := h.ask(t, pid, &protos.TopQuery{Limit: 10}).(*protos.TopReply)
	require.Equal(t, []string{"1:alice", "2:bob", "3:carol", "4:dave"}, rankedIDs(top.GetEntries()))
	require.EqualValues(t, 4, top.GetTotal())
	require.False(t, top.GetHasMore())

	rank := h.ask(t, pid, &protos.RankQuery{PlayerId: "carol"}).(*protos.RankReply)
	require.True(t, rank.GetFound())
	require.EqualValues(t, 3, rank.GetEntry().GetRank())
	require.Equal(t, "u-carol", rank.GetEntry().GetEntry().GetUsername())

	missing := h.ask(t, pid, &protos.RankQuery{PlayerId: "zed"}).(*protos.RankReply)
	require.False(t, missing.GetFound())
	require.EqualValues(t, 4, missing.GetTotal())

	around := h.ask(t, pid, &protos.AroundQuery{PlayerId: "bob", Radius: 1}).(*protos.AroundReply)
	require.Equal(t, []string{"1:alice", "2:bob", "3:carol"}, rankedIDs(around.GetEntries()))
	require.EqualValues(t, 1, store.calls.Load(), "one rebuild per activation")
	require.InDelta(t, 4, testutil.ToFloat64(h.metrics.IndexSize.WithLabelValues("daily")), 0)
}

func TestGrain_StashesDuringSlowRebuild(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 0), standing("bob", 40, 0))
	store.gate = make(chan struct{})
	h := newHarness(t, store, nil)
	pid := h.pid(t, today)

	rank := h.root.RequestFuture(pid, &protos.RankQuery{PlayerId: "bob"}, 5*time.Second)
	h.root.Send(pid, &protos.ApplyStandings{Entries: []*protos.StandingEntry{
		entryToProto(entryOf(standing("bob", 60, 9))),
	}})
	top := h.root.RequestFuture(pid, &protos.TopQuery{Limit: 5}, 5*time.Second)
	require.Eventually(t, func() bool {
		return testutil.ToFloat64(h.metrics.StashDepth.WithLabelValues("daily")) == 3
	}, 5*time.Second, time.Millisecond, "all three messages wait for the rebuild")

	close(store.gate)
	first, err := rank.Result()
	require.NoError(t, err)
	require.EqualValues(t, 2, first.(*protos.RankReply).GetEntry().GetRank(), "answered in arrival order, before the apply")
	second, err := top.Result()
	require.NoError(t, err)
	require.Equal(t, []string{"1:bob", "2:alice"}, rankedIDs(second.(*protos.TopReply).GetEntries()))
	require.Zero(t, testutil.ToFloat64(h.metrics.StashDepth.WithLabelValues("daily")))
}

func TestGrain_StashOverflow(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 0))
	store.gate = make(chan struct{})
	t.Cleanup(func() { close(store.gate) })
	h := newHarness(t, store, func(d *Deps) { d.StashLimit = 2 })
	pid := h.pid(t, today)

	h.root.Send(pid, &protos.RankQuery{PlayerId: "alice"})
	h.root.Send(pid, &protos.RankQuery{PlayerId: "alice"})
	h.root.Send(pid, &protos.ApplyStandings{})
	reply := h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"})
	require.IsType(t, &protos.QueryFailed{}, reply)
	require.InDelta(t, 1, testutil.ToFloat64(h.metrics.StashOverflow.WithLabelValues("daily", "apply")), 0)
	require.InDelta(t, 1, testutil.ToFloat64(h.metrics.StashOverflow.WithLabelValues("daily", "query")), 0)
}

func TestGrain_ApplyStandings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		applied []*protos.StandingEntry
		want    []string
	}{
		{
			name:    "new player enters",
			applied: []*protos.StandingEntry{entryToProto(entryOf(standing("erin", 45, 0)))},
			want:    []string{"1:alice", "2:erin", "3:bob", "4:carol"},
		},
		{
			name:    "improvement moves up",
			applied: []*protos.StandingEntry{entryToProto(entryOf(standing("carol", 60, 0)))},
			want:    []string{"1:carol", "2:alice", "3:bob"},
		},
		{
			name:    "worse score ignored",
			applied: []*protos.StandingEntry{entryToProto(entryOf(standing("alice", 1, 0)))},
			want:    []string{"1:alice", "2:bob", "3:carol"},
		},
		{
			name: "tie goes to who got there first",
			applied: []*protos.StandingEntry{
				entryToProto(entryOf(standing("carol", 40, -10))),
			},
			want: []string{"1:alice", "2:carol", "3:bob"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := storeWith(today, standing("alice", 50, 0), standing("bob", 40, 0), standing("carol", 30, 0))
			h := newHarness(t, store, nil)
			pid := h.pid(t, today)
			h.root.Send(pid, &protos.ApplyStandings{Entries: tt.applied})
			top := h.ask(t, pid, &protos.TopQuery{Limit: 10}).(*protos.TopReply)
			require.Equal(t, tt.want, rankedIDs(top.GetEntries()))
		})
	}
}

func TestGrain_RebuildFailureThenRetry(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 0))
	store.failures = 1
	h := newHarness(t, store, nil)
	pid := h.pid(t, today)

	failed := h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"})
	require.Equal(t, &protos.QueryFailed{Reason: "leaderboard unavailable"}, failed)
	h.root.Send(pid, &protos.ApplyStandings{}) // dropped while failed, no reply expected

	h.root.Send(pid, &RetryTick{})
	ok := h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"}).(*protos.RankReply)
	require.True(t, ok.GetFound())
	require.EqualValues(t, 2, store.calls.Load())
}

func TestGrain_Passivation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		identity string
		stops    bool
	}{
		{"past period stops when idle", yesterday, true},
		{"current period stays", today, false},
		{"challenge board stops when idle", challengeBoard, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, storeWith(tt.identity, standing("alice", 1, 0)), nil)
			pid := h.pid(t, tt.identity)
			h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"}) // rebuilt and serving
			h.root.Send(pid, &actor.ReceiveTimeout{})
			if tt.stops {
				require.Eventually(t, func() bool { return !h.alive(pid) }, 5*time.Second, time.Millisecond)
				return
			}
			reply := h.ask(t, pid, &protos.RankQuery{PlayerId: "alice"})
			require.True(t, reply.(*protos.RankReply).GetFound())
		})
	}
}

func TestGrain_UnknownIdentity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today), nil)
	for _, identity := range []string{"classic/daily/2026-13-01", "classic/yearly/2026", "nonsense", "daily/2026-11-24", "Bad Mode/daily/2026-11-24"} {
		pid := h.pid(t, identity)
		reply := h.ask(t, pid, &protos.TopQuery{Limit: 1})
		require.Equal(t, &protos.QueryFailed{Reason: "unknown leaderboard"}, reply, identity)
	}
	require.Zero(t, h.store.calls.Load())
}

func (h *harness) alive(pid *actor.PID) bool {
	_, ok := h.system.ProcessRegistry.GetLocal(pid.Id)
	return ok
}
