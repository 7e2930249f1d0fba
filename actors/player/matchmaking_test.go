package player

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/party"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/internal/settings"
)

// queueFixture runs player actors against a real matchmaker grain (in a
// LocalDirectory) and a session grain that records and acknowledges what
// it is sent. The matchmaker ticks every few milliseconds: the tests wait
// for frames, never for time.
type queueFixture struct {
	t       *testing.T
	system  *actor.ActorSystem
	dir     *grains.LocalDirectory
	session chan any
	ids     chan string
	// failCreate makes the session refuse creates (account_banned);
	// dropCreate makes it never answer them.
	failCreate, dropCreate atomic.Bool
	// neverStart keeps a full match from counting down.
	neverStart atomic.Bool
	// readyTimeout is the connections' ReadyTimeout: long, so that only
	// the tests of the timeout (which shorten it before connecting) ever
	// see it expire, however slow a -race run is.
	readyTimeout time.Duration
}

// recordingSession acknowledges creates and joins with request id and
// session id, as a session does, and records every command.
type recordingSession struct {
	f   *queueFixture
	got chan any
	id  string
}

func (s *recordingSession) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *cluster.ClusterInit:
		s.id = m.Identity.Identity
	case *protos.LeaveSession:
		s.record(m)
	case *protos.CreateSession, *protos.JoinSession, *protos.WhackMole:
		s.record(m)
		from := m.(interface{ GetFrom() *protos.PlayerRef }).GetFrom()
		id := m.(interface{ GetRequestId() int64 }).GetRequestId()
		if _, create := m.(*protos.CreateSession); create && s.f.dropCreate.Load() {
			return
		}
		if _, create := m.(*protos.CreateSession); create && s.f.failCreate.Load() {
			ctx.Send(actor.NewPID(from.Address, from.Id), &protos.ClientEvent{Type: events.TypeError, RequestId: id, SessionId: s.id, Detach: true,
				Data: events.Encode(events.Error{Code: events.CodeAccountBanned, Message: "banned"})})
			return
		}
		ctx.Send(actor.NewPID(from.Address, from.Id), &protos.ClientEvent{Type: events.TypeAck, RequestId: id, SessionId: s.id, Data: []byte(`{}`)})
		if _, join := m.(*protos.JoinSession); join && !s.f.neverStart.Load() {
			// The match is full: it counts down (to the joiner only; enough
			// for these tests).
			ctx.Send(actor.NewPID(from.Address, from.Id), &protos.ClientEvent{Type: events.TypeStateChange, SessionId: s.id,
				Data: events.Encode(events.StateChange{GameID: s.id, State: events.StateWaiting, StartsInMs: 3000, Players: 2})})
		}
	}
}

// record keeps m for the test; past the buffer (matches that re-form
// until the test ends) it is dropped, so the grain never blocks.
func (s *recordingSession) record(m any) {
	select {
	case s.got <- m:
	default:
	}
}

