package player

import (
	"context"
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/persistence"
)

// Handlers of the client messages that go to a session (see the protocol
// table, protocol.go); their payloads arrive validated.

// onStartGame opens a solo game; with a challenge id the session grain
// reads the challenge (its rules, whether it is active) and takes the
// attempt off its own mailbox, as it resolves a mode.
func (a *Actor) onStartGame(ctx actor.Context, c *Command, m StartGame) {
	if m.ChallengeID != "" && !a.challengesOn() {
		if !a.inMaintenance(c.ID) { // maintenance, the door of all play, answers first
			a.fail(c.ID, events.CodeFeatureDisabled, "challenges are switched off, try again later")
		}
		return
	}
	if m.Mode == "" && m.ChallengeID == "" {
		m.Mode = a.defaultMode()
	}
	a.openSession(ctx, c.ID, &protos.CreateSession{Mode: m.Mode, MaxPlayers: 1, ChallengeId: m.ChallengeID})
}

func (a *Actor) onCreateMatch(ctx actor.Context, c *Command, m CreateMatch) {
	a.openSession(ctx, c.ID, &protos.CreateSession{Mode: m.Mode, MaxPlayers: int32(m.MaxPlayers)}) //nolint:gosec // G115: CreateMatch.check bounds it to 2..8
}

func (a *Actor) onBeginMatch(ctx actor.Context, c *Command, m BeginMatch) {
	a.toCurrent(ctx, c.ID, m.SessionID, &protos.BeginSession{From: a.ref(ctx), RequestId: c.ID})
}

// onWhack forwards the whack with the gateway's receive time: the session
// judges it at that moment, not when it reaches the grain.
func (a *Actor) onWhack(ctx actor.Context, c *Command, m Whack) {
	a.toCurrent(ctx, c.ID, m.SessionID, &protos.WhackMole{
		From: a.ref(ctx), RequestId: c.ID, Hole: int32(m.Hole), MoleId: m.MoleID, //nolint:gosec // G115: Whack.check bounds holes to 0..63
		ReceivedAtUnixMicro: c.ReceivedAt.UnixMicro(),
	})
}

// openSession opens a solo game (MaxPlayers 1) or a match in a new grain;
// create is completed with the sender and request id.
func (a *Actor) openSession(ctx actor.Context, requestID int64, create *protos.CreateSession) {
	if a.current != nil {
		a.fail(requestID, events.CodeAlreadyInGame, "finish or leave the current game first")
		return
	}
	ticket, ok := a.admit(requestID)
	if !ok {
		return
	}
	a.cancelQueue(ctx) // starting another game gives the ticket up
	id := a.deps.NewSessionID()
	create.From, create.RequestId = a.ref(ctx), requestID
	a.bind(ctx, id, create)
	a.current.ticket = ticket
}

// admit asks the node's admission control to take a new game; a shed game
// is answered busy with a retry hint at once, before any grain is touched.
// Maintenance mode refuses first (code maintenance).
func (a *Actor) admit(requestID int64) (*admission.Ticket, bool) {
	if a.inMaintenance(requestID) {
		return nil, false
	}
	ticket, d := a.deps.Admission.Admit()
	if !d.Admitted {
		commandsRejected.WithLabelValues(events.CodeBusy).Inc()
		a.conn.Send(Frame{Type: events.TypeError, ID: requestID, Data: events.Encode(events.Error{
			Code: events.CodeBusy, Message: "the server is busy, try again later", RetryAfterMs: d.RetryAfter.Milliseconds(),
		})})
	}
	return ticket, d.Admitted
}

// onJoinMatch looks the code up off the mailbox, then joins.
func (a *Actor) onJoinMatch(ctx actor.Context, c *Command, m JoinMatch) {
	requestID, code := c.ID, m.Code
	if a.current != nil {
		a.fail(requestID, events.CodeAlreadyInGame, "finish or leave the current game first")
		return
	}
	ticket, ok := a.admit(requestID)
	if !ok {
		return
	}
	a.cancelQueue(ctx) // joining another game gives the ticket up
	self, root, deps := ctx.Self(), ctx.ActorSystem().Root, a.deps
	go func() {
		lookup, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		id, err := deps.Codes.SessionIDByCode(lookup, code)
		root.Send(self, &codeResolved{requestID: requestID, sessionID: id, err: err, ticket: ticket})
	}()
}

func (a *Actor) onCodeResolved(ctx actor.Context, m *codeResolved) {
	if m.err != nil || a.current != nil {
		m.ticket.Close()
	}
	switch {
	case errors.Is(m.err, persistence.ErrNotFound):
		a.fail(m.requestID, events.CodeSessionNotFound, "no open match has that code")
	case m.err != nil:
		a.fail(m.requestID, events.CodeUnavailable, "matches are unavailable, try again")
	case a.current != nil:
		a.fail(m.requestID, events.CodeAlreadyInGame, "finish or leave the current game first")
	default:
		a.bind(ctx, m.sessionID, &protos.JoinSession{From: a.ref(ctx), RequestId: m.requestID})
		a.current.ticket = m.ticket
	}
}

