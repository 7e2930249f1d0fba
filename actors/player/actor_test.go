package player

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/persistence"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"),
		// protoactor's dead-letter log throttle: a timer goroutine that ends
		// a second after a message reached a stopped activation.
		goleak.IgnoreTopFunction("github.com/asynkron/protoactor-go/actor.NewDeadLetter.NewThrottle.func4.1"))
}

// conn records the frames the actor writes.
type conn struct{ frames chan Frame }

func (c *conn) Send(f Frame) bool  { c.frames <- f; return true }
func (c *conn) Close(int, string)  {}
func (c *conn) RTT() time.Duration { return 42 * time.Millisecond }

// Deliver records a broadcast as the frame the gateway would write.
func (c *conn) Deliver(b *fanout.Broadcast) bool {
	c.frames <- Frame{Type: b.Event.Type, ID: b.Event.RequestId, Data: b.Event.Data}
	return true
}
func (c *conn) next(t *testing.T) Frame {
	t.Helper()
	select {
	case f := <-c.frames:
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no frame")
		return Frame{}
	}
}

// codes maps join codes to sessions.
type codes map[string]string

func (c codes) SessionIDByCode(_ context.Context, code string) (string, error) {
	if id, ok := c[code]; ok {
		return id, nil
	}
	return "", persistence.ErrNotFound
}

// hub records subscriptions.
type hub struct {
	mu     sync.Mutex
	topics map[string]int
}

func (h *hub) Subscribe(topic string, _ *actor.PID, _ fanout.Socket) { h.change(topic, 1) }
func (h *hub) Unsubscribe(topic string, _ *actor.PID)                { h.change(topic, -1) }
func (h *hub) UnsubscribeAll(*actor.PID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.topics = map[string]int{}
}
func (h *hub) change(topic string, d int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.topics[topic] += d
}

// fixture runs a player actor against session grains that record what
// they receive and acknowledge every command.
type fixture struct {
	t        *testing.T
	system   *actor.ActorSystem
	conn     *conn
	received chan any
	// served records which activation of the session grain took each
	// message (activations count from 1).
	served  chan served
	dir     *gateDirectory
	deliver func(Command)
	detach  func()
	nextID  string
	player  *actor.PID // the player actor, as sessions address it
	// behave, when set, picks how an activation treats a command (see
	// fakeSession); nil: acknowledge everything.
	behave func(activation int) behaviour
}

// behaviour is how a fake session activation treats a command.
type behaviour int

const (
	acknowledge    behaviour = iota
	drop                     // a frozen (handed-off) activation: no answer
	rejectThenStop           // error session_not_found, then stop
	stopThenReject           // stop, and the error arrives after the death notice
	stopThenAck              // stop, and the ack arrives after the death notice
)

// served is one message taken by one activation of the fake session grain.
type served struct {
	activation int
	msg        any
}

func newFixture(t *testing.T, options ...func(*Deps)) *fixture {
	t.Helper()
	f := &fixture{t: t, conn: &conn{frames: make(chan Frame, 64)}, received: make(chan any, 64),
		served: make(chan served, 64)}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.system = actor.NewActorSystem(actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return quiet }))
	t.Cleanup(f.system.Shutdown)
	var activations atomic.Int32
	session := actor.PropsFromProducer(func() actor.Actor {
		return &fakeSession{f: f, activation: int(activations.Add(1))}
	})
	f.dir = &gateDirectory{LocalDirectory: grains.NewLocalDirectory(f.system.Root, map[string]*actor.Props{grains.KindSession: session})}
	f.nextID = uuid.NewString()
	deps := Deps{
		Grains: f.dir, Codes: codes{"ABC234": "match-1"}, Hub: &hub{topics: map[string]int{}},
		NewSessionID: func() string { return f.nextID }, Base: context.Background(),
		LookupTimeout: time.Second, MaxPending: 4, Logger: quiet,
	}
	for _, option := range options {
		option(&deps)
	}
	spawner := &Spawner{Root: f.system.Root, MailboxSize: 64, Deps: deps}
	f.deliver, f.detach = spawner.Attach(Identity{PlayerID: "p1", Username: "mole_p1"}, f.conn)
	return f
}

// fakeSession records what it receives and acknowledges every command; it
// answers an internal re-attach (JoinSession with request id 0) as a resumed
// session does: ack 0, then the running state.
type fakeSession struct {
	f          *fixture
	activation int
	id         string
}

