package player

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/internal/strictjson"
)

// Client message types: the wire names of what a client may send
// (docs/PROTOCOL.md §3).
const (
	TypeStartGame              = "game:start"
	TypeCreateMatch            = "game:create"
	TypeJoinMatch              = "game:join"
	TypeBeginMatch             = "game:begin"
	TypeWhack                  = "game:whack"
	TypeResumeGame             = "game:resume"
	TypeSubscribeGame          = "game:subscribe"
	TypeSubscribeLeaderboard   = "leaderboard:subscribe"
	TypeUnsubscribeLeaderboard = "leaderboard:unsubscribe"
	TypePing                   = "ping"
	TypeJoinQueue              = "matchmaking:join"
	TypeLeaveQueue             = "matchmaking:leave"
	TypeCreateParty            = "party:create"
	TypeJoinParty              = "party:join"
	TypeLeaveParty             = "party:leave"
)

// protocol is the client protocol, one row per message a client may send:
// its wire type, its payload type with the check that validates it
// (payloads.go), the actor's handler, and (in the comment) what the handler
// makes of it. Gateways decode payloads through it (ClientMessageOf) and the
// actor dispatches commands through it (onCommand), so a new message touches
// this table, its payload type and its handler, and nothing else.
var protocol = newProtocol(
	// type, payload type and its check, the actor's handler; above each row,
	// what the handler makes of it.

	// protos.CreateSession (one player) to a new session grain.
	toActor(TypeStartGame, StartGame.check, (*Actor).onStartGame),
	// protos.CreateSession (2..8 players) to a new session grain.
	toActor(TypeCreateMatch, CreateMatch.check, (*Actor).onCreateMatch),
	// A join-code look-up off the mailbox, then protos.JoinSession.
	toActor(TypeJoinMatch, JoinMatch.check, (*Actor).onJoinMatch),
	// protos.BeginSession to the current session.
	toActor(TypeBeginMatch, BeginMatch.check, (*Actor).onBeginMatch),
	// protos.WhackMole, stamped with the gateway's receive time, to the
	// current session.
	toActor(TypeWhack, Whack.check, (*Actor).onWhack),
	// protos.JoinSession{Resume} to that session.
	toActor(TypeResumeGame, ResumeGame.check, (*Actor).onResumeGame),
	// A hub subscription to GameTopic, then an ack.
	toActor(TypeSubscribeGame, SubscribeGame.check, (*Actor).onSubscribeGame),
	// A hub subscription to the board's topic, then an ack.
	toActor(TypeSubscribeLeaderboard, SubscribeLeaderboard.check, (*Actor).onSubscribeLeaderboard),
	// A hub unsubscription, then an ack.
	toActor(TypeUnsubscribeLeaderboard, UnsubscribeLeaderboard.check, (*Actor).onUnsubscribeLeaderboard),
	// A rating look-up and a matchmaker resolution off the mailbox, then
	// protos.EnqueueTicket to the mode's matchmaker grain.
	toActor(TypeJoinQueue, JoinQueue.check, (*Actor).onJoinQueue),
	// protos.DequeueTicket to the matchmaker, then an ack.
	optional(toActor(TypeLeaveQueue, LeaveQueue.check, (*Actor).onLeaveQueue)),
	// A party grain resolution off the mailbox, then protos.PartyJoin
	// (create) to the new party's grain.
	optional(toActor(TypeCreateParty, CreateParty.check, (*Actor).onCreateParty)),
	// The same for an existing party, by its code.
	toActor(TypeJoinParty, JoinParty.check, (*Actor).onJoinParty),
	// protos.PartyLeave to the party's grain, then an ack.
	optional(toActor(TypeLeaveParty, LeaveParty.check, (*Actor).onLeaveParty)),
	// A pong, written by the gateway itself: never reaches the actor.
	toGateway(TypePing, Ping.check),
)

// Payload errors a gateway maps to its own words (the native protocol names
// the payload "d").
var (
	// ErrNoPayload: the message takes a payload and has none (absent or null).
	ErrNoPayload = errors.New("missing payload")
	// ErrPayloadNotObject: the payload is not a JSON object.
	ErrPayloadNotObject = errors.New("payload must be an object")
)

// ClientMessage is one row of the client protocol. The zero value is no
// message.
type ClientMessage struct {
	typ string
	// body is the payload type, which is also the type of Command.Body.
	body reflect.Type
	// decode reads a present payload object and validates it.
	decode func(d json.RawMessage) (any, error)
	// handle is the actor's handler; nil when the gateway answers the
	// message itself.
	handle func(a *Actor, ctx actor.Context, c *Command)
	// optional lets the payload be left out (read as {}).
	optional bool
}