// onResumeGame re-attaches this connection to a session the player is in.
func (a *Actor) onResumeGame(ctx actor.Context, c *Command, m ResumeGame) {
	requestID, sessionID := c.ID, m.SessionID
	if a.current != nil && a.current.sessionID != sessionID {
		a.fail(requestID, events.CodeAlreadyInGame, "finish or leave the current game first")
		return
	}
	join := &protos.JoinSession{From: a.ref(ctx), RequestId: requestID, Resume: true}
	if a.current == nil {
		a.bind(ctx, sessionID, join)
		return
	}
	b := a.current
	b.open, b.openID, b.answered = join, requestID, false
	if b.moving && b.pid == nil {
		return // sent first to the next activation (deliver)
	}
	a.toCurrent(ctx, requestID, sessionID, join)
}

// bind makes sessionID current and resolves its grain off the mailbox; first
// is sent as soon as the grain is known.
func (a *Actor) bind(ctx actor.Context, sessionID string, first any) {
	a.current = &binding{sessionID: sessionID, pending: []any{first}, open: first, openID: requestIDOf(first)}
	a.resolve(ctx, a.current, nil)
}

// resolve finds b's grain off the mailbox. A stale PID (a dead activation)
// is forgotten first so the directory resolves the grain again.
func (a *Actor) resolve(ctx actor.Context, b *binding, stale *actor.PID) {
	self, root, deps, sessionID := ctx.Self(), ctx.ActorSystem().Root, a.deps, b.sessionID
	go func() {
		if stale != nil {
			deps.Grains.Forget(grains.KindSession, sessionID, stale)
		}
		resolve, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		pid, err := deps.Grains.PID(resolve, grains.KindSession, sessionID)
		root.Send(self, &sessionResolved{binding: b, pid: pid, err: err})
	}()
}

func (a *Actor) onSessionResolved(ctx actor.Context, m *sessionResolved) {
	b := a.current
	if b == nil || b != m.binding || b.pid != nil {
		return // the binding changed meanwhile
	}
	switch {
	case m.err != nil && b.moving:
		a.retryLater(ctx, b)
	case m.err != nil:
		a.unbind(ctx)
		a.failPending(b)
	default:
		a.deliver(ctx, b, m.pid)
	}
}

// deliver watches the session's activation (its death, even on another
// node, comes back as *actor.Terminated) and sends what waited for it; the
// internal re-attach goes first.
func (a *Actor) deliver(ctx actor.Context, b *binding, pid *actor.PID) {
	b.pid = pid
	ctx.Watch(pid)
	switch {
	case b.moving && !b.answered:
		b.resent = true
		ctx.Send(pid, b.open)
	case b.moving:
		b.dropAck = true
		ctx.Send(pid, &protos.JoinSession{From: a.ref(ctx), RequestId: 0, Resume: true})
	}
	for _, msg := range b.pending {
		ctx.Send(pid, msg)
	}
	b.pending = nil
}

// unbind drops the current binding and stops watching its activation.
func (a *Actor) unbind(ctx actor.Context) {
	if b := a.current; b != nil && b.pid != nil {
		ctx.Unwatch(b.pid)
	}
	if a.current != nil {
		a.current.ticket.Close()
	}
	a.current = nil
}

// failPending answers every command that waited for b's grain.
func (a *Actor) failPending(b *binding) {
	for _, msg := range b.pending {
		a.fail(requestIDOf(msg), events.CodeUnavailable, "the game is unavailable, try again")
	}
}

// toCurrent sends msg to the current session, or queues it while resolving.
func (a *Actor) toCurrent(ctx actor.Context, requestID int64, sessionID string, msg any) {
	b := a.current
	if b == nil || b.sessionID != sessionID {
		if sessionID == a.ended {
			a.fail(requestID, events.CodeGameOver, "the game is over")
			return
		}
		a.fail(requestID, events.CodeNotInSession, "not playing that session on this connection")
		return
	}
	if b.pid != nil {
		ctx.Send(b.pid, msg)
		return
	}
	if len(b.pending) >= a.deps.MaxPending {
		a.fail(requestID, events.CodeUnavailable, "too many commands while the game loads")
		return
	}
	b.pending = append(b.pending, msg)
}

// requestIDOf extracts the client request id of a grain-bound message.
func requestIDOf(msg any) int64 {
	if m, ok := msg.(interface{ GetRequestId() int64 }); ok {
		return m.GetRequestId()
	}
	return 0
}
