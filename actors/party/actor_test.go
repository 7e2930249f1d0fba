package party_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/party"
	"github.com/proofstell/proofstell/actors/protos"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type inbox chan *protos.ClientEvent

func (b inbox) Receive(ctx actor.Context) {
	if ev, ok := ctx.Message().(*protos.ClientEvent); ok {
		b <- ev
	}
}

func next(t *testing.T, b inbox) *protos.ClientEvent {
	t.Helper()
	select {
	case ev := <-b:
		return ev
	case <-time.After(2 * time.Second):
		t.Fatal("nothing received")
		return nil
	}
}

func TestParty_JoinLeaveAndLead(t *testing.T) {
	t.Parallel()
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	grain := system.Root.Spawn(party.Props(slog.New(slog.NewTextHandler(io.Discard, nil))))
	system.Root.Send(grain, &cluster.ClusterInit{Identity: cluster.NewClusterIdentity("K7QX2M", "party")})
	refs := map[string]*protos.PlayerRef{}
	boxes := map[string]inbox{}
	for _, id := range []string{"ann", "bob", "p3", "p4", "p5", "p6", "p7", "p8", "p9"} {
		boxes[id] = make(inbox, 32)
		pid := system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return boxes[id] }))
		refs[id] = &protos.PlayerRef{PlayerId: id, Username: "u-" + id, Address: pid.Address, Id: pid.Id}
	}
	join := func(id string, create bool) *protos.ClientEvent {
		system.Root.Send(grain, &protos.PartyJoin{From: refs[id], RequestId: 7, Create: create})
		return next(t, boxes[id])
	}
	require.Equal(t, events.TypeAck, join("ann", true).Type)
	require.Equal(t, events.TypePartyUpdate, next(t, boxes["ann"]).Type)
	require.Contains(t, string(join("bob", true).Data), events.CodeUnavailable, "a taken code is not created twice")
	require.Equal(t, events.TypeAck, join("bob", false).Type)
	var update events.PartyUpdate
	require.NoError(t, json.Unmarshal(next(t, boxes["bob"]).Data, &update))
	require.Equal(t, "ann", update.LeaderID)
	require.Len(t, update.Members, 2)
	require.Equal(t, uint64(2), update.Revision, "each join numbers the membership")
	for _, id := range []string{"p3", "p4", "p5", "p6", "p7", "p8"} {
		require.Equal(t, events.TypeAck, join(id, false).Type)
	}
	full := join("p9", false)
	require.Equal(t, events.TypeError, full.Type)
	require.Contains(t, string(full.Data), events.CodePartyFull)

	system.Root.Send(grain, &protos.PartyLeave{PlayerId: "ann"})
	reply, err := system.Root.RequestFuture(grain, &protos.PartyMembersQuery{}, time.Second).Result()
	require.NoError(t, err)
	members := reply.(*protos.PartyMembersReply).GetMembers()
	require.Len(t, members, 7)
	require.Equal(t, "bob", members[0].GetPlayerId(), "the next member leads")
	require.Equal(t, uint64(9), reply.(*protos.PartyMembersReply).GetRevision(), "8 joins and a leave; refused joins change nothing")
}
