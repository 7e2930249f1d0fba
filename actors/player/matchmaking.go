package player

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/persistence"
)

// defaultReadyTimeout is Deps.ReadyTimeout's default.
const defaultReadyTimeout = 10 * time.Second

var (
	requeuesTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_player_matchmaking_requeues_total",
		Help: "Tickets a connection queued again, by cause: moving (the matchmaker's activation died), abandoned (the host could not open the match), timeout (the host never said it was open) or not_started (the match's lobby never filled).",
	}, []string{"cause"})
	admissionOverrides = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_player_matchmaking_admission_overrides_total",
		Help: "Formed matches a connection played although its node's admission control was shedding new games: the door was checked at matchmaking:join and a formed match is a promise to the other players.",
	})
)

// queued is the connection's matchmaking ticket.
type queued struct {
	ticketID  string
	mode      string
	players   int
	requestID int64
	// enqueuedAt is the first enqueue: re-queues keep it (and the age).
	enqueuedAt time.Time
	skill      float64
	// rated is set once the skill was looked up (a re-queue keeps it).
	rated bool
	// party is set when the ticket is this connection's party's (this
	// connection leads it): members and skills are read at each enqueue.
	party bool
	// adopted marks a party member's copy of its party's ticket, taken
	// when the match formed: the leader re-queues the party, not the
	// member.
	adopted bool
	members []*protos.QueueMember // the party's, as last enqueued
	// partyRevision is the party's membership revision members was read
	// at: a party:update above it means the party changed while queued.
	partyRevision uint64
	// acked is set once the matchmaker took the ticket: later enqueues
	// are re-queues, told to the client as matchmaking:status.
	acked bool
	pid   *actor.PID // the matchmaker's activation, watched; nil while resolving
	stale *actor.PID
	// attempt and waited count re-resolution retries after a death.
	attempt int
	waited  time.Duration
}

// awaitingMatch is a formed match whose host has not yet opened the
// session (members other than the host).
type awaitingMatch struct {
	sessionID string
	ticket    *queued
	admitted  *admission.Ticket
}

// matchmakerResolved carries the mode check, the skill look-up and the
// matchmaker's PID back into the mailbox.
type matchmakerResolved struct {
	q     *queued
	pid   *actor.PID
	skill float64
	rated bool
	// refused is an error code for the client (unknown_mode, bad_request,
	// not_party_leader) when the ticket cannot be queued.
	refused, reason string
	// members is the party with its skills (nil for a solo ticket), read
	// at the membership revision partyRevision.
	members       []*protos.QueueMember
	partyRevision uint64
	err           error
}

// ModeFinder finds an active game mode; errors wrap persistence.ErrNotFound
// for a mode that does not exist.
type ModeFinder interface {
	Mode(ctx context.Context, name string) (persistence.Mode, error)
}

// retryQueue is the backoff timer of a re-queue.
type retryQueue struct{ q *queued }

// readyExpired ends the wait for the host of a formed match.
type readyExpired struct{ sessionID string }

// onJoinQueue queues the connection for a match. The node's busy door is
// checked here (a shed node queues nobody); the skill look-up and the
// grain's resolution run off the mailbox.
func (a *Actor) onJoinQueue(ctx actor.Context, c *Command, m JoinQueue) {
	switch {
	case a.current != nil:
		a.fail(c.ID, events.CodeAlreadyInGame, "finish or leave the current game first")
		return
	case a.myTicket() != nil || a.myMatch() != nil:
		a.fail(c.ID, events.CodeAlreadyQueued, "already waiting for a match; leave that queue first")
		return
	}
	door, ok := a.admit(c.ID)
	if !ok {
		return
	}
	door.Close() // only the door: a queued player plays no game yet
	a.setTicket(&queued{ticketID: a.deps.NewSessionID(), mode: m.Mode, players: m.Players, requestID: c.ID, enqueuedAt: c.ReceivedAt,
		party: a.myParty() != nil})
	a.resolveQueue(ctx, a.myTicket())
}