func newQueueFixture(t *testing.T, cfg config.Matchmaking) *queueFixture {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	f := &queueFixture{t: t, session: make(chan any, 64), ids: make(chan string, 64), readyTimeout: 10 * time.Second}
	f.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	t.Cleanup(f.system.Shutdown)
	for i := 1; i < 60; i++ {
		f.ids <- fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	cfg.TickInterval, cfg.StatusInterval, cfg.MaxTickets = 5*time.Millisecond, time.Hour, 100
	f.dir = grains.NewLocalDirectory(f.system.Root, map[string]*actor.Props{
		grains.KindSession: actor.PropsFromProducer(func() actor.Actor { return &recordingSession{f: f, got: f.session} }),
		grains.KindMatchmaker: matchmaker.Props(matchmaker.Deps{Config: cfg, Now: time.Now, Logger: quiet,
			NewSessionID: func() string { return <-f.ids }}),
		grains.KindParty: party.Props(quiet),
	})
	return f
}

// queuePlayer is one connection of the fixture.
type queuePlayer struct {
	conn    *conn
	deliver func(Command)
	detach  func()
	// pid is the connection's player actor, learnt from its first
	// subscription (its own topic, on Started).
	pid chan *actor.PID
}

// pidHub is the fake hub that also hands over the subscribing actor.
type pidHub struct {
	hub
	pid chan *actor.PID
}

func (h *pidHub) Subscribe(topic string, pid *actor.PID, sock fanout.Socket) {
	select {
	case h.pid <- pid:
	default:
	}
	h.hub.Subscribe(topic, pid, sock)
}

func (f *queueFixture) connect(id string, ratings matchmaker.RatingSource) *queuePlayer {
	return f.connectWith(id, ratings, nil)
}

// connectWith is connect with the node's runtime settings (nil: none).
func (f *queueFixture) connectWith(id string, ratings matchmaker.RatingSource, current func() settings.Settings) *queuePlayer {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := &queuePlayer{conn: &conn{frames: make(chan Frame, 64)}, pid: make(chan *actor.PID, 1)}
	spawner := &Spawner{Root: f.system.Root, MailboxSize: 64, Deps: Deps{
		Grains: f.dir, Hub: &pidHub{hub: hub{topics: map[string]int{}}, pid: p.pid}, NewSessionID: func() string { return <-f.ids },
		Base: context.Background(), LookupTimeout: time.Second, MaxPending: 4, Logger: quiet, Ratings: ratings,
		RetryBackoff: func(int) time.Duration { return time.Millisecond }, ReattachBudget: time.Second,
		ReadyTimeout: f.readyTimeout, Settings: current,
	}}
	p.deliver, p.detach = spawner.Attach(Identity{PlayerID: id, Username: "u-" + id}, p.conn)
	return p
}

func (p *queuePlayer) command(id int64, body any) {
	p.deliver(Command{ID: id, ReceivedAt: time.Now(), Body: body})
}

func decodeFrame[T any](t *testing.T, fr Frame, typ string) T {
	t.Helper()
	require.Equal(t, typ, fr.Type, string(fr.Data))
	var v T
	require.NoError(t, json.Unmarshal(fr.Data, &v))
	return v
}

func (f *queueFixture) sessionGot() any {
	f.t.Helper()
	select {
	case m := <-f.session:
		return m
	case <-time.After(5 * time.Second):
		f.t.Fatal("the session received nothing")
		return nil
	}
}

// skills is a RatingSource over a fixed map.
type skills map[string]float64

func (s skills) Skill(_ context.Context, _ string, ids []string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, id := range ids {
		if v, ok := s[id]; ok {
			out[id] = v
		}
	}
	return out, nil
}

var wide = config.Matchmaking{WindowStart: 3, WindowPerSecond: 0, WindowMax: 3}

// A formed match is played like a created one: the host's connection
// creates the session (no client ack: matchmaking:matched answers), the
// other joins it once the host says it is open, and both are bound to it
// so whacks route.
func TestActor_MatchFoundBindsBothPlayersToTheSession(t *testing.T) {
	f := newQueueFixture(t, wide)
	ann, bob := f.connect("ann", nil), f.connect("bob", nil)
	ann.command(1, JoinQueue{Mode: "classic", Players: 2})
	annTicket := decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck)
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.NotEqual(t, annTicket, decodeFrame[events.QueueAck](t, bob.conn.next(t), events.TypeAck))

	matched := decodeFrame[events.Matched](t, ann.conn.next(t), events.TypeMatchmakingMatched)
	require.Equal(t, matched, decodeFrame[events.Matched](t, bob.conn.next(t), events.TypeMatchmakingMatched))
	require.Equal(t, []events.MatchedPlayer{{PlayerID: "ann", Username: "u-ann"}, {PlayerID: "bob", Username: "u-bob"}}, matched.Players)

	create, ok := f.sessionGot().(*protos.CreateSession)
	require.True(t, ok, "the host creates first")
	require.Equal(t, "ann", create.From.PlayerId)
	require.EqualValues(t, 2, create.MaxPlayers)
	require.Equal(t, "classic", create.Mode)
	require.Equal(t, []string{"ann", "bob"}, create.MatchedPlayers, "the session announces match.found to both")
	join, ok := f.sessionGot().(*protos.JoinSession)
	require.True(t, ok, "then the other joins")
	require.Equal(t, "bob", join.From.PlayerId)

	bob.command(2, Whack{SessionID: matched.SessionID, Hole: 1, MoleID: 1})
	whack, ok := f.sessionGot().(*protos.WhackMole)
	require.True(t, ok, "the member's whacks route to the session")
	require.Equal(t, "bob", whack.From.PlayerId)
	require.Equal(t, events.TypeStateChange, bob.conn.next(t).Type, "the countdown, not the session's internal ack")
	require.Equal(t, int64(2), bob.conn.next(t).ID, "then the whack's answer")
	bob.command(3, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.CodeAlreadyInGame, errorCode(t, bob.conn.next(t)))
}

