package matchmaker_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is the grain's injected time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// inbox is a stand-in player connection: it records what the grain sends it.
type inbox struct {
	ch chan any
}

func (b *inbox) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *protos.ClientEvent, *protos.MatchFound:
		b.ch <- m
	}
}

// harness runs one matchmaker grain for mode "classic"; its timer never
// fires (an hour), the test sends the ticks.
type harness struct {
	t      *testing.T
	system *actor.ActorSystem
	grain  *actor.PID
	clock  *clock
	ids    int
}

func newHarness(t *testing.T, cfg config.Matchmaking) *harness {
	t.Helper()
	h := &harness{t: t, system: actor.NewActorSystem(), clock: &clock{now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)}}
	cfg.TickInterval = time.Hour
	if cfg.StatusInterval == 0 {
		cfg.StatusInterval = time.Hour
	}
	if cfg.MaxTickets == 0 {
		cfg.MaxTickets = 100
	}
	h.grain = h.system.Root.Spawn(matchmaker.Props(matchmaker.Deps{
		Config: cfg, Now: h.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		NewSessionID: func() string {
			h.ids++
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", h.ids)
		},
	}))
	h.system.Root.Send(h.grain, &cluster.ClusterInit{Identity: cluster.NewClusterIdentity("classic", "matchmaker")})
	t.Cleanup(func() {
		_ = h.system.Root.StopFuture(h.grain).Wait()
		h.system.Shutdown()
	})
	return h
}

// player is one connection the test drives.
type player struct {
	ref *protos.PlayerRef
	box *inbox
}

func (h *harness) player(id string) *player {
	box := &inbox{ch: make(chan any, 64)}
	pid := h.system.Root.Spawn(actor.PropsFromProducer(func() actor.Actor { return box }))
	return &player{ref: &protos.PlayerRef{PlayerId: id, Username: "u-" + id, Address: pid.Address, Id: pid.Id}, box: box}
}

// enqueue queues p alone with a skill, as its player actor does.
func (h *harness) enqueue(p *player, ticketID string, players int, skill float64) {
	h.system.Root.Send(h.grain, &protos.EnqueueTicket{
		From: p.ref, RequestId: 1, TicketId: ticketID, Players: int32(players), //nolint:gosec // test sizes are small
		Members:             []*protos.QueueMember{{Player: p.ref, Skill: skill}},
		EnqueuedAtUnixMicro: h.clock.Now().UnixMicro(),
	})
}

// tick sends the timer message and waits until the grain handled it.
func (h *harness) tick() {
	h.system.Root.Send(h.grain, &matchmaker.Tick{})
	h.sync()
}

// sync waits for the grain's mailbox to drain up to here.
func (h *harness) sync() {
	_, err := h.system.Root.RequestFuture(h.grain, &actor.Touch{}, time.Second).Result()
	require.NoError(h.t, err)
}

func (p *player) next(t *testing.T) any {
	t.Helper()
	select {
	case m := <-p.box.ch:
		return m
	case <-time.After(2 * time.Second):
		t.Fatalf("%s: nothing received", p.ref.PlayerId)
		return nil
	}
}

func (p *player) event(t *testing.T, typ string) *protos.ClientEvent {
	t.Helper()
	ev, ok := p.next(t).(*protos.ClientEvent)
	require.True(t, ok, "want a %s frame", typ)
	require.Equal(t, typ, ev.Type, string(ev.Data))
	return ev
}

func (p *player) found(t *testing.T) *protos.MatchFound {
	t.Helper()
	m, ok := p.next(t).(*protos.MatchFound)
	require.True(t, ok, "want a MatchFound")
	return m
}

func (p *player) nothing(t *testing.T) {
	t.Helper()
	select {
	case m := <-p.box.ch:
		t.Fatalf("%s: unexpected %v", p.ref.PlayerId, m)
	default:
	}
}

var window = config.Matchmaking{WindowStart: 3, WindowPerSecond: 1, WindowMax: 50}