// resolveQueue looks the player's skill up (once) and finds the mode's
// matchmaker, off the mailbox.
func (a *Actor) resolveQueue(ctx actor.Context, q *queued) {
	self, root, deps, playerID := ctx.Self(), ctx.ActorSystem().Root, a.deps, a.playerID
	mode, stale, rated, skill, players := q.mode, q.stale, q.rated, q.skill, q.players
	q.stale = nil
	if p := a.myParty(); q.party && p != nil {
		a.resolvePartyQueue(ctx, q, p.code)
		return
	}
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		if !rated {
			if code, reason, err := checkQueueMode(io, deps.Modes, mode, players); code != "" || err != nil {
				root.Send(self, &matchmakerResolved{q: q, refused: code, reason: reason, err: err})
				return
			}
			skills, err := deps.ratings().Skill(io, mode, []string{playerID})
			if err != nil {
				// A missing rating must not keep a player out of the queue.
				deps.Logger.Warn("matchmaking: rating look-up failed, queueing at 0", slog.Any("error", err))
			}
			skill, rated = skills[playerID], true
		}
		pid, err := findMatchmaker(io, deps, mode, stale)
		root.Send(self, &matchmakerResolved{q: q, pid: pid, skill: skill, rated: rated, err: err})
	}()
}

func (a *Actor) onMatchmakerResolved(ctx actor.Context, m *matchmakerResolved) {
	q := a.myTicket()
	if q == nil || q != m.q {
		return // left, matched or replaced meanwhile
	}
	q.skill, q.rated = m.skill, m.rated
	if m.members != nil {
		q.members, q.partyRevision = m.members, m.partyRevision
	}
	switch {
	case m.refused == "" && m.err == nil && a.partyChangedSince(q):
		// The party changed while its members were being read: read them
		// again rather than queue a membership that is gone.
		a.resolveQueue(ctx, q)
	case m.refused != "":
		a.setTicket(nil)
		a.fail(q.requestID, m.refused, m.reason)
	case m.err != nil && q.acked:
		a.retryQueueLater(ctx, q)
	case m.err != nil:
		a.setTicket(nil)
		a.fail(q.requestID, events.CodeUnavailable, "matchmaking is unavailable, try again")
	default:
		q.pid = m.pid
		ctx.Watch(m.pid)
		id := q.requestID
		if q.acked {
			id = 0 // a re-queue: the grain tells the client with a status
		}
		ctx.Send(m.pid, &protos.EnqueueTicket{
			From: a.ref(ctx), RequestId: id, TicketId: q.ticketID, Players: int32(q.players), //nolint:gosec // G115: JoinQueue.check bounds it to 2..8
			Members:             a.membersOf(ctx, q),
			EnqueuedAtUnixMicro: q.enqueuedAt.UnixMicro(), Requeued: q.acked,
		})
	}
}

// membersOf is the ticket's members: the party as read at the last
// resolution, or this connection alone.
func (a *Actor) membersOf(ctx actor.Context, q *queued) []*protos.QueueMember {
	if q.party && len(q.members) > 0 {
		return q.members
	}
	return []*protos.QueueMember{{Player: a.ref(ctx), Skill: q.skill}}
}

// resolvePartyQueue reads the party (only its leader queues it), checks
// the mode and the seats, reads every member's skill and finds the
// matchmaker, off the mailbox.
func (a *Actor) resolvePartyQueue(ctx actor.Context, q *queued, code string) {
	self, root, deps, playerID := ctx.Self(), ctx.ActorSystem().Root, a.deps, a.playerID
	mode, players, stale := q.mode, q.players, q.stale
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		res := &matchmakerResolved{q: q, rated: true}
		res.members, res.partyRevision, res.refused, res.reason, res.err = partyTicket(io, root, deps, code, playerID, mode, players)
		if res.refused == "" && res.err == nil {
			res.pid, res.err = findMatchmaker(io, deps, mode, stale)
		}
		root.Send(self, res)
	}()
}

// findMatchmaker resolves the mode's matchmaker grain, first forgetting
// the activation that died (stale, nil when none); off the mailbox only.
func findMatchmaker(ctx context.Context, deps *Deps, mode string, stale *actor.PID) (*actor.PID, error) {
	if stale != nil {
		deps.Grains.Forget(grains.KindMatchmaker, mode, stale)
	}
	return deps.Grains.PID(ctx, grains.KindMatchmaker, mode)
}

