package session

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/batch"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// storeWrite is one epoch-carrying write a node's activation attempted.
type storeWrite struct {
	kind    string // "snapshot" or "commit"
	epoch   int64
	err     error
	outcome persistence.CommitOutcome
	// late: the write started after the other node claimed the session.
	late bool
}

// writeLog records every write of one node, in the order they settled.
type writeLog struct {
	mu     sync.Mutex
	writes []storeWrite
	// claimed is set once the other node has claimed the session.
	claimed atomic.Bool
}

func (l *writeLog) add(w storeWrite) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.writes = append(l.writes, w)
}

// all returns the writes recorded so far.
func (l *writeLog) all() []storeWrite {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]storeWrite(nil), l.writes...)
}

// late returns the writes that started after the other node's claim.
func (l *writeLog) late() []storeWrite {
	var out []storeWrite
	for _, w := range l.all() {
		if w.late {
			out = append(out, w)
		}
	}
	return out
}

// spyStore is the real store with its snapshot writes recorded.
type spyStore struct {
	*postgres.Store
	log *writeLog
}

func (s spyStore) SaveSnapshot(ctx context.Context, snap persistence.Snapshot) error {
	late := s.log.claimed.Load()
	err := s.Store.SaveSnapshot(ctx, snap)
	s.log.add(storeWrite{kind: "snapshot", epoch: snap.Epoch, err: err, late: late})
	return err
}

// spyWriter is the real batching writer with each result's fate recorded.
type spyWriter struct {
	*batch.Writer
	log *writeLog
}

func (w spyWriter) Submit(r persistence.GameResult, done func(persistence.CommitOutcome, error)) error {
	late := w.log.claimed.Load()
	return w.Writer.Submit(r, func(o persistence.CommitOutcome, err error) {
		w.log.add(storeWrite{kind: "commit", epoch: r.Epoch, err: err, outcome: o, late: late})
		done(o, err)
	})
}

// spySnapshots is the node's real snapshot writer with each snapshot's
// outcome recorded, as the per-row verdict of a batched statement.
type spySnapshots struct {
	*batch.SnapshotWriter
	log *writeLog
}

func (w spySnapshots) Submit(snap persistence.Snapshot, done func(error)) error {
	late := w.log.claimed.Load()
	return w.SnapshotWriter.Submit(snap, func(err error) {
		w.log.add(storeWrite{kind: "snapshot", epoch: snap.Epoch, err: err, late: late})
		done(err)
	})
}

// fencingNode is one cluster member: its own actor system, directory, pool,
// writer and clock, over a database shared with the other member.
type fencingNode struct {
	*harness
	log *writeLog
}

func newFencingNode(t *testing.T, url string, start time.Time) *fencingNode {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 4}, time.Now)
	require.NoError(t, err)
	writer := batch.NewWriter(store, batch.Options{MaxBatch: 50, FlushInterval: time.Millisecond, QueueSize: 100, Now: time.Now})
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); _ = writer.Run(ctx) }()
	snapshots, snapshotsDone := runSnapshotWriter(ctx, store)
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	n := &fencingNode{log: &writeLog{}, harness: &harness{t: t, store: store, clock: testclock.New(start),
		rec: &recorder{applied: map[string][]standings.Entry{}}, seed: game.LegacySeed(42), dbURL: url}}
	n.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return discard }))
	deps := Deps{
		Store: spyStore{Store: store, log: n.log}, Results: spyWriter{Writer: writer, log: n.log},
		Snapshots: spySnapshots{SnapshotWriter: snapshots, log: n.log}, Boards: n.rec, Publisher: n.rec,
		Config: config.Game{
			LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15,
			SnapshotInterval: time.Second, IdleTimeout: time.Minute, ResumeWindow: 30 * time.Second,
		},
		Now: n.clock.Now, Seed: func() game.Seed { return game.LegacySeed(42) }, NewCode: RandomCode,
		Base: ctx, IOTimeout: 5 * time.Second, MaxStash: 16, Logger: discard,
	}
	n.dir = grains.NewLocalDirectory(n.system.Root, map[string]*actor.Props{grains.KindSession: Props(deps)})
	t.Cleanup(func() {
		n.system.Shutdown()
		cancel()
		<-writerDone
		<-snapshotsDone
		store.Close()
	})
	return n
}

// pid is this node's activation of the session.
func (n *fencingNode) pid(id string) *actor.PID {
	n.t.Helper()
	pid, err := n.dir.PID(context.Background(), grains.KindSession, id)
	require.NoError(n.t, err)
	return pid
}

func (n *fencingNode) alive(pid *actor.PID) bool {
	_, ok := n.system.ProcessRegistry.GetLocal(pid.Id)
	return ok
}