// Skill decides the pairs: the rating source is read by the player actor
// before it queues.
func TestActor_QueuesWithTheRatingSourcesSkill(t *testing.T) {
	f := newQueueFixture(t, wide)
	ratings := skills{"ann": 0, "bob": 100, "cat": 1, "dan": 101}
	players := map[string]*queuePlayer{}
	for _, id := range []string{"ann", "bob", "cat", "dan"} {
		players[id] = f.connect(id, ratings)
		players[id].command(1, JoinQueue{Mode: "classic", Players: 2})
		require.Equal(t, events.TypeAck, players[id].conn.next(t).Type)
	}
	pairOf := func(id string) []events.MatchedPlayer {
		return decodeFrame[events.Matched](t, players[id].conn.next(t), events.TypeMatchmakingMatched).Players
	}
	require.Equal(t, []events.MatchedPlayer{{PlayerID: "ann", Username: "u-ann"}, {PlayerID: "cat", Username: "u-cat"}}, pairOf("ann"))
	require.Equal(t, []events.MatchedPlayer{{PlayerID: "bob", Username: "u-bob"}, {PlayerID: "dan", Username: "u-dan"}}, pairOf("dan"))
}

// When the matchmaker's activation dies, the waiting player is told and its
// ticket is queued again, same id and age, on the next activation, where
// it is matched.
func TestActor_RequeuesWhenTheMatchmakerDies(t *testing.T) {
	f := newQueueFixture(t, wide)
	ann := f.connect("ann", nil)
	ann.command(1, JoinQueue{Mode: "classic", Players: 2})
	ticket := decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck).TicketID
	old, err := f.dir.PID(context.Background(), grains.KindMatchmaker, "classic")
	require.NoError(t, err)
	require.NoError(t, f.system.Root.StopFuture(old).Wait())

	moving := decodeFrame[events.QueueStatus](t, ann.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonMatchmakerMoving, moving.Reason)
	require.Equal(t, ticket, moving.TicketID)
	requeued := decodeFrame[events.QueueStatus](t, ann.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonRequeued, requeued.Reason)
	require.Equal(t, ticket, requeued.TicketID, "the same ticket")

	bob := f.connect("bob", nil)
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.TypeAck, bob.conn.next(t).Type)
	require.Equal(t, events.TypeMatchmakingMatched, ann.conn.next(t).Type, "matched on the new activation")
}

// Leaving, closing the socket and starting another game cancel the
// ticket: a later player is not matched with it.
func TestActor_CancelsTheTicket(t *testing.T) {
	for name, cancel := range map[string]func(p *queuePlayer){
		"leave":      func(p *queuePlayer) { p.command(2, LeaveQueue{}) },
		"disconnect": func(p *queuePlayer) { p.detach() },
		"start":      func(p *queuePlayer) { p.command(2, StartGame{Mode: "classic"}) },
	} {
		t.Run(name, func(t *testing.T) {
			f := newQueueFixture(t, wide)
			ann := f.connect("ann", nil)
			ann.command(1, JoinQueue{Mode: "classic", Players: 2})
			require.Equal(t, events.TypeAck, ann.conn.next(t).Type)
			ann.command(5, JoinQueue{Mode: "classic", Players: 3})
			require.Equal(t, events.CodeAlreadyQueued, errorCode(t, ann.conn.next(t)))
			cancel(ann)
			if name != "disconnect" {
				require.Equal(t, int64(2), ann.conn.next(t).ID, "answered")
			}
			bob, cat := f.connect("bob", nil), f.connect("cat", nil)
			bob.command(1, JoinQueue{Mode: "classic", Players: 2})
			require.Equal(t, events.TypeAck, bob.conn.next(t).Type)
			cat.command(1, JoinQueue{Mode: "classic", Players: 2})
			require.Equal(t, events.TypeAck, cat.conn.next(t).Type)
			require.Equal(t, "bob", decodeFrame[events.Matched](t, bob.conn.next(t), events.TypeMatchmakingMatched).Players[0].PlayerID,
				"bob, not ann, is the oldest ticket")
		})
	}
}

