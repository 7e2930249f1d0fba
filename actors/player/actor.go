package player

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/matchmaker"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/actors/runtime/grains"
	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/internal/settings"
)

var (
	activeConnections = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_player_actors_active",
		Help: "Player actors alive on this node.",
	})
	commandsRejected = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_player_commands_rejected_total",
		Help: "Client commands answered with an error by the player actor.",
	}, []string{"code"})
)

// CodeFinder finds an open match by its join code.
type CodeFinder interface {
	SessionIDByCode(ctx context.Context, code string) (string, error)
}

// Subscriptions is the node's event fan-out (actors/runtime/fanout.Hub).
// The actor decides its subscriptions; the events go to the socket it
// names, never through its mailbox.
type Subscriptions interface {
	Subscribe(topic string, pid *actor.PID, sock fanout.Socket)
	Unsubscribe(topic string, pid *actor.PID)
	UnsubscribeAll(pid *actor.PID)
}

// Alerts hands a connecting player what they missed while offline
// (actors/notifications.Pending).
type Alerts interface {
	// Take returns, as notification:alert events, the player's unread
	// notifications no socket was sent, oldest first, and records them as
	// sent so no other connection, on any node, is sent them again.
	Take(ctx context.Context, playerID string) ([]*protos.ClientEvent, error)
}

// Deps are what a player actor needs from the node.
type Deps struct {
	Grains grains.Directory
	Codes  CodeFinder
	Hub    Subscriptions
	// NewSessionID returns a fresh session id (UUID).
	NewSessionID func() string
	// Base is the node's context for I/O goroutines; LookupTimeout bounds each.
	Base          context.Context
	LookupTimeout time.Duration
	// MaxPending bounds commands queued while a session grain resolves.
	MaxPending int
	Logger     *slog.Logger
	// RetryBackoff is the wait before re-resolution attempt n (from 0) when
	// the session's activation died; nil means 50 ms doubling up to 1 s.
	// Injected so tests need not wait.
	RetryBackoff func(attempt int) time.Duration
	// ReattachBudget bounds the sum of those waits before the connection
	// gives up on the session (error unavailable); 0 means 10 s.
	ReattachBudget time.Duration
	// Admission admits or sheds new games (busy); nil admits every game.
	Admission *admission.Controller
	// Modes checks a queued mode exists and takes the match size; nil
	// takes every mode (the session refuses an unknown one when the match
	// is created).
	Modes ModeFinder
	// Ratings gives the skill a ticket is matched by (the node wires the
	// ratings store); nil is matchmaker.ZeroRatings (everyone 0).
	Ratings matchmaker.RatingSource
	// ReadyTimeout bounds how long a matched player waits for the host to
	// open the session before it queues again; 0 means 10 s.
	ReadyTimeout time.Duration
	// Alerts, when set, is asked on start for the notifications the player
	// missed while offline, which the connection is sent.
	Alerts Alerts
	// Settings gives the node's runtime settings (internal/settings.Holder
	// Current): maintenance mode refuses new games and queues, and the
	// default mode fills a game:start that names none. nil: the static
	// defaults, never in maintenance.
	Settings func() settings.Settings
}

// binding is the connection's current session.
type binding struct {
	sessionID string
	pid       *actor.PID // nil while resolving; watched once known
	pending   []any      // messages for the grain, sent once pid is known
	// moving is set from the death of the session's activation until the new
	// activation acknowledges the internal re-attach.
	moving bool
	// attempt and waited count the re-resolution retries and their waits.
	attempt int
	waited  time.Duration
	// stale is a dead activation the next re-resolution must forget.
	stale *actor.PID
	// dropAck marks the ack with request id 0 that answers the internal
	// re-attach: the client did not ask for it.
	dropAck bool
	// open is the client's request that opened the binding (game:start,
	// game:create, game:join, game:resume) and openID its request id;
	// answered is set once the session replied to it. An activation that
	// dies (or, handing off, drops it) before replying gets it again from
	// the next activation, so every such request is answered; resent marks
	// that a second reply may follow the first.
	open     any
	openID   int64
	answered bool
	resent   bool
	// ticket is the admitted new game's hold on the node's admission
	// counts (nil for a resume): answered ends its opening, unbind closes it.
	ticket *admission.Ticket
	// match is set while a formed match's internal create (host) or join
	// waits for the session's answer (matched.go).
	match *protos.MatchFound
	// requeue is the ticket of a formed match until its session counts
	// down: if it has not within the start deadline (a member never came),
	// the connection leaves the lobby and queues the ticket again.
	requeue *queued
}

// Actor is one player's connection. It lives as long as the socket, idle
// or not, so it keeps only what it uses: the node's Deps are shared by
// pointer and of the identity only the player's id and name are kept.
type Actor struct {
	deps     *Deps
	playerID string
	username string
	conn     Conn
	current  *binding
	waiting  *atomic.Int64
	// ended is the last session that ended on this connection, so late
	// commands for it get game_over rather than not_in_session.
	ended string
	// mm is the connection's matchmaking state, allocated on first use
	// (most sockets never queue).
	mm *matchmaking
}

// sessionResolved carries a grain resolution for binding back into the
// mailbox.
type sessionResolved struct {
	binding *binding
	pid     *actor.PID
	err     error
}

// codeResolved carries a join-code look-up back into the mailbox.
type codeResolved struct {
	requestID int64
	sessionID string
	err       error
	ticket    *admission.Ticket // the admitted join's hold
}

// Props builds a player actor for one connection. deps is shared by every
// connection of the node and must not change once actors use it. waiting
// counts the client commands delivered but not yet handled (see
// Spawner.Attach).
func Props(deps *Deps, id Identity, conn Conn, waiting *atomic.Int64) *actor.Props {
	playerID, username := id.PlayerID, id.Username
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{deps: deps, playerID: playerID, username: username, conn: conn, waiting: waiting}
	}, actor.WithMailbox(mailbox))
}

