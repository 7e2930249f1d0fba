package player

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/party"
	"github.com/proofstell/proofstell/actors/protos"
)

// formParty has leader create a party and member join it; it returns the
// code once both heard the two-member update.
func formParty(t *testing.T, leader, member *queuePlayer) string {
	t.Helper()
	leader.command(1, CreateParty{})
	code := decodeFrame[events.PartyAck](t, leader.conn.next(t), events.TypeAck).Code
	require.Equal(t, uint64(1), decodeFrame[events.PartyUpdate](t, leader.conn.next(t), events.TypePartyUpdate).Revision)
	member.command(1, JoinParty{Code: code})
	require.Equal(t, events.TypeAck, member.conn.next(t).Type)
	require.Equal(t, uint64(2), decodeFrame[events.PartyUpdate](t, member.conn.next(t), events.TypePartyUpdate).Revision)
	require.Equal(t, uint64(2), decodeFrame[events.PartyUpdate](t, leader.conn.next(t), events.TypePartyUpdate).Revision)
	return code
}

// The update of a join that came before the queue can reach the leader
// after it (across nodes it often does): it does not cancel the ticket,
// which already holds that member; a later change does.
func TestActor_PartyUpdateFromBeforeTheQueueKeepsTheTicket(t *testing.T) {
	f := newQueueFixture(t, wide)
	ann, bob := f.connect("ann", nil), f.connect("bob", nil)
	annPID := <-ann.pid
	code := formParty(t, ann, bob)
	ann.command(2, JoinQueue{Mode: "classic", Players: 3})
	ticket := decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck).TicketID

	late := events.PartyUpdate{Code: code, LeaderID: "ann", Revision: 2,
		Members: []events.MatchedPlayer{{PlayerID: "ann", Username: "u-ann"}, {PlayerID: "bob", Username: "u-bob"}}}
	f.system.Root.Send(annPID, &protos.ClientEvent{Type: events.TypePartyUpdate, SessionId: party.Topic(code), Data: events.Encode(late)})
	require.Equal(t, uint64(2), decodeFrame[events.PartyUpdate](t, ann.conn.next(t), events.TypePartyUpdate).Revision,
		"forwarded with no cancellation before it")

	bob.command(2, LeaveParty{})
	require.Equal(t, int64(2), bob.conn.next(t).ID)
	cancelled := decodeFrame[events.QueueStatus](t, ann.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonCancelled, cancelled.Reason, "the change after the queue cancels it")
	require.Equal(t, ticket, cancelled.TicketID)
	require.Equal(t, uint64(3), decodeFrame[events.PartyUpdate](t, ann.conn.next(t), events.TypePartyUpdate).Revision)
}

// gatedSkills is a RatingSource that answers only when the test lets it:
// it holds a party's resolution between reading the members and queueing.
type gatedSkills struct {
	asked   chan struct{}
	release chan struct{}
}

func (g gatedSkills) Skill(ctx context.Context, _ string, _ []string) (map[string]float64, error) {
	g.asked <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return map[string]float64{}, nil
}

// A member who leaves while the leader's ticket is still reading the party
// is not queued: the leader reads the party again and queues who is left.
func TestActor_PartyChangedWhileQueueingIsReadAgain(t *testing.T) {
	f := newQueueFixture(t, wide)
	gate := gatedSkills{asked: make(chan struct{}, 4), release: make(chan struct{}, 4)}
	ann, bob := f.connect("ann", gate), f.connect("bob", nil)
	formParty(t, ann, bob)
	ann.command(2, JoinQueue{Mode: "classic", Players: 2})
	<-gate.asked // ann and bob were read (revision 2)

	bob.command(2, LeaveParty{})
	require.Equal(t, int64(2), bob.conn.next(t).ID)
	require.Equal(t, uint64(3), decodeFrame[events.PartyUpdate](t, ann.conn.next(t), events.TypePartyUpdate).Revision)
	gate.release <- struct{}{}
	<-gate.asked // read again: ann alone
	gate.release <- struct{}{}
	require.Equal(t, events.TypeAck, ann.conn.next(t).Type, "queued")

	cat := f.connect("cat", nil)
	cat.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.TypeAck, cat.conn.next(t).Type)
	matched := decodeFrame[events.Matched](t, cat.conn.next(t), events.TypeMatchmakingMatched)
	require.Equal(t, []events.MatchedPlayer{{PlayerID: "ann", Username: "u-ann"}, {PlayerID: "cat", Username: "u-cat"}}, matched.Players,
		"bob, who left before the ticket was queued, is not in the match")
}