// A host that cannot open the session abandons the match: the client
// hears the session's error, and the other member is queued again with its
// ticket.
func TestActor_AbandonedMatchRequeuesTheOthers(t *testing.T) {
	f := newQueueFixture(t, wide)
	f.failCreate.Store(true)
	ann, bob := f.connect("ann", nil), f.connect("bob", nil)
	ann.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.TypeAck, ann.conn.next(t).Type)
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	ticket := decodeFrame[events.QueueAck](t, bob.conn.next(t), events.TypeAck).TicketID
	require.Equal(t, events.TypeMatchmakingMatched, ann.conn.next(t).Type)
	require.Equal(t, events.TypeMatchmakingMatched, bob.conn.next(t).Type)

	require.Equal(t, events.CodeAccountBanned, errorCode(t, ann.conn.next(t)), "the host hears why")
	requeued := decodeFrame[events.QueueStatus](t, bob.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.QueueStatus{TicketID: ticket, Mode: "classic", WaitedMs: requeued.WaitedMs, Window: 3, Reason: events.ReasonRequeued}, requeued)
}

// The matchmaker tells a match's members one after another, so a fast
// host may give the match up before a member heard it was matched: the
// member still queues again at once when its MatchFound comes, not after
// ReadyTimeout.
func TestActor_HostAbandonsBeforeTheMemberHearsMatched(t *testing.T) {
	f := newQueueFixture(t, wide)
	bob := f.connect("bob", nil)
	bobPID := <-bob.pid
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	ticket := decodeFrame[events.QueueAck](t, bob.conn.next(t), events.TypeAck).TicketID
	session := uuid.NewString()
	f.system.Root.Send(bobPID, &protos.MatchReady{SessionId: session, Abandoned: true})
	f.system.Root.Send(bobPID, &protos.MatchFound{TicketId: ticket, SessionId: session, HostPlayerId: "ann",
		Mode: "classic", MaxPlayers: 2, Matched: []byte(`{}`)})
	require.Equal(t, events.TypeMatchmakingMatched, bob.conn.next(t).Type)
	requeued := decodeFrame[events.QueueStatus](t, bob.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonRequeued, requeued.Reason, "at once: the readiness timeout is 10 s here")
	require.Equal(t, ticket, requeued.TicketID)
}

// A member whose host never says the session is open queues again after
// ReadyTimeout.
func TestActor_ReadyTimeoutRequeues(t *testing.T) {
	f := newQueueFixture(t, wide)
	f.readyTimeout = 20 * time.Millisecond
	f.dropCreate.Store(true)
	ann, bob := f.connect("ann", nil), f.connect("bob", nil)
	ann.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.TypeAck, ann.conn.next(t).Type)
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	ticket := decodeFrame[events.QueueAck](t, bob.conn.next(t), events.TypeAck).TicketID
	require.Equal(t, events.TypeMatchmakingMatched, bob.conn.next(t).Type)
	requeued := decodeFrame[events.QueueStatus](t, bob.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonRequeued, requeued.Reason)
	require.Equal(t, ticket, requeued.TicketID)
}

// A formed match whose lobby never counts down (a member never came) is
// left, and its ticket queued again, after twice the ready timeout.
func TestActor_MatchThatNeverStartsRequeues(t *testing.T) {
	f := newQueueFixture(t, wide)
	// Long enough for the host to open the lobby and the other to join it
	// under -race; the lobby then never counts down.
	f.readyTimeout = 250 * time.Millisecond
	f.neverStart.Store(true)
	ann, bob := f.connect("ann", nil), f.connect("bob", nil)
	ann.command(1, JoinQueue{Mode: "classic", Players: 2})
	annTicket := decodeFrame[events.QueueAck](t, ann.conn.next(t), events.TypeAck).TicketID
	bob.command(1, JoinQueue{Mode: "classic", Players: 2})
	require.Equal(t, events.TypeAck, bob.conn.next(t).Type)
	require.Equal(t, events.TypeMatchmakingMatched, ann.conn.next(t).Type)
	session := decodeFrame[events.Matched](t, bob.conn.next(t), events.TypeMatchmakingMatched).SessionID
	require.IsType(t, &protos.CreateSession{}, f.sessionGot())
	require.IsType(t, &protos.JoinSession{}, f.sessionGot())
	for {
		if _, left := f.sessionGot().(*protos.LeaveSession); left {
			break // one of them left the lobby
		}
	}
	requeued := decodeFrame[events.QueueStatus](t, ann.conn.next(t), events.TypeMatchmakingStatus)
	require.Equal(t, events.ReasonRequeued, requeued.Reason)
	require.Equal(t, annTicket, requeued.TicketID, "the same ticket")
	ann.command(9, Whack{SessionID: session, Hole: 1, MoleID: 1})
	for {
		fr := ann.conn.next(t)
		if fr.ID == 9 {
			require.Equal(t, events.CodeNotInSession, errorCode(t, fr), "the lobby was left")
			break
		}
	}
}