func TestGrain_PairsBySkillNotByArrival(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ann, bob, cat, dan := h.player("ann"), h.player("bob"), h.player("cat"), h.player("dan")
	for i, p := range []*player{ann, bob, cat, dan} {
		h.enqueue(p, fmt.Sprintf("t-%s", p.ref.PlayerId), 2, []float64{0, 100, 2, 101}[i])
		h.clock.Advance(time.Second)
		require.JSONEq(t, fmt.Sprintf(`{"ticketId":"t-%s"}`, p.ref.PlayerId), string(p.event(t, events.TypeAck).Data))
	}
	h.tick()
	first, second := ann.found(t), bob.found(t)
	require.Equal(t, first.SessionId, cat.found(t).SessionId, "ann and cat are close")
	require.Equal(t, second.SessionId, dan.found(t).SessionId, "bob and dan are close")
	require.NotEqual(t, first.SessionId, second.SessionId)
	require.Equal(t, "ann", first.HostPlayerId, "the oldest ticket's player hosts")
	require.EqualValues(t, 2, first.MaxPlayers)
	var matched events.Matched
	require.NoError(t, json.Unmarshal(first.Matched, &matched))
	require.Equal(t, events.Matched{SessionID: first.SessionId, Mode: "classic", MaxPlayers: 2,
		Players: []events.MatchedPlayer{{PlayerID: "ann", Username: "u-ann"}, {PlayerID: "cat", Username: "u-cat"}}}, matched)

	h.tick() // the queue is empty: nothing more
	for _, p := range []*player{ann, bob, cat, dan} {
		p.nothing(t)
	}
}

func TestGrain_WidensTheWindowWithWaiting(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ann, bob := h.player("ann"), h.player("bob")
	h.enqueue(ann, "t-ann", 2, 0)
	h.enqueue(bob, "t-bob", 2, 10)
	ann.event(t, events.TypeAck)
	bob.event(t, events.TypeAck)
	h.tick()
	ann.nothing(t) // 10 apart, window 3
	h.clock.Advance(7 * time.Second)
	h.tick() // window 3 + 7 = 10
	require.Equal(t, ann.found(t).SessionId, bob.found(t).SessionId)
}

func TestGrain_OneTicketPerPlayer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ann := h.player("ann")
	h.enqueue(ann, "t-1", 2, 0)
	ann.event(t, events.TypeAck)
	other := h.player("ann") // another connection of the same player
	h.enqueue(other, "t-2", 4, 0)
	ev := other.event(t, events.TypeError)
	require.True(t, ev.Detach)
	require.Contains(t, string(ev.Data), events.CodeAlreadyQueued)
}

func TestGrain_Refusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t, config.Matchmaking{WindowMax: 1, MaxTickets: 1})
	ann, bob := h.player("ann"), h.player("bob")
	h.enqueue(ann, "t-ann", 9, 0)
	require.Contains(t, string(ann.event(t, events.TypeError).Data), events.CodeBadRequest)
	h.enqueue(ann, "t-ann", 2, 0)
	ann.event(t, events.TypeAck)
	h.enqueue(bob, "t-bob", 2, 0)
	require.Contains(t, string(bob.event(t, events.TypeError).Data), events.CodeBusy, "the queue is full")
}

func TestGrain_LeaveCancelsTheTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ann, bob, cat := h.player("ann"), h.player("bob"), h.player("cat")
	h.enqueue(ann, "t-ann", 2, 0)
	h.enqueue(bob, "t-bob", 2, 0)
	ann.event(t, events.TypeAck)
	bob.event(t, events.TypeAck)
	h.system.Root.Send(h.grain, &protos.DequeueTicket{TicketId: "t-ann", PlayerId: "bob"}) // not bob's: ignored
	h.system.Root.Send(h.grain, &protos.DequeueTicket{TicketId: "t-ann", PlayerId: "ann"})
	h.tick()
	bob.nothing(t)
	h.enqueue(cat, "t-cat", 2, 0)
	cat.event(t, events.TypeAck)
	h.tick()
	require.Equal(t, bob.found(t).SessionId, cat.found(t).SessionId)
	ann.nothing(t)
	h.enqueue(ann, "t-ann2", 2, 0) // a cancelled player may queue again
	ann.event(t, events.TypeAck)
}