// partyTicket builds a party's members with their skills and the
// membership revision they were read at, or says why the party cannot
// queue (refused is the error code).
func partyTicket(ctx context.Context, root *actor.RootContext, deps *Deps, code, leader, mode string, players int) (
	members []*protos.QueueMember, revision uint64, refused, reason string, err error,
) {
	party, err := partyMembers(ctx, root, deps.Grains, code)
	if err != nil {
		return nil, 0, "", "", err
	}
	refs := party.GetMembers()
	switch {
	case len(refs) == 0 || refs[0].GetPlayerId() != leader:
		return nil, 0, events.CodeNotPartyLeader, "only the party's leader queues it", nil
	case len(refs) > players:
		return nil, 0, events.CodeBadRequest, fmt.Sprintf("the party has %d members, more than players", len(refs)), nil
	}
	if code, reason, err := checkQueueMode(ctx, deps.Modes, mode, players); code != "" || err != nil {
		return nil, 0, code, reason, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.GetPlayerId()
	}
	skills, err := deps.ratings().Skill(ctx, mode, ids)
	if err != nil {
		deps.Logger.Warn("matchmaking: party rating look-up failed, queueing at 0", slog.Any("error", err))
	}
	for _, r := range refs {
		members = append(members, &protos.QueueMember{Player: r, Skill: skills[r.GetPlayerId()]})
	}
	return members, party.GetRevision(), "", "", nil
}

// partyChangedSince reports whether a party:update newer than the
// membership q was read at has been heard (q is the party's ticket).
func (a *Actor) partyChangedSince(q *queued) bool {
	p := a.myParty()
	return q.party && q.members != nil && p != nil && p.revision > q.partyRevision
}

// onLeaveQueue cancels the ticket, if any; leaving is idempotent.
func (a *Actor) onLeaveQueue(ctx actor.Context, c *Command, _ LeaveQueue) {
	a.cancelQueue(ctx)
	a.ack(c.ID, nil)
}

// cancelQueue drops the connection's ticket and any formed match still
// waiting for its host (the socket closed, the player left the queue, or
// started or joined another game).
func (a *Actor) cancelQueue(ctx actor.Context) {
	if w := a.myMatch(); w != nil {
		w.admitted.Close()
		a.setAwaiting(nil)
	}
	q := a.myTicket()
	if q == nil {
		return
	}
	a.setTicket(nil)
	if q.pid != nil {
		ctx.Unwatch(q.pid)
		ctx.Send(q.pid, &protos.DequeueTicket{TicketId: q.ticketID, PlayerId: a.playerID})
		return
	}
	if !q.acked {
		// Still resolving: the ticket never reaches the queue, but the join
		// gets its answer.
		a.fail(q.requestID, events.CodeUnavailable, "the queue was left before it was joined")
	}
}

// queueEvent handles a frame from the matchmaker (its session id is the
// ticket id): an ack marks the ticket taken, an error drops it, and a
// status for a ticket this connection no longer holds is dropped. It
// reports whether ev was the matchmaker's.
func (a *Actor) queueEvent(ctx actor.Context, ev *protos.ClientEvent) bool {
	q := a.myTicket()
	mine := q != nil && ev.SessionId == q.ticketID
	switch {
	case ev.Type == events.TypeMatchmakingStatus:
		if mine || a.partyMember() {
			a.conn.Send(Frame{Type: ev.Type, Data: ev.Data})
		}
		return true
	case !mine:
		return false
	case ev.Type == events.TypeAck:
		q.acked = true
	case ev.Detach:
		if q.pid != nil {
			ctx.Unwatch(q.pid)
		}
		a.setTicket(nil)
	}
	a.conn.Send(Frame{Type: ev.Type, ID: ev.RequestId, Data: ev.Data})
	return true
}

// queueTerminated handles the death of the matchmaker's activation: the
// client is told, and the ticket is queued again on the next activation
// with its id and age. It reports whether the PID was the matchmaker's.
func (a *Actor) queueTerminated(ctx actor.Context, who *actor.PID) bool {
	q := a.myTicket()
	if q == nil || q.pid == nil || !q.pid.Equal(who) {
		return false
	}
	q.stale, q.pid, q.acked = q.pid, nil, true
	q.attempt, q.waited = 0, 0
	requeuesTotal.WithLabelValues("moving").Inc()
	a.sendQueueStatus(q, events.ReasonMatchmakerMoving)
	// Like a session's, the first lookup waits one backoff step: the
	// identity lookup may still name the departed member.
	a.retryQueueLater(ctx, q)
	return true
}

