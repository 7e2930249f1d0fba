package session

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/actors/session/detector"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
)

// Store is what a session reads and writes in Postgres.
type Store interface {
	CreateSession(ctx context.Context, s persistence.Session) error
	ClaimSession(ctx context.Context, id string) (persistence.Session, error)
	JoinSession(ctx context.Context, j persistence.SessionJoin) error
	SaveSnapshot(ctx context.Context, snap persistence.Snapshot) error
	// Session reads the stored result back after a commit voided players.
	Session(ctx context.Context, id string) (persistence.Session, error)
	Mode(ctx context.Context, name string) (persistence.Mode, error)
	// ModeAt reads the rules a resumed session was created with.
	ModeAt(ctx context.Context, name string, version int64) (persistence.Mode, error)
	// RecentSoloGames reads a player's latest finished solo games, newest
	// first, for the default level of a solo game started without a mode.
	RecentSoloGames(ctx context.Context, playerID string, limit int) ([]persistence.SoloForm, error)
	// RecentPlay reads each player's latest committed games as the
	// consistency detector counted them, newest first, when a game ends.
	RecentPlay(ctx context.Context, playerIDs []string, limit int) (map[string][]persistence.RecentPlay, error)
}

// ResultWriter is the batching writer (persistence/batch.Writer).
type ResultWriter interface {
	Submit(r persistence.GameResult, done func(persistence.CommitOutcome, error)) error
}

// SnapshotWriter batches the snapshots of every session on the node
// (persistence/batch.SnapshotWriter). done hears each snapshot's own
// outcome (nil, ErrStaleEpoch, ErrConflict, ErrNotFound) and must not
// block; an error from Submit means the snapshot was not queued and done
// is never called.
type SnapshotWriter interface {
	Submit(snap persistence.Snapshot, done func(error)) error
}

// Boards applies committed standings to leaderboard grains
// (actors/leaderboard.Client). It may block: called from goroutines only.
type Boards interface {
	Apply(ctx context.Context, key standings.Key, entries []standings.Entry) error
}

// Deps are what a session grain needs from the node.
type Deps struct {
	Store   Store
	Results ResultWriter
	// Snapshots batches running games' snapshots; nil writes each one alone.
	Snapshots SnapshotWriter
	Boards    Boards
	// Challenges reads the challenges solo games may be attempts at; nil
	// refuses every attempt (challenge_not_found).
	Challenges Challenges
	Publisher  fanout.Publisher // spectators' events, on every node
	Config     config.Game
	// Detector holds finished results whose play looks like a bot's for
	// review (actors/session/detector); zero uses detector.Default().
	Detector detector.Thresholds
	// Now is the clock; Seed returns a fresh game seed (RandomSeed). Both injected so tests
	// are deterministic.
	Now  func() time.Time
	Seed func() game.Seed
	// NewCode returns a candidate join code for a match.
	NewCode func() string
	// Base is the node's context for I/O goroutines; IOTimeout bounds each call.
	Base      context.Context
	IOTimeout time.Duration
	// MaxStash bounds messages held while the grain loads.
	MaxStash int
	Logger   *slog.Logger
	// Flush, when set, tracks the final snapshots of stopping activations so
	// the node can wait for them (Flush.Wait) before it leaves the cluster;
	// nil writes them untracked.
	Flush *Flush
	// Local tracks this node's activations for a graceful hand-off; nil
	// tracks nothing.
	Local *Local
}

// Actor is one session grain activation.
type Actor struct {
	deps  Deps
	phase phaseID // the phase machine's state (phases.go); only become changes it
	id    string
	// claimed is set once this activation started owning its row: a claim
	// in flight or a creation (whose insert is the claim).
	claimed bool
	epoch   int64
	record  persistence.Session
	mode    persistence.Mode
	game    *game.Game
	players map[string]*member // connections by player id
	stash   []any

	cancelTicks  scheduler.CancelFunc
	lastSnapshot time.Time
	snapshotting bool
	endedAt      time.Time
	result       *persistence.GameResult
	commitTries  int
	// attemptsLeft is what a challenge attempt created here leaves its
	// player, for the game:start ack (nil: not an attempt, or unknown).
	attemptsLeft *int
	// inflight is closed when the latest periodic snapshot write is done;
	// the final snapshot waits for it so it cannot be overwritten by it.
	inflight chan struct{}
	// resumedAt is when this activation resumed a running game after an
	// outage; whacks stamped before it are judged at it.
	resumedAt time.Time
	// lost is set once a newer activation owns the session.
	lost bool
	// frozen is set once the game was handed off (HandOff): its last
	// snapshot is written and this activation only waits to be stopped.
	frozen bool
}

// Props builds session grain activations.
func Props(deps Deps) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{deps: deps, players: map[string]*member{}} // phase: loading
	})
}

// Receive handles lifecycle messages, then hands the rest to the phase.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		sessionsActive.Inc()
		a.deps.Local.add(ctx.Self())
	case *actor.Stopping:
		a.stopTicks()
		a.snapshotOnStop()
	case *actor.Stopped:
		sessionsActive.Dec()
		a.deps.Local.remove(ctx.Self())
	case *handOff:
		a.onHandOff(ctx, m)
	case *actor.Restarting:
		a.stopTicks()
	case *actor.ReceiveTimeout:
		ctx.Stop(ctx.Self())
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.handle(ctx, ctx.Message())
	}
}
