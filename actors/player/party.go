package player

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/party"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
)

// partyCodeAlphabet is the alphabet of party codes (that of match codes,
// without look-alike characters).
const partyCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// partyCodeLength is the length of a party code.
const partyCodeLength = 6

// inParty is the connection's party: its code and grain.
type inParty struct {
	code string
	pid  *actor.PID // nil until the grain is resolved
	// revision is the highest membership revision heard in a party:update.
	revision uint64
}

// partyResolved carries a party grain's resolution back to the mailbox.
type partyResolved struct {
	code      string
	pid       *actor.PID
	requestID int64
	create    bool
	err       error
}

// newPartyCode draws a random party code.
func newPartyCode() string {
	var b [partyCodeLength]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	for i := range b {
		b[i] = partyCodeAlphabet[int(b[i])%len(partyCodeAlphabet)]
	}
	return string(b[:])
}

// onCreateParty opens a party with this connection as its leader.
func (a *Actor) onCreateParty(ctx actor.Context, c *Command, _ CreateParty) {
	a.enterParty(ctx, c.ID, newPartyCode(), true)
}

// onJoinParty joins a friend's party by its code.
func (a *Actor) onJoinParty(ctx actor.Context, c *Command, m JoinParty) {
	a.enterParty(ctx, c.ID, m.Code, false)
}

// enterParty resolves the party's grain off the mailbox; a connection in a
// party or a queue may not enter another.
func (a *Actor) enterParty(ctx actor.Context, requestID int64, code string, create bool) {
	switch {
	case a.myParty() != nil:
		a.fail(requestID, events.CodeAlreadyInParty, "leave your party first")
		return
	case a.myTicket() != nil || a.myMatch() != nil:
		a.fail(requestID, events.CodeAlreadyQueued, "leave the queue first")
		return
	}
	a.setParty(&inParty{code: code})
	self, root, deps := ctx.Self(), ctx.ActorSystem().Root, a.deps
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.LookupTimeout)
		defer cancel()
		pid, err := deps.Grains.PID(io, grains.KindParty, code)
		root.Send(self, &partyResolved{code: code, pid: pid, requestID: requestID, create: create, err: err})
	}()
}

func (a *Actor) onPartyResolved(ctx actor.Context, m *partyResolved) {
	p := a.myParty()
	if p == nil || p.code != m.code || p.pid != nil {
		return // left meanwhile
	}
	if m.err != nil {
		a.setParty(nil)
		a.fail(m.requestID, events.CodeUnavailable, "parties are unavailable, try again")
		return
	}
	p.pid = m.pid
	ctx.Send(m.pid, &protos.PartyJoin{From: a.ref(ctx), RequestId: m.requestID, Create: m.create})
}

// onLeaveParty leaves the party, if any (idempotent); a queued party's
// ticket is cancelled by its leader when it hears the party changed.
func (a *Actor) onLeaveParty(ctx actor.Context, c *Command, _ LeaveParty) {
	a.leaveParty(ctx)
	a.ack(c.ID, nil)
}

func (a *Actor) leaveParty(ctx actor.Context) {
	p := a.myParty()
	if p == nil {
		return
	}
	a.setParty(nil)
	if p.pid != nil {
		ctx.Send(p.pid, &protos.PartyLeave{PlayerId: a.playerID})
	}
}

// partyEvent handles a frame from the party grain: an error drops the
// party (the join failed), and a change of members cancels the party's
// ticket if this connection (its leader) queued it. It reports whether
// ev was the party's.
func (a *Actor) partyEvent(ctx actor.Context, ev *protos.ClientEvent) bool {
	p := a.myParty()
	if p == nil || ev.SessionId != party.Topic(p.code) {
		return false
	}
	switch {
	case ev.Detach:
		a.setParty(nil)
	case ev.Type == events.TypePartyUpdate:
		rev := updateRevision(ev.Data)
		p.revision = max(p.revision, rev)
		// Only a change after the ticket read the members cancels it: the
		// update of a join that came before the queue may arrive after it
		// (it crosses nodes), and one heard while the ticket is still
		// resolving is judged when the resolution returns.
		if q := a.myTicket(); q != nil && q.party && q.members != nil && rev > q.partyRevision {
			a.cancelQueue(ctx)
			a.sendQueueStatus(q, events.ReasonCancelled)
		}
	}
	a.conn.Send(Frame{Type: ev.Type, ID: ev.RequestId, Data: ev.Data})
	return true
}

// updateRevision is a party:update's membership revision; 0 (older than
// any) when the payload does not decode, which only the party grain
// writes.
func updateRevision(data []byte) uint64 {
	var update events.PartyUpdate
	if err := json.Unmarshal(data, &update); err != nil {
		return 0
	}
	return update.Revision
}

// partyMembers reads the party's members (the leader first) and the
// revision of that membership; off the mailbox only.
func partyMembers(ctx context.Context, root *actor.RootContext, dir grains.Directory, code string) (*protos.PartyMembersReply, error) {
	reply, err := grains.Request(ctx, root, dir, grains.KindParty, code, &protos.PartyMembersQuery{})
	if err != nil {
		return nil, fmt.Errorf("party %s members: %w", code, err)
	}
	r, ok := reply.(*protos.PartyMembersReply)
	if !ok {
		return nil, fmt.Errorf("party %s members: reply %T: %w", code, reply, grains.ErrUnavailable)
	}
	return r, nil
}

// partyMember reports whether a frame for a ticket this connection does
// not hold may be its party's: the connection is in a party and neither
// queued on its own nor in a game.
func (a *Actor) partyMember() bool {
	return a.myParty() != nil && a.myTicket() == nil && a.current == nil
}

// adoptPartyTicket makes a party member's connection hold its party's
// formed match as if it had queued it, so the match path (and a re-queue)
// works the same for every member.
func (a *Actor) adoptPartyTicket(m *protos.MatchFound) *queued {
	q := &queued{ticketID: m.GetTicketId(), mode: m.GetMode(), players: int(m.GetMaxPlayers()), enqueuedAt: time.Now(),
		acked: true, rated: true, adopted: true}
	a.setTicket(q)
	return q
}
