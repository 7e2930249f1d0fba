package session

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// storeRunning stores a solo classic session whose snapshot is a running
// game last seen at clock: the player scored mole 1, and mole 2 is up from
// clock-500ms to clock+300ms. 28.5 s of the game are left.
func (h *harness) storeRunning(p *probe, clock time.Time) string {
	h.t.Helper()
	ctx := context.Background()
	mode, err := h.store.Mode(ctx, "classic")
	require.NoError(h.t, err)
	g, err := game.New(rulesMode(mode), game.Limits{LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond,
		MaxWhacksPerSecond: 15}, h.seed, 1, p.ref.PlayerId)
	require.NoError(h.t, err)
	_, err = g.Begin(clock.Add(-4500 * time.Millisecond))
	require.NoError(h.t, err)
	var one game.Mole
	for _, ev := range g.Advance(clock.Add(-1500 * time.Millisecond)) {
		if up, ok := ev.(game.MoleUp); ok {
			one = up.Mole
		}
	}
	hit, err := g.Whack(game.Whack{PlayerID: p.ref.PlayerId, Hole: one.Hole, MoleID: one.ID, At: clock.Add(-1300 * time.Millisecond)})
	require.NoError(h.t, err)
	require.IsType(h.t, game.Hit{}, hit[0])
	g.Advance(clock.Add(-500 * time.Millisecond))
	g.Advance(clock)
	data, err := g.Snapshot()
	require.NoError(h.t, err)
	id := uuid.NewString()
	require.NoError(h.t, h.store.CreateSession(ctx, persistence.Session{
		ID: id, Mode: "classic", ModeVersion: mode.Version, Kind: persistence.KindSolo, MaxPlayers: 1, CreatorID: p.ref.PlayerId,
		PlayerIDs: []string{p.ref.PlayerId}, State: persistence.StateRunning, GameSeed: h.seed[:], Snapshot: data,
		CreatedAt: clock.Add(-5 * time.Second), StartedAt: g.StartedAt(),
	}))
	return id
}

func TestSession_ResumesAfterAnOutageWithinTheWindow(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-outage-01")
	p := h.newProbe(pl.ID, pl.Username)
	clock := h.clock.Now()
	id := h.storeRunning(p, clock)
	resumed := testutil.ToFloat64(sessionsResumed.WithLabelValues("resumed"))

	h.clock.Set(clock.Add(5 * time.Second)) // the node died; the grain comes back 5 s later
	h.send(id, &protos.JoinSession{From: p.ref, RequestId: 7})
	require.EqualValues(t, 7, p.next(events.TypeAck).RequestId)
	require.Equal(t, events.StateChange{GameID: id, State: events.StateStarted, Players: 1, RemainingMs: 28_500},
		decode[events.StateChange](t, p.next(events.TypeStateChange)), "the same time is left as before the outage")
	up := decode[events.Mole](t, p.next(events.TypeMole))
	require.EqualValues(t, 2, up.MoleID)
	require.EqualValues(t, 300, up.UpMs, "the live mole keeps the time it had left")
	require.Equal(t, resumed+1, testutil.ToFloat64(sessionsResumed.WithLabelValues("resumed")))

	h.clock.Advance(200 * time.Millisecond)
	p.whack(id, 8, up.Hole, up.MoleID)
	hit := p.next(events.TypeHit + "|" + events.TypeMiss)
	require.Equal(t, events.TypeHit, hit.Type, "judged on the resumed schedule, not as expired")
	require.EqualValues(t, 2, decode[events.Hit](t, hit).Score)

	h.tick(id, 29*time.Second)
	require.EqualValues(t, 2, decode[events.Over](t, p.next(events.TypeOver)).Results[0].Score)
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
}

func TestSession_AbortsAfterAnOutageLongerThanTheWindow(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-outage-02")
	p := h.newProbe(pl.ID, pl.Username)
	clock := h.clock.Now()
	id := h.storeRunning(p, clock)
	aborted := testutil.ToFloat64(sessionsResumed.WithLabelValues("aborted"))

	h.clock.Set(clock.Add(31 * time.Second)) // ResumeWindow is 30 s
	h.send(id, &protos.JoinSession{From: p.ref, RequestId: 7})
	require.EqualValues(t, 7, p.next(events.TypeAck).RequestId)
	ended := p.next(events.TypeStateChange)
	require.True(t, ended.Detach)
	require.Equal(t, events.StateChange{GameID: id, State: events.StateEnded, Reason: events.ReasonAborted},
		decode[events.StateChange](t, ended))
	require.Equal(t, aborted+1, testutil.ToFloat64(sessionsResumed.WithLabelValues("aborted")))

	ctx := context.Background()
	stored, err := h.store.Session(ctx, id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateAborted, stored.State)
	require.Equal(t, persistence.AbortResumeWindow, stored.EndReason, "the row records the abort and its reason")
	require.Len(t, stored.Results, 1)
	require.Equal(t, persistence.AbortResumeWindow, stored.Results[0].Voided)
	require.Zero(t, stored.Results[0].Score, "the partial score (1) is not recorded")
	require.Zero(t, stored.Results[0].Hits)
	require.Zero(t, outboxRows(t, h, id), "no badge, challenge or other follow-up work")
	stats, err := h.store.Stats(ctx, pl.ID)
	require.NoError(t, err)
	require.Zero(t, stats.GamesPlayed, "an aborted game counts for nobody")
	require.Zero(t, stats.BestScore)
	for _, board := range []struct{ name, period string }{{"global", "all"}, {"daily", "2026-11-24"}} {
		require.NoError(t, h.store.EachStanding(ctx, persistence.BoardKey{Mode: "classic", Board: board.name, Period: board.period}, func(s persistence.Standing) error {
			t.Fatalf("aborted game reached %s: %+v", board.name, s)
			return nil
		}))
	}
	require.Empty(t, h.rec.appliedTo("classic/global/all"))
}

