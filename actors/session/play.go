package session

import (
	"errors"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
)

// maxStampSkew bounds how far a gateway's receive stamp may lie in the past
// (a stamp from another node's clock, or a delayed mailbox) before the
// session's own clock is used instead.
const maxStampSkew = time.Second

// member is a player's current connection; nil ref while detached.
type member struct {
	ref *protos.PlayerRef
	pid *actor.PID
}

// tick is the session's clock message.
type tick struct{}

// onOpened answers the creator and starts a solo game at once. It reports
// whether the game is open: a match whose lobby deadline passed while its
// row was being inserted is aborted at once (commit moved it to finishing).
func (a *Actor) onOpened(ctx actor.Context, m *protos.CreateSession) bool {
	creator := m.GetFrom().GetPlayerId()
	if a.record.MaxPlayers == 1 {
		ack := a.sessionAck()
		ack.AttemptsLeft = a.attemptsLeft
		a.sendTo(ctx, creator, a.event(events.TypeAck, m.GetRequestId(), ack))
		a.begin(ctx)
		return true
	}
	a.sendTo(ctx, creator, a.event(events.TypeAck, m.GetRequestId(),
		events.CreateAck{SessionID: a.id, Code: a.record.JoinCode, SeedCommitment: Commitment(a.record)}))
	a.announce(ctx, events.StateChange{GameID: a.id, State: events.StateWaiting, Players: 1})
	return a.armLobbyExpiry(ctx)
}

func (a *Actor) sessionAck() events.SessionAck {
	return events.SessionAck{
		SessionID: a.id, Mode: a.mode.Name, Code: a.record.JoinCode,
		Board:      events.Board{Rows: a.mode.Rows, Cols: a.mode.Cols},
		DurationMs: a.mode.Duration.Milliseconds(), Players: a.game.Players(), ChallengeID: a.record.ChallengeID,
		SeedCommitment: Commitment(a.record),
	}
}

func (a *Actor) onBegin(ctx actor.Context, m *protos.BeginSession) {
	id := m.GetFrom().GetPlayerId()
	switch {
	case !a.game.IsPlayer(id):
		a.reject(ctx, m, events.CodeNotInSession, "not a player of that game")
	case id != a.record.CreatorID:
		a.reject(ctx, m, events.CodeNotCreator, "only the creator can begin the match")
	case a.game.Phase() != game.PhaseWaiting:
		a.reject(ctx, m, events.CodeAlreadyStarted, "the match has already started")
	default:
		a.sendTo(ctx, id, a.event(events.TypeAck, m.GetRequestId(), struct{}{}))
		a.begin(ctx)
	}
}

// begin moves the game out of waiting and starts the clock.
func (a *Actor) begin(ctx actor.Context) {
	evs, err := a.game.Begin(a.deps.Now())
	if err != nil {
		return // already begun: a full match and a creator's begin can race
	}
	a.emit(ctx, evs, "", 0)
	a.startTicks(ctx)
}

func (a *Actor) onWhack(ctx actor.Context, m *protos.WhackMole) {
	from := m.GetFrom()
	if !a.game.IsPlayer(from.GetPlayerId()) {
		a.reject(ctx, m, events.CodeNotInSession, "not a player of that game")
		return
	}
	a.attach(from)
	now := a.deps.Now()
	judgeDelay.Observe(now.Sub(arrival(m.GetReceivedAtUnixMicro(), now)).Seconds())
	evs, err := a.game.Whack(game.Whack{
		PlayerID: from.GetPlayerId(), Hole: int(m.GetHole()), MoleID: m.GetMoleId(),
		At: a.judgedAt(m.GetReceivedAtUnixMicro(), now), RTT: time.Duration(from.GetRttMicros()) * time.Microsecond,
	})
	if err != nil {
		a.rejectWhack(ctx, m, err)
		return
	}
	a.emit(ctx, evs, from.GetPlayerId(), m.GetRequestId())
}

// arrival is the whack's judged arrival time: the gateway's stamp, clamped to
// the session's clock.
func arrival(stampMicros int64, now time.Time) time.Time {
	at := time.UnixMicro(stampMicros)
	if at.After(now) || at.Before(now.Add(-maxStampSkew)) {
		return now
	}
	return at
}

func (a *Actor) rejectWhack(ctx actor.Context, m *protos.WhackMole, err error) {
	whacksTotal.WithLabelValues("rejected").Inc()
	switch {
	case errors.Is(err, game.ErrBadHole):
		a.reject(ctx, m, events.CodeBadRequest, "no such hole on this board")
	case errors.Is(err, game.ErrNotRunning):
		a.reject(ctx, m, events.CodeGameNotRunning, "the game is not running")
	default:
		a.reject(ctx, m, events.CodeBadRequest, "invalid whack")
	}
}

func (a *Actor) onLeave(m *protos.LeaveSession) {
	if mem, ok := a.players[m.GetFrom().GetPlayerId()]; ok && mem.ref.GetId() == m.GetFrom().GetId() {
		a.players[m.GetFrom().GetPlayerId()] = &member{}
	}
}

func (a *Actor) onTick(ctx actor.Context) {
	now := a.deps.Now()
	a.emit(ctx, a.game.Advance(now), "", 0)
	if a.game.Phase() == game.PhaseFinished {
		a.finish(ctx, now)
		return
	}
	a.snapshotIfDue(ctx, now)
	a.armWake(ctx, now)
}

// attach records the connection a player is currently using.
func (a *Actor) attach(ref *protos.PlayerRef) {
	cur := a.players[ref.GetPlayerId()]
	if cur != nil && cur.ref.GetId() == ref.GetId() && cur.ref.GetAddress() == ref.GetAddress() {
		cur.ref = ref // refresh the RTT
		return
	}
	a.players[ref.GetPlayerId()] = &member{ref: ref, pid: actor.NewPID(ref.GetAddress(), ref.GetId())}
}