// snapshotUntil ticks (without moving the clock) until the stored snapshot
// shows score: a due snapshot waits for the previous write to finish.
func (n *fencingNode) snapshotUntil(id, playerID string, score int64) {
	n.t.Helper()
	require.Eventually(n.t, func() bool {
		n.tick(id, 0)
		return snapshotScore(n.t, n.harness, id, playerID) == score
	}, 5*time.Second, 5*time.Millisecond)
}

// fencingRace is two live activations of one solo session: activation 1 on
// node A claimed epoch 1 and stored a snapshot with score 1, then
// activation 2 on node B claimed epoch 2 (resuming from that snapshot)
// while activation 1 still runs with the player's mole on screen.
type fencingRace struct {
	a, b   *fencingNode
	pa, pb *probe
	player persistence.Player
	id     string
	mole   events.Mole // up on both activations
	pidA   *actor.PID  // activation 1
}

func newFencingRace(t *testing.T) *fencingRace {
	t.Helper()
	url := pgtest.NewDatabase(t)
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	r := &fencingRace{a: newFencingNode(t, url, start), b: newFencingNode(t, url, start)}
	r.player = r.a.createPlayer("device-fencing-" + t.Name())
	r.pa = r.a.newProbe(r.player.ID, r.player.Username)
	r.id = startSolo(t, r.a.harness, r.pa)

	first := decode[events.Mole](t, r.pa.next(events.TypeMole))
	r.a.clock.Advance(200 * time.Millisecond)
	r.pa.whack(r.id, 1, first.Hole, first.MoleID)
	require.EqualValues(t, 1, decode[events.Hit](t, r.pa.next(events.TypeHit)).Score)
	r.a.tick(r.id, 800*time.Millisecond)
	r.a.snapshotUntil(r.id, r.player.ID, 1)
	r.mole = decode[events.Mole](t, r.pa.next(events.TypeMole))
	r.pidA = r.a.pid(r.id)

	// Node B activates the same session while A's activation lives on: the
	// player's connection moved there (two activations, as in a cluster
	// split or a grain moved before the old one noticed).
	r.a.log.claimed.Store(true)
	r.b.clock.Set(r.a.clock.Now())
	r.pb = r.b.newProbe(r.player.ID, r.player.Username)
	r.b.send(r.id, &protos.JoinSession{From: r.pb.ref, RequestId: 50})
	require.EqualValues(t, 50, r.pb.next(events.TypeAck).RequestId)
	stored, err := r.a.store.Session(context.Background(), r.id)
	require.NoError(t, err)
	require.EqualValues(t, 2, stored.Epoch, "activation 2 claimed the next epoch")
	require.True(t, r.a.alive(r.pidA), "activation 1 is still alive")
	stillUp := decode[events.Mole](t, r.pb.next(events.TypeMole))
	require.Equal(t, r.mole.MoleID, stillUp.MoleID)
	return r
}

// tickA advances node A's clock and ticks activation 1 itself (never
// through the directory, which would activate a fresh grain once it stops).
func (r *fencingRace) tickA(d time.Duration) {
	r.a.clock.Advance(d)
	r.a.system.Root.Send(r.pidA, &tick{})
}

// whackOnA scores the shared mole on the stale activation: it still judges
// whacks in memory until its next write is refused.
func (r *fencingRace) whackOnA(t *testing.T) {
	t.Helper()
	r.a.clock.Advance(200 * time.Millisecond)
	r.a.system.Root.Send(r.pidA, &protos.WhackMole{From: r.pa.ref, RequestId: 2, Hole: int32(r.mole.Hole),
		MoleId: r.mole.MoleID, ReceivedAtUnixMicro: r.a.clock.Now().UnixMicro()})
	require.EqualValues(t, 2, decode[events.Hit](t, r.pa.next(events.TypeHit)).Score)
}

// playOnB whacks the shared mole on activation 2, snapshots, and ends the
// game there: its result (score 2) is committed.
func (r *fencingRace) playOnB(t *testing.T) {
	t.Helper()
	r.b.clock.Advance(300 * time.Millisecond)
	r.pb.whack(r.id, 60, r.mole.Hole, r.mole.MoleID)
	require.EqualValues(t, 2, decode[events.Hit](t, r.pb.next(events.TypeHit)).Score)
	r.b.snapshotUntil(r.id, r.player.ID, 2)
	r.b.tick(r.id, 30*time.Second)
	over := decode[events.Over](t, r.pb.next(events.TypeOver))
	require.Equal(t, []events.Result{{PlayerID: r.player.ID, Score: 2, Hits: 2}}, over.Results)
}

// waitStopped waits until activation 1 has stopped itself.
func (r *fencingRace) waitStopped(t *testing.T) {
	t.Helper()
	require.Eventually(t, func() bool { return !r.a.alive(r.pidA) }, 5*time.Second, 5*time.Millisecond,
		"the fenced activation stops itself")
}

