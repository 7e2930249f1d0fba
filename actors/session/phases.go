package session

import (
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// This file is the session grain's phase machine, all of it: the phases, the
// moves each may make (machine), the handler of each (handle and the phase
// functions below), and the one function every move goes through (become).
// The rules' own phases (waiting → countdown → running → finished, in
// session/game) all happen inside live.
//
//	loading ──► absent ──► creating ──► live ──► finishing ──► finished
//	   │  └───────────────────►┘ └──► loading   (a first CreateSession is its own claim;
//	   │                                         a taken id claims the stored row)
//	   │                     │   │        │  │        │
//	   │                     │   │        │  └──► handed_off
//	   │                     │   │        └───────────┴──► unavailable
//	   │                     │   └──► finishing   (a lobby already past its deadline)
//	   │                     └──► create_failed
//	   └──► live | finishing | finished | unavailable   (a stored session)

// phaseID names a phase of the session grain. The zero value is loading,
// where every activation starts.
type phaseID uint8

const (
	// phaseLoading waits for the grain's identity and its stored row;
	// session messages are held.
	phaseLoading phaseID = iota
	// phaseAbsent serves a session that does not exist: only creation.
	phaseAbsent
	// phaseCreating waits for the new row; session messages are held.
	phaseCreating
	// phaseLive serves a game waiting, counting down or running.
	phaseLive
	// phaseFinishing waits for the result's commit; the game is over for
	// the players.
	phaseFinishing
	// phaseFinished answers late commands of a committed game until the
	// activation passivates.
	phaseFinished
	// phaseHandedOff is a game frozen for a graceful hand-off (HandOff): it
	// drops everything until the node stops it.
	phaseHandedOff
	// phaseUnavailable answers everything "unavailable" while the
	// activation stops (load failed, commit abandoned, fenced).
	phaseUnavailable
	// phaseCreateFailed answers "no such game" to messages that raced a
	// creation the store refused, while the activation stops.
	phaseCreateFailed
)

// phaseSpec declares a phase: its name (logs, the phase label of
// proofstell_session_unknown_messages_total) and the phases it may move to.
type phaseSpec struct {
	name string
	next []phaseID
}

// machine declares every phase and every move it may make. A move it does
// not list is refused (become). finished, handed_off, unavailable and
// create_failed are final: the activation passivates or stops from there.
var machine = [...]phaseSpec{
	phaseLoading: {"loading", []phaseID{
		phaseAbsent,      // no row: the session does not exist yet
		phaseLive,        // a stored game resumes
		phaseFinishing,   // aborted on activation: an orphaned lobby, an outage beyond the resume window
		phaseFinished,    // a stored game that is over
		phaseUnavailable, // the row or its game could not be loaded
		phaseCreating,    // the first message creates the session: its insert is the claim
	}},
	phaseAbsent: {"absent", []phaseID{
		phaseCreating, // a player creates it
	}},
	phaseCreating: {"creating", []phaseID{
		phaseLive,         // the row is stored
		phaseFinishing,    // a lobby whose deadline passed during the insert is aborted at once
		phaseCreateFailed, // the store refused the row (mode, player count, ban, error)
		phaseLoading,      // the id is already stored: claim it like any activation
	}},
	phaseLive: {"live", []phaseID{
		phaseFinishing,   // the game ran its course, or the lobby expired
		phaseHandedOff,   // HandOff froze the game
		phaseUnavailable, // fenced: a newer activation owns the session
	}},
	phaseFinishing: {"finishing", []phaseID{
		phaseFinished,    // the result is committed and announced
		phaseUnavailable, // commit abandoned, row missing, or fenced
	}},
	phaseFinished:     {"finished", nil},
	phaseHandedOff:    {"handed_off", nil},
	phaseUnavailable:  {"unavailable", nil},
	phaseCreateFailed: {"create_failed", nil},
}

// String is the phase's name in logs and metrics.
func (p phaseID) String() string {
	if int(p) < len(machine) {
		return machine[p].name
	}
	return fmt.Sprintf("phase(%d)", p)
}

// allows reports whether the machine declares the move from p to next.
func (p phaseID) allows(next phaseID) bool {
	return int(p) < len(machine) && slices.Contains(machine[p].next, next)
}

// strictTransitions makes a refused move panic instead of logging an
// error. The package's tests set it, so a move the machine does not declare
// crashes the activation (and the test that made it) rather than hiding in
// a discarded log; in production the session stays where it is and keeps
// serving.
var strictTransitions atomic.Bool

// become moves the session to next, if the machine declares the move, and
// replays the messages held while loading or creating, oldest first, in the
// new phase (each in whatever phase the one before it left). It is the only
// place the phase changes.
func (a *Actor) become(ctx actor.Context, next phaseID) {
	from := a.phase
	if !from.allows(next) {
		if strictTransitions.Load() {
			panic(fmt.Sprintf("session %s: undeclared phase transition %s → %s", a.id, from, next))
		}
		a.deps.Logger.Error("session phase transition refused", slog.String("session", a.id),
			slog.String("from", from.String()), slog.String("to", next.String()))
		return
	}
	a.deps.Logger.Debug("session phase", slog.String("session", a.id),
		slog.String("from", from.String()), slog.String("to", next.String()))
	a.phase = next
	held := a.stash
	a.stash = nil
	for _, msg := range held {
		a.handle(ctx, msg)
	}
}

// handle hands msg to the current phase's handler. Phases take the message
// explicitly (rather than an actor.Behavior reading ctx.Message) so that
// messages held while loading replay in arrival order, ahead of newer ones.
func (a *Actor) handle(ctx actor.Context, msg any) {
	switch a.phase {
	case phaseLoading:
		a.loading(ctx, msg)
	case phaseAbsent:
		a.absent(ctx, msg)
	case phaseCreating:
		a.creating(ctx, msg)
	case phaseLive:
		a.live(ctx, msg)
	case phaseFinishing:
		a.finishing(ctx, msg)
	case phaseFinished:
		a.finished(ctx, msg)
	case phaseHandedOff:
		a.handedOff(ctx, msg)
	case phaseUnavailable:
		a.unavailable(ctx, msg)
	case phaseCreateFailed:
		a.createFailed(ctx, msg)
	default:
		a.unknown(msg)
	}
}

// loading waits for the identity, then for the hydrated row.
func (a *Actor) loading(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *cluster.ClusterInit:
		a.onClusterInit(ctx, m)
	case *hydrated:
		a.onHydrated(ctx, m)
	default:
		if a.id != "" && !a.claimed && isSessionMessage(msg) {
			a.onFirst(ctx, msg)
			return
		}
		a.hold(ctx, msg)
	}
}