// Type is the message's wire name.
func (m ClientMessage) Type() string { return m.typ }

// ToActor reports whether the message is delivered to the player actor;
// false means the gateway answers it itself (ping).
func (m ClientMessage) ToActor() bool { return m.handle != nil }

// Decode reads the message's payload strictly (exact, unique keys of the
// payload type; no trailing data) and validates it. The result is the
// Command.Body the actor expects. Errors are ErrNoPayload,
// ErrPayloadNotObject, encoding/json's, *strictjson.KeyError, or the check's
// message, which is safe to show to the client.
func (m ClientMessage) Decode(d json.RawMessage) (any, error) {
	switch {
	case len(d) == 0 || string(d) == "null":
		if !m.optional {
			return nil, ErrNoPayload
		}
		d = json.RawMessage("{}")
	case d[0] != '{':
		return nil, ErrPayloadNotObject
	}
	return m.decode(d)
}

// ClientMessageOf returns the protocol's row for a wire type; false for a
// type the protocol does not have.
func ClientMessageOf(typ string) (ClientMessage, bool) {
	i, ok := protocol.byType[typ]
	if !ok {
		return ClientMessage{}, false
	}
	return protocol.rows[i], true
}

// ClientMessages lists every client message, in table order (a gateway may
// register one handler per type).
func ClientMessages() []ClientMessage {
	return append([]ClientMessage(nil), protocol.rows...)
}

// messageTable indexes the rows by wire type (gateways) and by body type
// (the actor).
type messageTable struct {
	rows   []ClientMessage
	byType map[string]int
	byBody map[reflect.Type]int
}

// newProtocol indexes rows; a repeated type or payload type is a programming
// error caught by any test of the package.
func newProtocol(rows ...ClientMessage) messageTable {
	t := messageTable{rows: rows, byType: map[string]int{}, byBody: map[reflect.Type]int{}}
	for i, m := range rows {
		if _, dup := t.byType[m.typ]; dup {
			panic(fmt.Sprintf("client protocol: type %q declared twice", m.typ))
		}
		if _, dup := t.byBody[m.body]; dup {
			panic(fmt.Sprintf("client protocol: payload %v used twice", m.body))
		}
		t.byType[m.typ], t.byBody[m.body] = i, i
	}
	return t
}

// handlerOf returns the actor's handler for a command body; false for a body
// no row sends to the actor.
func handlerOf(body any) (func(*Actor, actor.Context, *Command), bool) {
	i, ok := protocol.byBody[reflect.TypeOf(body)]
	if !ok || protocol.rows[i].handle == nil {
		return nil, false
	}
	return protocol.rows[i].handle, true
}

// toActor declares a message the player actor handles. P is its payload
// type: a struct whose JSON tags are exactly its wire keys; check validates a
// decoded P and returns it in canonical form.
func toActor[P any](typ string, check func(P) (P, error), handle func(*Actor, actor.Context, *Command, P)) ClientMessage {
	m := row(typ, check)
	m.handle = func(a *Actor, ctx actor.Context, c *Command) { handle(a, ctx, c, c.Body.(P)) }
	return m
}

// toGateway declares a message the gateway answers itself; its payload may
// be left out.
func toGateway[P any](typ string, check func(P) (P, error)) ClientMessage {
	m := row(typ, check)
	m.optional = true
	return m
}

// optional lets a message's payload be left out (read as {}).
func optional(m ClientMessage) ClientMessage {
	m.optional = true
	return m
}

// unsetter is implemented by a payload type whose decoding starts from a
// non-zero value, so that an absent field is told apart from a zero one.
type unsetter[P any] interface{ unset() P }

// row builds a message's decoding: strictly into P, starting from P's unset
// value, then check. The keys are read from P's tags once, here.
func row[P any](typ string, check func(P) (P, error)) ClientMessage {
	var start P
	if u, ok := any(start).(unsetter[P]); ok {
		start = u.unset()
	}
	keys := strictjson.FieldNames(&start)
	return ClientMessage{
		typ:  typ,
		body: reflect.TypeFor[P](),
		decode: func(d json.RawMessage) (any, error) {
			p := start
			if err := strictjson.DecodeObject(d, &p, keys...); err != nil {
				return nil, err
			}
			body, err := check(p)
			if err != nil {
				return nil, err
			}
			return body, nil
		},
	}
}
