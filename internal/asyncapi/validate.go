package asyncapi

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// ServerFrame validates one native server frame {"t","id","d"}: its type
// must be a server message of the native channel and the frame must match
// one message of that name. It does not know the requests, so a reply is
// checked against every message of its type (see Conversation).
func (d *Document) ServerFrame(raw []byte) error {
	return d.serverFrame(raw, nil)
}

func (d *Document) serverFrame(raw []byte, requests map[string]bool) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("server frame is not json: %w", err)
	}
	t, ok := obj(v)["t"].(string)
	if !ok {
		return fmt.Errorf("server frame %.200s: no string \"t\"", raw)
	}
	ch := d.channel(NativeChannel)
	candidates := ch.server[t]
	if len(candidates) == 0 {
		return fmt.Errorf("server frame %.200s: type %q is not in the document", raw, t)
	}
	if len(requests) > 0 {
		candidates = repliesNamed(ch, requests, t)
		if len(candidates) == 0 {
			return fmt.Errorf("server frame %.200s: %q is not a reply the document lists for %v", raw, t, sortedKeys(requests))
		}
	}
	return matchAny(candidates, v, raw)
}

// repliesNamed lists the replies named t of any of the requests.
func repliesNamed(ch *channel, requests map[string]bool, t string) []*message {
	var out []*message
	for req := range requests {
		for _, m := range ch.repliesTo(req) {
			if m.name == t {
				out = appendNew(out, m)
			}
		}
	}
	return out
}

// repliesTo lists the replies to a request; a request type the document
// does not list can only be refused, so its replies are those every client
// message shares (the error).
func (ch *channel) repliesTo(request string) []*message {
	if replies, ok := ch.replies[request]; ok {
		return replies
	}
	var common []*message
	first := true
	for _, req := range sortedKeys(ch.requests) {
		switch {
		case req == connectPacket:
		case first:
			common, first = slices.Clone(ch.replies[req]), false
		default:
			common = slices.DeleteFunc(common, func(m *message) bool { return !slices.Contains(ch.replies[req], m) })
		}
	}
	return common
}

// matchAny passes when v matches one of the messages; otherwise the error
// names each message's complaint.
func matchAny(candidates []*message, v any, raw []byte) error {
	errs := make([]error, 0, len(candidates))
	for _, m := range candidates {
		err := m.schema.Validate(v)
		if err == nil {
			return nil
		}
		errs = append(errs, fmt.Errorf("as %s: %w", m.key, err))
	}
	return fmt.Errorf("frame %.300s does not match the document: %w", raw, errors.Join(errs...))
}

// connectPacket is the wire name of the Socket.IO CONNECT message, which is
// not an emit.
const connectPacket = "CONNECT"

// SocketIOEvent validates the arguments of a Socket.IO EVENT packet the
// server sent, ["type", payload], against the socketio channel's events.
func (d *Document) SocketIOEvent(raw []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("socket.io event is not json: %w", err)
	}
	a := arr(v)
	if len(a) == 0 {
		return fmt.Errorf("socket.io event %.200s: not an array with an event name", raw)
	}
	name, _ := a[0].(string)
	candidates := d.channel(SocketIOChannel).events[name]
	if len(candidates) == 0 {
		return fmt.Errorf("socket.io event %.200s: event %q is not in the document", raw, name)
	}
	return matchAny(candidates, v, raw)
}

// SocketIOAck validates the arguments of a Socket.IO ACK packet, [payload],
// answering an emit of type request (an emit of a type the document does not
// list may only be refused).
func (d *Document) SocketIOAck(request string, raw []byte) error {
	candidates := d.channel(SocketIOChannel).repliesTo(request)
	if len(candidates) == 0 {
		return fmt.Errorf("socket.io ack to %q: the document lists no reply for it", request)
	}
	return d.validateAgainst(candidates, raw)
}

// SocketIOConnectError validates the data of a CONNECT_ERROR packet.
func (d *Document) SocketIOConnectError(raw []byte) error {
	var candidates []*message
	for _, m := range d.channel(SocketIOChannel).replies[connectPacket] {
		if m.name == "CONNECT_ERROR" {
			candidates = append(candidates, m)
		}
	}
	if len(candidates) == 0 {
		return errors.New("the document has no CONNECT_ERROR reply to CONNECT")
	}
	return d.validateAgainst(candidates, raw)
}

func (d *Document) validateAgainst(candidates []*message, raw []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%.200s is not json: %w", raw, err)
	}
	return matchAny(candidates, v, raw)
}

// Conversation follows one native connection: it remembers the type of each
// client request by id, so a frame answering that id is checked against the
// replies of the request's operation. It is safe for concurrent use (one
// goroutine writes while another reads).
type Conversation struct {
	doc      *Document
	mu       sync.Mutex
	requests map[int64]map[string]bool
}

// NewConversation starts following a connection.
func (d *Document) NewConversation() *Conversation {
	return &Conversation{doc: d, requests: map[int64]map[string]bool{}}
}

// Sent notes a client frame. It does not validate it: tests send refused
// frames on purpose, and the answer to a type the document does not list
// must then be an error. A frame whose id cannot be read is ignored (its
// answer, if any, is checked by its type alone).
func (c *Conversation) Sent(raw []byte) {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return
	}
	t, _ := obj(v)["t"].(string)
	id, ok := requestID(obj(v)["id"])
	if !ok || id == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.requests[id] == nil {
		c.requests[id] = map[string]bool{}
	}
	c.requests[id][t] = true // ids may be reused: any of their requests may be answered
}

// Received validates a server frame; a frame carrying the id of a request
// sent on this conversation must be one of that request's replies.
func (c *Conversation) Received(raw []byte) error {
	var requests map[string]bool
	if v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw)); err == nil {
		if id, ok := requestID(obj(v)["id"]); ok {
			c.mu.Lock()
			requests = copySet(c.requests[id])
			c.mu.Unlock()
		}
	}
	return c.doc.serverFrame(raw, requests)
}

func requestID(v any) (int64, bool) {
	n, ok := v.(interface{ Int64() (int64, error) }) // json.Number
	if !ok {
		return 0, false
	}
	id, err := n.Int64()
	return id, err == nil
}

func copySet(s map[string]bool) map[string]bool {
	out := make(map[string]bool, len(s))
	for k := range s {
		out[k] = true
	}
	return out
}