// absent serves a grain whose session does not exist yet: only creation.
func (a *Actor) absent(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *protos.CreateSession:
		a.onCreate(ctx, m)
	default:
		a.reject(ctx, msg, events.CodeSessionNotFound, "no such game")
		ctx.Stop(ctx.Self())
	}
}

// creating holds everything until the row exists.
func (a *Actor) creating(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *created:
		a.onCreated(ctx, m)
	default:
		a.hold(ctx, msg)
	}
}

// live serves a session that is waiting, counting down or running.
func (a *Actor) live(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *protos.WhackMole:
		a.onWhack(ctx, m)
	case *tick:
		a.onTick(ctx)
	case *protos.JoinSession:
		a.onJoin(ctx, m)
	case *joined:
		a.onJoined(ctx, m)
	case *protos.BeginSession:
		a.onBegin(ctx, m)
	case *protos.LeaveSession:
		a.onLeave(m)
	case *snapshotSaved:
		a.onSnapshotSaved(ctx, m)
	case *waitingExpired:
		a.onWaitingExpired(ctx)
	case *protos.CreateSession:
		a.onCreateAgain(ctx, m)
	default:
		a.ignore(msg)
	}
}

// finishing waits for the commit; the game is over for the players.
func (a *Actor) finishing(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *recentPlayRead:
		a.onRecentPlay(ctx, m)
	case *committed:
		a.onCommitted(ctx, m)
	case *retryCommit:
		a.submit(ctx)
	case *voidedRead:
		a.onVoidedRead(ctx, m)
	case *protos.JoinSession:
		a.onJoinWhileFinishing(ctx, m)
	case *joined:
		a.rejectClosed(ctx, m.msg)
	case *protos.CreateSession:
		a.onJoinWhileFinishing(ctx, asResume(m))
	case *protos.WhackMole, *protos.BeginSession:
		a.reject(ctx, msg, events.CodeGameOver, "the game is over")
	default:
		a.ignore(msg)
	}
}