// A ticket sent again after the matchmaker's activation died keeps its id
// and its age: the new activation takes it without a second ack and tells
// its players it was re-queued.
func TestGrain_RequeueKeepsTheTicketsAge(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ann, bob := h.player("ann"), h.player("bob")
	enqueuedAt := h.clock.Now().Add(-20 * time.Second) // queued 20 s ago on the dead activation
	h.system.Root.Send(h.grain, &protos.EnqueueTicket{
		From: ann.ref, TicketId: "t-ann", Players: 2, Requeued: true,
		Members: []*protos.QueueMember{{Player: ann.ref, Skill: 0}}, EnqueuedAtUnixMicro: enqueuedAt.UnixMicro(),
	})
	var status events.QueueStatus
	require.NoError(t, json.Unmarshal(ann.event(t, events.TypeMatchmakingStatus).Data, &status))
	require.Equal(t, events.QueueStatus{TicketID: "t-ann", Mode: "classic", WaitedMs: 20000, Window: 23, Reason: events.ReasonRequeued}, status)
	h.enqueue(bob, "t-bob", 2, 20) // 20 apart: bob's own window (3) refuses ann
	bob.event(t, events.TypeAck)
	h.tick()
	ann.nothing(t)
	h.clock.Advance(17 * time.Second)
	h.tick()
	require.Equal(t, ann.found(t).SessionId, bob.found(t).SessionId)
}

func TestGrain_TellsWaitingPlayersTheirStatus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, config.Matchmaking{WindowStart: 3, WindowPerSecond: 1, WindowMax: 50, StatusInterval: 5 * time.Second})
	ann := h.player("ann")
	h.enqueue(ann, "t-ann", 2, 0)
	ann.event(t, events.TypeAck)
	h.clock.Advance(4 * time.Second)
	h.tick()
	ann.nothing(t)
	h.clock.Advance(2 * time.Second)
	h.tick()
	var status events.QueueStatus
	require.NoError(t, json.Unmarshal(ann.event(t, events.TypeMatchmakingStatus).Data, &status))
	require.Equal(t, events.QueueStatus{TicketID: "t-ann", Mode: "classic", WaitedMs: 6000, Window: 9}, status)
}

func TestGrain_Stats(t *testing.T) {
	t.Parallel()
	h := newHarness(t, window)
	ask := func() *protos.QueueStatsReply {
		reply, err := h.system.Root.RequestFuture(h.grain, &protos.QueueStatsQuery{}, time.Second).Result()
		require.NoError(t, err)
		return reply.(*protos.QueueStatsReply)
	}
	require.Equal(t, "classic", ask().Mode)
	players := []*player{h.player("ann"), h.player("bob"), h.player("cat")}
	for i, p := range players {
		h.enqueue(p, "t-"+p.ref.PlayerId, 2, float64(i*100)) // too far apart to match
		p.event(t, events.TypeAck)
		h.clock.Advance(10 * time.Second)
	}
	got := ask()
	require.EqualValues(t, 3, got.TicketsWaiting)
	require.EqualValues(t, 3, got.PlayersWaiting)
	require.EqualValues(t, 20000, got.MedianWaitMs)
	require.EqualValues(t, 30000, got.P95WaitMs)
	require.Zero(t, got.MatchesLastMinute)

	dan := h.player("dan")
	h.enqueue(dan, "t-dan", 2, 200)
	dan.event(t, events.TypeAck)
	h.tick()
	require.EqualValues(t, 1, ask().MatchesLastMinute, "cat and dan")
	require.EqualValues(t, 2, ask().PlayersWaiting)
	h.clock.Advance(61 * time.Second)
	require.Zero(t, ask().MatchesLastMinute, "a minute later")
}
