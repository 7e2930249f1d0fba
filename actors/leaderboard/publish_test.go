package leaderboard

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

func TestGrain_PublishTick(t *testing.T) {
	t.Parallel()
	better := func(player string, score int64) *protos.ApplyStandings {
		return &protos.ApplyStandings{Entries: []*protos.StandingEntry{entryToProto(entryOf(standing(player, score, 0)))}}
	}
	tests := []struct {
		name     string
		identity string
		applies  []*protos.ApplyStandings
		ticks    int
		want     int
	}{
		{"two applies then one tick publish once", today, []*protos.ApplyStandings{better("bob", 70), better("carol", 80)}, 1, 1},
		{"clean board publishes nothing", today, nil, 2, 0},
		{"second tick without change is silent", today, []*protos.ApplyStandings{better("bob", 70)}, 3, 1},
		{"non-improving apply keeps the board clean", today, []*protos.ApplyStandings{better("alice", 1)}, 1, 0},
		{"past period never publishes", yesterday, []*protos.ApplyStandings{better("bob", 70)}, 1, 0},
		{"no tick, no publish", today, []*protos.ApplyStandings{better("bob", 70)}, 0, 0},
		{"a challenge's board publishes", challengeBoard, []*protos.ApplyStandings{better("bob", 70)}, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, storeWith(tt.identity, standing("alice", 50, 0), standing("bob", 40, 0)), nil)
			pid := h.pid(t, tt.identity)
			h.ask(t, pid, &protos.RankQuery{}) // serving: ticks during a rebuild are skipped
			// The first tick announces the rebuilt standings, once, for the
			// current period only.
			h.root.Send(pid, &PublishTick{})
			h.ask(t, pid, &protos.RankQuery{})
			rebuilt := h.pub.count()
			require.Equal(t, map[string]int{today: 1, yesterday: 0, challengeBoard: 1}[tt.identity], rebuilt)
			for _, a := range tt.applies {
				h.root.Send(pid, a)
			}
			for range tt.ticks {
				h.root.Send(pid, &PublishTick{})
			}
			h.ask(t, pid, &protos.RankQuery{}) // mailbox order: every tick is handled
			require.Equal(t, tt.want, h.pub.count()-rebuilt)
		})
	}
}

func TestGrain_PublishPayload(t *testing.T) {
	t.Parallel()
	h := newHarness(t, storeWith(today, standing("alice", 50, 0), standing("bob", 40, 0), standing("carol", 30, 0)), nil)
	pid := h.pid(t, today)
	h.ask(t, pid, &protos.RankQuery{})
	h.root.Send(pid, &protos.ApplyStandings{Entries: []*protos.StandingEntry{entryToProto(entryOf(standing("dave", 45, 0)))}})
	h.root.Send(pid, &PublishTick{})
	h.ask(t, pid, &protos.RankQuery{})

	h.pub.mu.Lock()
	defer h.pub.mu.Unlock()
	require.Equal(t, []string{"leaderboard:daily"}, h.pub.topics)
	ev := h.pub.events[0]
	require.Equal(t, events.TypeLeaderboardUpdate, ev.GetType())
	var update events.LeaderboardUpdate
	require.NoError(t, json.Unmarshal(ev.GetData(), &update))
	require.Equal(t, "daily", update.LeaderboardID)
	require.Equal(t, "2026-11-24", update.Period)
	require.Len(t, update.Scores, 3, "TopN entries")
	require.Equal(t, "dave", update.Scores[1].PlayerID)
	require.EqualValues(t, 2, update.Scores[1].Rank)
	require.Equal(t, "u-dave", update.Scores[1].Username)
}

// TestGrain_OwnTimers checks the scheduler plumbing the other tests replace
// with hand-sent ticks: a failed rebuild retries by itself and a change is
// published by itself.
func TestGrain_OwnTimers(t *testing.T) {
	t.Parallel()
	store := storeWith(today, standing("alice", 50, 0))
	store.failures = 1
	h := newHarness(t, store, func(d *Deps) {
		d.RetryBackoff = time.Millisecond
		d.Config.PublishInterval = time.Millisecond
	})
	pid := h.pid(t, today)
	require.Eventually(t, func() bool {
		reply, err := h.root.RequestFuture(pid, &protos.RankQuery{PlayerId: "alice"}, time.Second).Result()
		rank, ok := reply.(*protos.RankReply)
		return err == nil && ok && rank.GetFound()
	}, 5*time.Second, 5*time.Millisecond)
	require.EqualValues(t, 2, store.calls.Load())

	h.root.Send(pid, &protos.ApplyStandings{Entries: []*protos.StandingEntry{entryToProto(entryOf(standing("bob", 70, 0)))}})
	require.Eventually(t, func() bool { return h.pub.count() == 1 }, 5*time.Second, time.Millisecond)
}