// requireOnlyBInDatabase checks the database holds activation 2's game and
// nothing of activation 1's.
func (r *fencingRace) requireOnlyBInDatabase(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	stored, err := r.a.store.Session(ctx, r.id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
	require.EqualValues(t, 2, stored.Epoch)
	require.Len(t, stored.Results, 1, "exactly one result row")
	require.EqualValues(t, 2, stored.Results[0].Score)
	for _, b := range standings.Boards() {
		var entries []persistence.Standing
		require.NoError(t, r.a.store.EachStanding(ctx, persistence.BoardKey{Mode: "classic", Board: string(b), Period: b.PeriodKey(r.b.clock.Now())}, func(s persistence.Standing) error {
			entries = append(entries, s)
			return nil
		}))
		require.Len(t, entries, 1, "exactly one %s leaderboard entry", b)
		require.EqualValues(t, 2, entries[0].Score)
	}
	stats, err := r.a.store.Stats(ctx, r.player.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, stats.GamesPlayed, "the game counts once")
	for _, w := range r.b.log.all() {
		require.NoError(t, w.err)
		require.EqualValues(t, 2, w.epoch)
		require.NotEqual(t, persistence.StaleEpoch, w.outcome)
	}
	require.Len(t, r.b.rec.appliedTo(r.dailyKey()), 1)
}

// requireARefused checks activation 1 attempted writes after losing
// ownership, every one was refused as stale, and it offered nothing to
// leaderboards and told its player nothing.
func (r *fencingRace) requireARefused(t *testing.T) {
	t.Helper()
	stale := r.a.log.late()
	require.NotEmpty(t, stale, "activation 1 attempted a write after losing ownership")
	for _, w := range stale {
		require.EqualValues(t, 1, w.epoch)
		refused := errors.Is(w.err, persistence.ErrStaleEpoch) || (w.err == nil && w.outcome == persistence.StaleEpoch)
		require.True(t, refused, "activation 1's %s must be refused as stale, got %+v", w.kind, w)
	}
	require.Empty(t, r.a.rec.appliedTo(r.dailyKey()), "activation 1 offers nothing to leaderboards")
	r.requireNoGameOver(t)
}

func (r *fencingRace) dailyKey() string {
	return "classic/daily/" + standings.Daily.PeriodKey(r.b.clock.Now())
}

// requireNoGameOver checks the player on node A was never told the game
// ended: activation 1 announces nothing after it is fenced.
func (r *fencingRace) requireNoGameOver(t *testing.T) {
	t.Helper()
	for {
		select {
		case ev := <-r.pa.events:
			require.NotEqual(t, events.TypeOver, ev.Type, "activation 1 announced a result it does not own")
		default:
			return
		}
	}
}

// TestSession_Fencing forces two live activations of one session and shows
// that only the newest epoch's writes commit, whichever write activation 1
// attempts: a snapshot, or the result itself.
func TestSession_Fencing(t *testing.T) {
	tests := []struct {
		name string
		// stale drives activation 1 to its refused write.
		stale func(r *fencingRace)
	}{
		{name: "stale snapshot", stale: func(r *fencingRace) {
			r.tickA(800 * time.Millisecond) // a snapshot is due
		}},
		{name: "stale result", stale: func(r *fencingRace) {
			r.tickA(30 * time.Second) // the game ends on activation 1
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newFencingRace(t)
			r.whackOnA(t)
			tc.stale(r)
			r.waitStopped(t)
			require.EqualValues(t, 1, snapshotScore(t, r.a.harness, r.id, r.player.ID),
				"activation 1's score never reached the database")

			r.playOnB(t)
			r.requireOnlyBInDatabase(t)
			r.requireARefused(t)
		})
	}
}

// TestSession_FencingAfterNewerFinished lets activation 2 finish first, so
// the stale activation's result meets a session that is already final.
// Nothing of it reaches the database, and the store answers StaleEpoch (not
// AlreadyCommitted), so activation 1 neither announces game:over with its
// unrecorded result nor offers it to the leaderboard grains.
func TestSession_FencingAfterNewerFinished(t *testing.T) {
	r := newFencingRace(t)
	r.whackOnA(t)
	r.playOnB(t)
	r.tickA(30 * time.Second) // the game ends on activation 1 too
	require.Eventually(t, func() bool {
		for _, w := range r.a.log.late() {
			if w.kind == "commit" {
				return true
			}
		}
		return false
	}, 5*time.Second, 5*time.Millisecond, "activation 1 tries to commit its result")
	r.requireOnlyBInDatabase(t)
	r.requireARefused(t)
}