// retryQueueLater schedules the next resolution of the matchmaker, or
// gives the ticket up once the re-attach budget is spent.
func (a *Actor) retryQueueLater(ctx actor.Context, q *queued) {
	wait, ok := a.nextRetry(q.attempt, q.waited)
	if !ok {
		a.setTicket(nil)
		a.fail(0, events.CodeUnavailable, "matchmaking is unavailable, join the queue again later")
		return
	}
	q.attempt++
	q.waited += wait
	scheduler.NewTimerScheduler(ctx).SendOnce(wait, ctx.Self(), &retryQueue{q: q})
}

func (a *Actor) onRetryQueue(ctx actor.Context, m *retryQueue) {
	if a.myTicket() == m.q && m.q.pid == nil {
		a.resolveQueue(ctx, m.q)
	}
}

// sendQueueStatus tells the client where its ticket stands.
func (a *Actor) sendQueueStatus(q *queued, reason string) {
	a.conn.Send(Frame{Type: events.TypeMatchmakingStatus, Data: events.Encode(events.QueueStatus{
		TicketID: q.ticketID, Mode: q.mode, WaitedMs: time.Since(q.enqueuedAt).Milliseconds(), Reason: reason,
	})})
}

// requeue puts a ticket whose match fell through back in the queue, with
// its id and age.
func (a *Actor) requeue(ctx actor.Context, q *queued, cause string) {
	requeuesTotal.WithLabelValues(cause).Inc()
	q.pid, q.stale, q.acked, q.attempt, q.waited = nil, nil, true, 0, 0
	a.setTicket(q)
	a.resolveQueue(ctx, q)
}

// checkQueueMode refuses a ticket for a mode that does not exist or whose
// matches are smaller than players (without modes, every mode is taken).
func checkQueueMode(ctx context.Context, modes ModeFinder, name string, players int) (code, reason string, err error) {
	if modes == nil {
		return "", "", nil
	}
	mode, err := modes.Mode(ctx, name)
	switch {
	case errors.Is(err, persistence.ErrNotFound):
		return events.CodeUnknownMode, "unknown mode", nil
	case err != nil:
		return "", "", fmt.Errorf("queue mode %s: %w", name, err)
	case mode.MaxPlayers < players:
		return events.CodeBadRequest, fmt.Sprintf("%s matches take at most %d players", name, mode.MaxPlayers), nil
	}
	return "", "", nil
}

// ratings is the skill source; ZeroRatings when none is given.
func (d *Deps) ratings() matchmaker.RatingSource {
	if d.Ratings == nil {
		return matchmaker.ZeroRatings{}
	}
	return d.Ratings
}

// matchmaking is a connection's matchmaking state: its ticket, or the
// formed match it waits to join (never both).
type matchmaking struct {
	ticket   *queued
	awaiting *awaitingMatch
	party    *inParty
	// early is a host's MatchReady that came before this connection's own
	// MatchFound: the matchmaker tells the members one after another, so a
	// fast host can open (or give up) the session before a member hears it
	// was matched. Kept (the latest only) until that MatchFound comes.
	early *protos.MatchReady
}

// myParty is the connection's party; nil when none.
func (a *Actor) myParty() *inParty {
	if a.mm == nil {
		return nil
	}
	return a.mm.party
}

func (a *Actor) setParty(p *inParty) {
	if a.mm == nil {
		a.mm = &matchmaking{}
	}
	a.mm.party = p
}

// myTicket is the connection's ticket; nil when not queued.
func (a *Actor) myTicket() *queued {
	if a.mm == nil {
		return nil
	}
	return a.mm.ticket
}

// myMatch is the formed match waiting for its host; nil when none.
func (a *Actor) myMatch() *awaitingMatch {
	if a.mm == nil {
		return nil
	}
	return a.mm.awaiting
}

func (a *Actor) setTicket(q *queued) {
	if a.mm == nil {
		a.mm = &matchmaking{}
	}
	a.mm.ticket = q
}

func (a *Actor) setAwaiting(w *awaitingMatch) {
	if a.mm == nil {
		a.mm = &matchmaking{}
	}
	a.mm.awaiting = w
}