// outboxRows counts the outbox rows a session wrote.
// outboxRows counts the follow-up work a game left (its game.started row,
// written when the session was created, is not follow-up work).
func outboxRows(t *testing.T, h *harness, id string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	var n int
	require.NoError(t, conn.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE key = $1 AND topic <> $2`, id, persistence.TopicGameStarted).Scan(&n))
	return n
}

// storedSnapshotAt reads when the session's snapshot was last written.
func storedSnapshotAt(t *testing.T, h *harness, id string) time.Time {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	require.NoError(t, err)
	defer func() { require.NoError(t, conn.Close(context.Background())) }()
	var at *time.Time
	require.NoError(t, conn.QueryRow(context.Background(), `SELECT snapshot_at FROM sessions WHERE id = $1`, id).Scan(&at))
	if at == nil {
		return time.Time{}
	}
	return at.UTC()
}

func TestSession_StoppingWritesAFinalSnapshot(t *testing.T) {
	tests := []struct {
		name      string
		claimed   bool // a newer activation owns the session before the stop
		wantScore int64
	}{
		{"owner saves where the game is", false, 1},
		{"stale activation writes nothing", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			flush := &Flush{}
			h := newHarness(t, func(d *Deps) { d.Flush = flush })
			pl := h.createPlayer("device-final-" + uuid.NewString()[:4])
			p := h.newProbe(pl.ID, pl.Username)
			id := startSolo(t, h, p)
			require.Eventually(t, func() bool { return snapshotScore(t, h, id, pl.ID) == 0 }, 5*time.Second, 5*time.Millisecond)
			periodic := storedSnapshotAt(t, h, id)

			mole := decode[events.Mole](t, p.next(events.TypeMole))
			h.clock.Advance(200 * time.Millisecond)
			p.whack(id, 2, mole.Hole, mole.MoleID)
			require.EqualValues(t, 1, decode[events.Hit](t, p.next(events.TypeHit)).Score)
			h.clock.Advance(300 * time.Millisecond)
			if tt.claimed {
				_, err := h.store.ClaimSession(context.Background(), id)
				require.NoError(t, err)
			}

			pid, err := h.dir.PID(context.Background(), "session", id)
			require.NoError(t, err)
			require.NoError(t, h.system.Root.StopFuture(pid).Wait())
			wait, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			require.NoError(t, flush.Wait(wait))
			require.Zero(t, flush.Pending())

			require.Equal(t, tt.wantScore, snapshotScore(t, h, id, pl.ID))
			if tt.claimed {
				require.Equal(t, periodic, storedSnapshotAt(t, h, id))
				return
			}
			require.True(t, storedSnapshotAt(t, h, id).After(periodic), "newer than the last periodic snapshot")
			require.Equal(t, h.clock.Now(), storedSnapshotAt(t, h, id))
		})
	}
}

func TestFlush_Wait(t *testing.T) {
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name        string
		flush       *Flush
		begun, done int
		doneLater   bool // the last pending write ends while Wait waits
		ctx         context.Context
		wantErr     error
		wantPending int
	}{
		{"nil tracks nothing", nil, 1, 0, false, expired, nil, 0},
		{"idle", &Flush{}, 0, 0, false, expired, nil, 0},
		{"all written", &Flush{}, 2, 2, false, expired, nil, 0},
		{"waits for the last write", &Flush{}, 2, 1, true, context.Background(), nil, 0},
		{"gives up with its context", &Flush{}, 2, 1, false, expired, context.Canceled, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range tt.begun {
				tt.flush.begin()
			}
			for range tt.done {
				tt.flush.done()
			}
			if tt.doneLater {
				go tt.flush.done()
			}
			require.ErrorIs(t, tt.flush.Wait(tt.ctx), tt.wantErr)
			require.Equal(t, tt.wantPending, tt.flush.Pending())
		})
	}
}