// finished answers late commands of a game that is over; a player
// re-attaching hears how it ended (onJoinFinished).
func (a *Actor) finished(ctx actor.Context, msg any) {
	switch m := msg.(type) {
	case *joined:
		a.rejectClosed(ctx, m.msg)
	case *protos.JoinSession:
		a.onJoinFinished(ctx, m)
	case *protos.CreateSession:
		a.onJoinFinished(ctx, asResume(m))
	case *protos.WhackMole, *protos.BeginSession:
		a.reject(ctx, msg, events.CodeGameOver, "the game is over")
	default:
		a.ignore(msg)
	}
}

// handedOff drops everything, counted and logged like any message a phase
// does not take: the game continues in the next activation.
func (a *Actor) handedOff(_ actor.Context, msg any) {
	a.ignore(msg)
}

// unavailable answers everything while the activation stops.
func (a *Actor) unavailable(ctx actor.Context, msg any) {
	if j, ok := msg.(*joined); ok {
		msg = j.msg
	}
	a.reject(ctx, msg, events.CodeUnavailable, "the game is unavailable, try again")
}

// createFailed answers messages that raced a failed creation.
func (a *Actor) createFailed(ctx actor.Context, msg any) {
	a.reject(ctx, msg, events.CodeSessionNotFound, "no such game")
}

// hold keeps a session message until the grain can serve it; anything else
// is unknown in every phase and is not worth a place in the stash.
func (a *Actor) hold(ctx actor.Context, msg any) {
	if !isSessionMessage(msg) {
		a.unknown(msg)
		return
	}
	if len(a.stash) >= a.deps.MaxStash {
		a.reject(ctx, msg, events.CodeUnavailable, "the game is busy, try again")
		return
	}
	a.stash = append(a.stash, msg)
}

// isSessionMessage reports whether some phase takes msg: a player actor's
// command, or one of the session's own timers and I/O results.
func isSessionMessage(msg any) bool {
	switch msg.(type) {
	case *protos.CreateSession, *protos.JoinSession, *protos.BeginSession, *protos.WhackMole,
		*protos.LeaveSession, *tick, *waitingExpired, *snapshotSaved, *joined, *committed,
		*retryCommit, *voidedRead, *hydrated, *created:
		return true
	}
	return false
}

// ignore drops a message this phase does not take. Late timers, snapshot
// results and leaves are expected after the phase that wanted them and are
// dropped quietly; anything else is unknown.
func (a *Actor) ignore(msg any) {
	switch msg.(type) {
	case *tick, *snapshotSaved, *waitingExpired, *retryCommit, *protos.LeaveSession:
	default:
		a.unknown(msg)
	}
}

// unknown counts and logs a message the current phase has no use for. The
// warning has one constant message, so the node's rate-limiting handler
// (internal/logging) keeps a flood of them to one line per interval.
func (a *Actor) unknown(msg any) {
	unknownMessages.WithLabelValues(a.phase.String()).Inc()
	a.deps.Logger.Warn("unknown session message", slog.String("session", a.id),
		slog.String("phase", a.phase.String()), slog.String("message", fmt.Sprintf("%T", msg)))
}