// mailbox is every player actor's mailbox: unbounded (Spawner.Attach bounds
// the client commands) and linked rather than ring-buffered, so an idle
// socket's actor holds no ring (protoactor's default preallocates ten slots,
// about 270 bytes) at the price of one small node per message.
var mailbox = actor.UnboundedLockfree()

// Receive dispatches one message.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		activeConnections.Inc()
		a.deps.Hub.Subscribe(Topic(a.playerID), ctx.Self(), a.conn)
		a.announceMaintenance()
		a.takeMissedAlerts(ctx)
	case *Command:
		a.waiting.Add(-1)
		a.onCommand(ctx, m)
	case *protos.ClientEvent:
		a.onClientEvent(ctx, m)
	case *sessionResolved:
		a.onSessionResolved(ctx, m)
	case *actor.Terminated:
		a.onTerminated(ctx, m)
	case *retryResolve:
		a.onRetryResolve(ctx, m)
	case *codeResolved:
		a.onCodeResolved(ctx, m)
	case *partyResolved:
		a.onPartyResolved(ctx, m)
	case *matchmakerResolved:
		a.onMatchmakerResolved(ctx, m)
	case *retryQueue:
		a.onRetryQueue(ctx, m)
	case *missedAlerts:
		a.onMissedAlerts(m)
	case *protos.MatchFound:
		a.onMatchFound(ctx, m)
	case *protos.MatchReady:
		a.onMatchReady(ctx, m)
	case *readyExpired:
		a.onReadyExpired(ctx, m)
	case *startExpired:
		a.onStartExpired(ctx, m)
	case *Disconnected:
		a.onDisconnected(ctx)
	case *actor.Stopping:
		a.deps.Hub.Unsubscribe(Topic(a.playerID), ctx.Self())
	case *actor.Stopped:
		if a.current != nil {
			a.current.ticket.Close() // whatever stopped the actor, an admitted game gives its place back
		}
		if a.myMatch() != nil {
			a.myMatch().admitted.Close()
		}
		activeConnections.Dec()
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.deps.Logger.Warn("player actor: unknown message", slog.Any("type", m))
	}
}

// onCommand hands a client command to its handler in the protocol table.
func (a *Actor) onCommand(ctx actor.Context, c *Command) {
	handle, ok := handlerOf(c.Body)
	if !ok {
		a.fail(c.ID, events.CodeUnknownType, "unknown command")
		return
	}
	handle(a, ctx, c)
}

// leaderboardTopic is the fan-out topic of a mode's board's live updates
// (leaderboard.Topic); no mode is classic.
func leaderboardTopic(mode, board string) string {
	if mode == "" {
		mode = standings.DefaultMode
	}
	return leaderboard.Topic(standings.Key{Mode: mode, Board: standings.Board(board)})
}

// GameTopic is the fan-out topic of a session's state changes.
func GameTopic(sessionID string) string { return "game:" + sessionID }

// Topic is the fan-out topic of events for one player (badge:awarded,
// later mint:status): every connection of the player, on any node, is
// subscribed to it from start to stop.
func Topic(playerID string) string { return "player:" + playerID }

// EveryoneTopic is the fan-out topic of events for every online player
// (challenge:started, challenge:ended from the scheduler): a wildcard
// (fanout.Wildcard) over every connection's own Topic, so it reaches every
// connection on any node without a subscription of its own.
const EveryoneTopic = "player:" + fanout.Wildcard

// ref is this connection's address for grains, with the current RTT.
func (a *Actor) ref(ctx actor.Context) *protos.PlayerRef {
	self := ctx.Self()
	return &protos.PlayerRef{
		PlayerId:  a.playerID,
		Username:  a.username,
		Address:   self.Address,
		Id:        self.Id,
		RttMicros: a.conn.RTT().Microseconds(),
	}
}

func (a *Actor) onClientEvent(ctx actor.Context, ev *protos.ClientEvent) {
	a.noteMatchStart(ev)
	if a.partyEvent(ctx, ev) || a.queueEvent(ctx, ev) || a.matchReply(ctx, ev) || a.repliedAgain(ev) || a.reattached(ev) {
		return
	}
	if ev.Detach && a.current != nil && a.current.sessionID == ev.SessionId {
		if a.current.moving {
			reattachTotal.WithLabelValues("ended").Inc()
		}
		a.unbind(ctx)
		if ev.Type == events.TypeOver || ev.Type == events.TypeStateChange {
			a.ended = ev.SessionId
		}
	}
	a.conn.Send(Frame{Type: ev.Type, ID: ev.RequestId, Data: ev.Data})
}

func (a *Actor) onDisconnected(ctx actor.Context) {
	if a.current != nil && a.current.pid != nil {
		ctx.Send(a.current.pid, &protos.LeaveSession{From: a.ref(ctx)})
	}
	a.unbind(ctx)
	a.cancelQueue(ctx)
	a.leaveParty(ctx)
	a.deps.Hub.UnsubscribeAll(ctx.Self())
	ctx.Stop(ctx.Self())
}

func (a *Actor) ack(id int64, payload any) {
	if payload == nil {
		payload = struct{}{}
	}
	a.conn.Send(Frame{Type: events.TypeAck, ID: id, Data: events.Encode(payload)})
}

func (a *Actor) fail(id int64, code, message string) {
	commandsRejected.WithLabelValues(code).Inc()
	a.conn.Send(Frame{Type: events.TypeError, ID: id, Data: events.Encode(events.Error{Code: code, Message: message})})
}
