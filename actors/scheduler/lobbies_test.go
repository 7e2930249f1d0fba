package scheduler_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/persistence"
)

// storeLobby stores a match lobby created at the given time, left waiting
// as a crashed node leaves it.
func (w *world) storeLobby(created time.Time) string {
	w.t.Helper()
	creator := uuid.NewString()
	s := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 4,
		CreatorID: creator, PlayerIDs: []string{creator}, State: persistence.StateWaiting, Seed: 1, CreatedAt: created}
	require.NoError(w.t, w.store.CreateSession(w.ctx, s))
	return s.ID
}

func (j *job) lobbySweeps() float64 {
	return testutil.ToFloat64(j.metrics.LobbySweeps.WithLabelValues("ok"))
}

// tickSweep moves the job's clock to ts, ticks, and waits for the sweeps
// to reach n.
func (j *job) tickSweep(ts time.Time, n float64) {
	j.w.t.Helper()
	j.clock.Set(ts)
	j.w.system.Root.Send(j.pid, &scheduler.Tick{})
	require.Eventually(j.w.t, func() bool { return j.lobbySweeps() >= n }, wait, time.Millisecond)
}

// TestScheduler_ClosesOrphanedLobbies: lobbies no grain will activate again
// are closed in the database at the leader's first tick and then
// periodically, once past the waiting timeout (plus the grace left to live
// grains) counted from their creation.
func TestScheduler_ClosesOrphanedLobbies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	start := ts("2026-11-24T12:00:00Z")
	const timeout = 10 * time.Minute
	orphan := w.storeLobby(start.Add(-timeout - scheduler.LobbySweepGrace - time.Second))
	young := w.storeLobby(start.Add(-timeout + 30*time.Second))
	j := w.spawnWith(w.lead("node-a"), start, func(d *scheduler.Deps) {
		d.Lobbies, d.LobbyTimeout, d.LobbySweepEvery = w.store, timeout, time.Minute
	})

	tests := []struct {
		name   string
		at     time.Time
		sweeps float64
		want   map[string]persistence.SessionState
	}{
		{name: "first tick of the leadership sweeps", at: start, sweeps: 1,
			want: map[string]persistence.SessionState{orphan: persistence.StateAborted, young: persistence.StateWaiting}},
		{name: "no sweep before the period", at: start.Add(59 * time.Second), sweeps: 1,
			want: map[string]persistence.SessionState{young: persistence.StateWaiting}},
		{name: "next sweep closes the lobby once its time is up", at: start.Add(2 * time.Minute), sweeps: 2,
			want: map[string]persistence.SessionState{young: persistence.StateAborted}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j.tickSweep(tc.at, tc.sweeps)
			require.Equal(t, tc.sweeps, j.lobbySweeps())
			for id, state := range tc.want {
				got, err := w.store.Session(w.ctx, id)
				require.NoError(t, err)
				require.Equal(t, state, got.State)
				if state == persistence.StateAborted {
					require.Equal(t, persistence.AbortLobbyExpired, got.EndReason)
				}
			}
		})
	}
	require.Equal(t, 2.0, testutil.ToFloat64(j.metrics.LobbiesExpired))
}