func (s *fakeSession) Receive(ctx actor.Context) {
	if init, ok := ctx.Message().(*cluster.ClusterInit); ok {
		s.id = init.Identity.Identity
		return
	}
	cmd, ok := ctx.Message().(interface{ GetFrom() *protos.PlayerRef })
	if !ok {
		return
	}
	from := cmd.GetFrom()
	player := actor.NewPID(from.Address, from.Id)
	s.f.player = player
	s.f.received <- ctx.Message()
	s.f.served <- served{activation: s.activation, msg: ctx.Message()}
	r, ok := ctx.Message().(interface{ GetRequestId() int64 })
	if s.f.behave != nil && s.misbehave(ctx, player, r.GetRequestId(), s.f.behave(s.activation)) {
		return
	}
	switch {
	case ok && r.GetRequestId() != 0:
		ctx.Send(player, &protos.ClientEvent{Type: events.TypeAck, RequestId: r.GetRequestId(), Data: []byte(`{}`), SessionId: s.id})
	case isJoin(ctx.Message()):
		ctx.Send(player, &protos.ClientEvent{Type: events.TypeAck, Data: []byte(`{}`), SessionId: s.id})
		ctx.Send(player, &protos.ClientEvent{Type: events.TypeStateChange, SessionId: s.id,
			Data: events.Encode(events.StateChange{GameID: s.id, State: events.StateStarted})})
	}
}

// misbehave treats a command as b says; it reports whether it did.
func (s *fakeSession) misbehave(ctx actor.Context, player *actor.PID, requestID int64, b behaviour) bool {
	notFound := &protos.ClientEvent{Type: events.TypeError, RequestId: requestID, SessionId: s.id, Detach: true,
		Data: events.Encode(events.Error{Code: events.CodeSessionNotFound, Message: "no such game"})}
	switch b {
	case drop:
	case rejectThenStop:
		ctx.Send(player, notFound)
		ctx.Stop(ctx.Self())
	case stopThenReject, stopThenAck:
		reply := notFound
		if b == stopThenAck {
			reply = &protos.ClientEvent{Type: events.TypeAck, RequestId: requestID, Data: []byte(`{}`), SessionId: s.id}
		}
		self, root := ctx.Self(), ctx.ActorSystem().Root
		ctx.Stop(self)
		go func() {
			_ = root.StopFuture(self).Wait() // the player is told of the death first
			root.Send(player, reply)
		}()
	default:
		return false
	}
	return true
}

func isJoin(msg any) bool {
	_, ok := msg.(*protos.JoinSession)
	return ok
}

// gateDirectory is a LocalDirectory whose resolutions can be made to fail
// (failing > 0) or to wait until released (a non-nil hold).
type gateDirectory struct {
	*grains.LocalDirectory
	failing atomic.Int32
	mu      sync.Mutex
	hold    chan struct{}
}

func (d *gateDirectory) PID(ctx context.Context, kind, identity string) (*actor.PID, error) {
	d.mu.Lock()
	hold := d.hold
	d.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if d.failing.Load() > 0 {
		d.failing.Add(-1)
		return nil, grains.ErrUnavailable
	}
	return d.LocalDirectory.PID(ctx, kind, identity)
}

// holdResolutions makes resolutions wait until the returned release is
// called.
func (d *gateDirectory) holdResolutions() (release func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hold = make(chan struct{})
	hold := d.hold
	return func() {
		d.mu.Lock()
		d.hold = nil
		d.mu.Unlock()
		close(hold)
	}
}

func (f *fixture) command(id int64, body any) {
	f.deliver(Command{ID: id, ReceivedAt: time.Unix(1000, 0), Body: body})
}

func (f *fixture) grainGot() any {
	f.t.Helper()
	select {
	case m := <-f.received:
		return m
	case <-time.After(5 * time.Second):
		f.t.Fatal("grain received nothing")
		return nil
	}
}

func errorCode(t *testing.T, fr Frame) string {
	t.Helper()
	require.Equal(t, events.TypeError, fr.Type)
	var e events.Error
	require.NoError(t, json.Unmarshal(fr.Data, &e))
	return e.Code
}

