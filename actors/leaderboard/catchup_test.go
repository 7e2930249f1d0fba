package leaderboard

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// setGate holds the store's next calls until the returned channel closes.
func (s *sliceStore) setGate() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate = make(chan struct{})
	return s.gate
}

// topOf reads the grain's whole board as "rank:player:score:user".
func topOf(t *testing.T, h *harness, identity string) []string {
	t.Helper()
	reply := h.ask(t, h.pid(t, identity), &protos.TopQuery{Limit: MaxPageSize}).(*protos.TopReply)
	var out []string
	for _, r := range rankedFromProto(reply.GetEntries()) {
		out = append(out, fmt.Sprintf("%d:%s:%d:%s", r.Rank, r.PlayerID, r.Score, r.Username))
	}
	return out
}

// requireBoard polls the grain (sending CatchUpTick each time) until it
// serves want, or fails after a deadline.
func requireBoard(t *testing.T, h *harness, identity string, want []string) {
	t.Helper()
	pid := h.pid(t, identity)
	require.Eventually(t, func() bool {
		h.root.Send(pid, &CatchUpTick{})
		got := topOf(t, h, identity)
		return slices.Equal(got, want)
	}, 5*time.Second, 5*time.Millisecond, "board %s never served %v (serves %v)", identity, want, topOf(t, h, identity))
}

func TestGrain_CatchUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		stored []persistence.Standing // written after the grain loaded, never applied
		want   []string
	}{
		{
			name:   "a new player",
			stored: []persistence.Standing{standing("carol", 70, 3)},
			want:   []string{"1:carol:70:u-carol", "2:alice:50:u-alice", "3:bob:40:u-bob"},
		},
		{
			name:   "a better score",
			stored: []persistence.Standing{standing("bob", 60, 4)},
			want:   []string{"1:bob:60:u-bob", "2:alice:50:u-alice"},
		},
		{
			name:   "the same score reached earlier",
			stored: []persistence.Standing{standing("alice", 50, -5)},
			want:   []string{"1:alice:50:u-alice", "2:bob:40:u-bob"},
		},
		{
			name:   "a rename",
			stored: []persistence.Standing{{PlayerID: "bob", Username: "robert", Score: 40, AchievedAt: standing("bob", 40, 2).AchievedAt}},
			want:   []string{"1:alice:50:u-alice", "2:bob:40:robert"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := storeWith(today, standing("alice", 50, 1), standing("bob", 40, 2))
			h := newHarness(t, store, nil)
			require.Len(t, topOf(t, h, today), 2)
			for _, st := range tt.stored {
				store.put(today, st)
			}
			requireBoard(t, h, today, tt.want)
			require.Positive(t, testutil.ToFloat64(h.metrics.CatchUps.WithLabelValues("daily", "changed")))

			h.root.Send(h.pid(t, today), &PublishTick{})
			require.Eventually(t, func() bool { return h.pub.count() == 1 }, 5*time.Second, time.Millisecond,
				"what the grain caught up with is published")
		})
	}
}

func TestGrain_CatchUpReadsSinceItsMark(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 1))
	h := newHarness(t, store, nil)
	pid := h.pid(t, today)
	require.Len(t, topOf(t, h, today), 1)
	store.put(today, standing("bob", 40, 2)) // write 1

	requireBoard(t, h, today, []string{"1:alice:50:u-alice", "2:bob:40:u-bob"})
	h.root.Send(pid, &CatchUpTick{})
	require.Eventually(t, func() bool { return len(store.sincesNow()) >= 3 }, 5*time.Second, time.Millisecond)
	sinces := store.sincesNow()
	require.Equal(t, persistence.StandingMark(0), sinces[0], "the rebuild reads everything")
	require.Equal(t, persistence.StandingMark(1), sinces[1], "the first catch-up reads from the rebuild's mark")
	require.Equal(t, persistence.StandingMark(2), sinces[len(sinces)-1], "later ones from the last mark")
}

func TestGrain_CatchUpSurvivesFailures(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 1))
	h := newHarness(t, store, nil)
	require.Len(t, topOf(t, h, today), 1)
	store.mu.Lock()
	store.failures = 1
	store.mu.Unlock()
	store.put(today, standing("bob", 60, 2))

	requireBoard(t, h, today, []string{"1:bob:60:u-bob", "2:alice:50:u-alice"})
	require.InDelta(t, 1, testutil.ToFloat64(h.metrics.CatchUps.WithLabelValues("daily", "error")), 0)
}

// A read overtaken by an apply of a newer result, and ticks while a read is
// in flight: one query at a time, and the newer entry stays.
func TestGrain_CatchUpOvertakenByApply(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 1))
	h := newHarness(t, store, nil)
	pid := h.pid(t, today)
	require.Len(t, topOf(t, h, today), 1)
	gate := store.setGate()
	store.put(today, standing("bob", 60, 2))
	before := store.calls.Load()

	h.root.Send(pid, &CatchUpTick{})
	h.root.Send(pid, &CatchUpTick{})
	h.root.Send(pid, &protos.ApplyStandings{Entries: []*protos.StandingEntry{entryToProto(entryOf(standing("bob", 90, 3)))}})
	require.Equal(t, []string{"1:bob:90:u-bob", "2:alice:50:u-alice"}, topOf(t, h, today))
	close(gate)
	require.Eventually(t, func() bool { return testutil.ToFloat64(h.metrics.CatchUps.WithLabelValues("daily", "unchanged")) == 1 },
		5*time.Second, time.Millisecond)
	require.Equal(t, before+1, store.calls.Load(), "a tick while a read is in flight starts none")
	require.Equal(t, []string{"1:bob:90:u-bob", "2:alice:50:u-alice"}, topOf(t, h, today))
}
