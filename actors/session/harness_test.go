package session

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/stretchr/testify/require"

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

// recorder collects what the session sends to leaderboards and spectators.
type recorder struct {
	mu        sync.Mutex
	published []*protos.ClientEvent
	applied   map[string][]standings.Entry
}

func (r *recorder) Publish(_ string, ev *protos.ClientEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.published = append(r.published, ev)
}

func (r *recorder) Apply(_ context.Context, key standings.Key, entries []standings.Entry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applied[key.Identity()] = append(r.applied[key.Identity()], entries...)
	return nil
}

func (r *recorder) appliedTo(key string) []standings.Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]standings.Entry(nil), r.applied[key]...)
}

// harness is one actor system with the session kind over a real database.
type harness struct {
	t      *testing.T
	system *actor.ActorSystem
	dir    *grains.LocalDirectory
	store  *postgres.Store
	clock  *testclock.Clock
	rec    *recorder
	seed   game.Seed
	dbURL  string
}

func newHarness(t *testing.T, options ...func(*Deps)) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	url := pgtest.NewDatabase(t)
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 4}, time.Now)
	require.NoError(t, err)
	writer := batch.NewWriter(store, batch.Options{MaxBatch: 50, FlushInterval: time.Millisecond, QueueSize: 100, Now: time.Now})
	writerDone := make(chan struct{})
	go func() { defer close(writerDone); _ = writer.Run(ctx) }()
	snapshots, snapshotsDone := runSnapshotWriter(ctx, store)

	h := &harness{t: t, store: store, clock: testclock.New(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)),
		rec: &recorder{applied: map[string][]standings.Entry{}}, seed: game.LegacySeed(42), dbURL: url}
	h.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}))
	deps := Deps{
		Store: store, Results: writer, Snapshots: snapshots, Boards: h.rec, Publisher: h.rec,
		Config: config.Game{
			LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15,
			SnapshotInterval: time.Second, IdleTimeout: time.Minute, WaitingTimeout: 0,
			ResumeWindow: 30 * time.Second,
		},
		Now: h.clock.Now, Seed: func() game.Seed { return h.seed }, NewCode: RandomCode,
		Base: ctx, IOTimeout: 5 * time.Second, MaxStash: 16,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, option := range options {
		option(&deps)
	}
	h.dir = grains.NewLocalDirectory(h.system.Root, map[string]*actor.Props{grains.KindSession: Props(deps)})
	t.Cleanup(func() {
		h.system.Shutdown()
		cancel()
		<-writerDone
		<-snapshotsDone
		store.Close()
	})
	return h
}

// runSnapshotWriter runs a node's snapshot writer until ctx ends; done
// closes once it has drained.
func runSnapshotWriter(ctx context.Context, store batch.SnapshotStore) (*batch.SnapshotWriter, <-chan struct{}) {
	w := batch.NewSnapshotWriter(store, batch.SnapshotOptions{Interval: time.Millisecond, MaxBatch: 50, QueueSize: 100})
	done := make(chan struct{})
	go func() { defer close(done); _ = w.Run(ctx) }()
	return w, done
}

// probe is a stand-in for a player's connection actor: it records every
// ClientEvent the session sends to it.
type probe struct {
	h      *harness
	ref    *protos.PlayerRef
	events chan *protos.ClientEvent
	// seen is every payload next has read, in order (the test's goroutine
	// only).
	seen []string
}

func (h *harness) newProbe(playerID, username string) *probe {
	p := &probe{h: h, events: make(chan *protos.ClientEvent, 1024)}
	pid := h.system.Root.Spawn(actor.PropsFromFunc(func(ctx actor.Context) {
		if ev, ok := ctx.Message().(*protos.ClientEvent); ok {
			p.events <- ev
		}
	}))
	p.ref = &protos.PlayerRef{PlayerId: playerID, Username: username, Address: pid.Address, Id: pid.Id, RttMicros: 40_000}
	return p
}

// send delivers msg to the session grain.
func (h *harness) send(sessionID string, msg any) {
	h.t.Helper()
	pid, err := h.dir.PID(context.Background(), grains.KindSession, sessionID)
	require.NoError(h.t, err)
	h.system.Root.Send(pid, msg)
}

// tick advances the clock by d and ticks the session.
func (h *harness) tick(sessionID string, d time.Duration) {
	h.clock.Advance(d)
	h.send(sessionID, &tick{})
}

// next waits for the next event of type typ (or of any of "a|b"),
// returning it and skipping others; it fails the test after a generous
// deadline.
func (p *probe) next(typ string) *protos.ClientEvent {
	p.h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-p.events:
			p.seen = append(p.seen, ev.Type+" "+string(ev.Data))
			for _, want := range strings.Split(typ, "|") {
				if ev.Type == want {
					return ev
				}
			}
		case <-deadline:
			p.h.t.Fatalf("player %s: no %q event", p.ref.PlayerId, typ)
			return nil
		}
	}
}

// decode unmarshals an event's payload.
func decode[T any](t *testing.T, ev *protos.ClientEvent) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(ev.Data, &v))
	return v
}

// createPlayer inserts a player row so results can reference it.
func (h *harness) createPlayer(device string) persistence.Player {
	h.t.Helper()
	p, _, err := h.store.GuestByDevice(context.Background(), device)
	require.NoError(h.t, err)
	return p
}