func TestActor_StartGameRoutesToTheSessionGrain(t *testing.T) {
	f := newFixture(t)
	f.command(1, StartGame{Mode: "classic"})
	create, ok := f.grainGot().(*protos.CreateSession)
	require.True(t, ok)
	require.Equal(t, "classic", create.Mode)
	require.EqualValues(t, 1, create.MaxPlayers)
	require.Equal(t, "p1", create.From.PlayerId)
	require.EqualValues(t, 42_000, create.From.RttMicros)
	require.Equal(t, Frame{Type: events.TypeAck, ID: 1, Data: []byte(`{}`)}, f.conn.next(t))

	f.command(2, Whack{SessionID: f.nextID, Hole: 4, MoleID: 7})
	whack, ok := f.grainGot().(*protos.WhackMole)
	require.True(t, ok)
	require.EqualValues(t, 4, whack.Hole)
	require.EqualValues(t, 7, whack.MoleId)
	require.Equal(t, time.Unix(1000, 0).UnixMicro(), whack.ReceivedAtUnixMicro, "judged at the gateway's receive time")
	f.conn.next(t)

	f.command(3, StartGame{Mode: "classic"})
	require.Equal(t, events.CodeAlreadyInGame, errorCode(t, f.conn.next(t)))
	f.command(4, Whack{SessionID: uuid.NewString(), Hole: 1, MoleID: 1})
	require.Equal(t, events.CodeNotInSession, errorCode(t, f.conn.next(t)))
}

func TestActor_GameOverReleasesTheConnection(t *testing.T) {
	f := newFixture(t)
	f.command(1, StartGame{Mode: "classic"})
	f.grainGot()
	f.conn.next(t)
	// The session announces the end and detaches the player.
	f.system.Root.Send(f.player, &protos.ClientEvent{Type: events.TypeOver, SessionId: f.nextID, Data: []byte(`{}`), Detach: true})
	require.Equal(t, events.TypeOver, f.conn.next(t).Type)

	f.command(2, Whack{SessionID: f.nextID, Hole: 0, MoleID: 1})
	require.Equal(t, events.CodeGameOver, errorCode(t, f.conn.next(t)))
	f.nextID = uuid.NewString()
	f.command(3, StartGame{Mode: "classic"})
	_, ok := f.grainGot().(*protos.CreateSession)
	require.True(t, ok, "a new game may start once the last one is over")
}

func TestActor_JoinByCode(t *testing.T) {
	f := newFixture(t)
	f.command(1, JoinMatch{Code: "NOPE22"})
	require.Equal(t, events.CodeSessionNotFound, errorCode(t, f.conn.next(t)))
	f.command(2, JoinMatch{Code: "ABC234"})
	join, ok := f.grainGot().(*protos.JoinSession)
	require.True(t, ok)
	require.EqualValues(t, 2, join.RequestId)
}

func TestActor_DisconnectLeavesTheSession(t *testing.T) {
	f := newFixture(t)
	f.command(1, StartGame{Mode: "classic"})
	f.grainGot()
	f.conn.next(t)
	f.detach()
	f.detach() // idempotent
	_, ok := f.grainGot().(*protos.LeaveSession)
	require.True(t, ok)
}

// blockingConn never returns from Send until released: the actor is busy.
type blockingConn struct {
	conn
	release chan struct{}
}

func (c *blockingConn) Send(f Frame) bool {
	<-c.release
	return c.conn.Send(f)
}

func TestSpawner_BoundsWaitingCommands(t *testing.T) {
	system := actor.NewActorSystem()
	t.Cleanup(system.Shutdown)
	c := &blockingConn{conn: conn{frames: make(chan Frame, 16)}, release: make(chan struct{})}
	s := &Spawner{Root: system.Root, MailboxSize: 1, Deps: Deps{Hub: &hub{topics: map[string]int{}},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	deliver, detach := s.Attach(Identity{PlayerID: "p1"}, c)
	before := testutil.ToFloat64(commandsDropped)
	for i := int64(1); i <= 3; i++ {
		deliver(Command{ID: i, Body: Whack{SessionID: "none", Hole: 1, MoleID: 1}})
	}
	// The actor is stuck on its first reply, so at most one more command may
	// wait: the third is dropped at once, whatever the scheduling.
	require.GreaterOrEqual(t, testutil.ToFloat64(commandsDropped)-before, 1.0)
	close(c.release)
	require.Equal(t, int64(1), c.next(t).ID)
	detach()
}

// pidOf is the current activation of session id.
func (d *gateDirectory) pidOf(t *testing.T, id string) *actor.PID {
	t.Helper()
	pid, err := d.LocalDirectory.PID(context.Background(), grains.KindSession, id)
	require.NoError(t, err)
	return pid
}

// TestActor_SmallForIdleSockets holds the per-socket budget of issue #12:
// an actor lives as long as its socket, so it shares the node's Deps by
// pointer and keeps two strings of the identity instead of copies (288
// bytes before).
func TestActor_SmallForIdleSockets(t *testing.T) {
	t.Parallel()
	require.LessOrEqual(t, reflect.TypeFor[Actor]().Size(), uintptr(96))
}
