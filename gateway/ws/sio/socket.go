package sio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/proofstell/proofstell/internal/jsonstr"
)

// Kind is a Socket.IO v5 packet type, carried in an Engine.IO message.
type Kind byte

// Socket.IO packet types.
const (
	Connect      Kind = '0'
	Disconnect   Kind = '1'
	Event        Kind = '2'
	Ack          Kind = '3'
	ConnectError Kind = '4'
	BinaryEvent  Kind = '5'
	BinaryAck    Kind = '6'
)

// NoAck is SocketPacket.ID when the packet carries no ack id.
const NoAck int64 = -1

// maxAckID keeps ack ids exact in JavaScript numbers (2^53 - 1).
const maxAckID = 1<<53 - 1

// Socket.IO decoding errors.
var (
	// ErrUnknownKind: the packet type is not one of Socket.IO's.
	ErrUnknownKind = errors.New("unknown socket.io packet type")
	// ErrBadNamespace: a namespace not ended by ",".
	ErrBadNamespace = errors.New("malformed namespace")
	// ErrBadAckID: an ack id too large for a JavaScript number.
	ErrBadAckID = errors.New("ack id out of range")
	// ErrBadData: the data is not the JSON the packet type requires.
	ErrBadData = errors.New("malformed packet data")
	// ErrBadEvent: an event's data is not ["name", arg?].
	ErrBadEvent = errors.New(`event must be ["name"] or ["name", payload]`)
)

// SocketPacket is one decoded Socket.IO packet. Data aliases the input.
type SocketPacket struct {
	Kind Kind
	// Namespace is "/" when the packet names none.
	Namespace string
	// ID is the ack id, or NoAck.
	ID int64
	// Data is the packet's JSON, empty when it has none.
	Data json.RawMessage
}

// DecodeSocketPacket decodes the data of an Engine.IO message:
// <type>[<attachments>-][<namespace>,][<ack id>][<json>]. Binary packets are
// refused with ErrBinary; CONNECT data must be an object, EVENT and ACK data
// an array.
func DecodeSocketPacket(b []byte) (SocketPacket, error) {
	if len(b) == 0 {
		return SocketPacket{}, ErrEmptyPacket
	}
	p := SocketPacket{Kind: Kind(b[0]), Namespace: "/", ID: NoAck}
	switch {
	case p.Kind == BinaryEvent || p.Kind == BinaryAck:
		return SocketPacket{}, ErrBinary
	case p.Kind < Connect || p.Kind > BinaryAck:
		return SocketPacket{}, fmt.Errorf("%w %q", ErrUnknownKind, b[0])
	}
	rest := b[1:]
	if len(rest) > 0 && rest[0] == '/' {
		end := bytes.IndexByte(rest, ',')
		if end < 0 {
			// The reference parser reads a namespace up to the end too.
			end = len(rest)
		}
		p.Namespace, rest = string(rest[:end]), rest[min(end+1, len(rest)):]
	}
	var err error
	if p.ID, rest, err = readAckID(rest); err != nil {
		return SocketPacket{}, err
	}
	if len(rest) > 0 {
		p.Data = json.RawMessage(rest)
	}
	return p, checkData(p)
}

// readAckID reads the ack id digits that may start rest.
func readAckID(rest []byte) (int64, []byte, error) {
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n == 0 {
		return NoAck, rest, nil
	}
	id, err := strconv.ParseInt(string(rest[:n]), 10, 64)
	if err != nil || id > maxAckID {
		return NoAck, nil, ErrBadAckID
	}
	return id, rest[n:], nil
}

// checkData checks that the data has the shape its packet type requires.
func checkData(p SocketPacket) error {
	if len(p.Data) == 0 {
		if p.Kind == Event || p.Kind == Ack || p.Kind == ConnectError {
			return fmt.Errorf("%w: missing", ErrBadData)
		}
		return nil
	}
	if !json.Valid(p.Data) {
		return fmt.Errorf("%w: invalid json", ErrBadData)
	}
	first := p.Data[0]
	switch p.Kind {
	case Connect, ConnectError:
		if first != '{' {
			return fmt.Errorf("%w: not an object", ErrBadData)
		}
	case Event, Ack:
		if first != '[' {
			return fmt.Errorf("%w: not an array", ErrBadData)
		}
	case Disconnect:
		return fmt.Errorf("%w: disconnect takes none", ErrBadData)
	}
	return nil
}

// DecodeEvent splits an EVENT's data into its name and its one argument
// (nil when it has none). More than one argument is refused: every client
// message has one payload object.
func DecodeEvent(data json.RawMessage) (name string, arg json.RawMessage, err error) {
	if name, arg, ok := splitEvent(data); ok {
		return name, arg, nil
	}
	return decodeEventSlow(data)
}

// splitEvent is DecodeEvent without encoding/json for what clients send:
// `["name"]` or `["name",arg]` with a plain name (no escapes) and one valid
// argument. It reports false for anything else, which decodeEventSlow then
// decides (the fuzz target checks both agree on every input).
func splitEvent(data []byte) (name string, arg json.RawMessage, ok bool) {
	if len(data) < 4 || data[0] != '[' || data[1] != '"' || data[len(data)-1] != ']' {
		return "", nil, false
	}
	end := bytes.IndexByte(data[2:], '"') + 2
	if end < 2 || !plainName(data[2:end]) {
		return "", nil, false
	}
	rest := data[end+1 : len(data)-1]
	switch {
	case len(rest) == 0:
		return string(data[2:end]), nil, true
	case rest[0] != ',':
		return "", nil, false
	}
	arg = bytes.Trim(rest[1:], jsonSpace)
	if len(arg) == 0 || !json.Valid(arg) {
		return "", nil, false
	}
	return string(data[2:end]), arg, true
}

// jsonSpace is JSON's whitespace (RFC 8259 §2), narrower than Unicode's.
const jsonSpace = " \t\r\n"

// plainName reports a name of valid UTF-8 with no escape and no control
// character, which is its own JSON string's contents.
func plainName(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
}

// decodeEventSlow is DecodeEvent by encoding/json, for every input.
func decodeEventSlow(data json.RawMessage) (name string, arg json.RawMessage, err error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil || len(parts) == 0 || len(parts) > 2 {
		return "", nil, ErrBadEvent
	}
	if err := json.Unmarshal(parts[0], &name); err != nil {
		return "", nil, ErrBadEvent
	}
	if len(parts) == 2 {
		arg = parts[1]
	}
	return name, arg, nil
}

// appendHead appends an Engine.IO message's type, the Socket.IO kind and
// the namespace ("/" is left out).
func appendHead(dst []byte, k Kind, nsp string) []byte {
	dst = append(dst, byte(Message), byte(k))
	if nsp != "" && nsp != "/" {
		dst = append(append(dst, nsp...), ',')
	}
	return dst
}

// AppendEvent appends the Engine.IO message of an EVENT without ack id:
// 42<nsp>,["name",data]. data must be valid JSON; empty becomes {}.
func AppendEvent(dst []byte, nsp, name string, data []byte) []byte {
	return AppendEmit(dst, nsp, NoAck, name, data)
}

// AppendAck appends the Engine.IO message of an ACK: 43<nsp>,<id>[data].
func AppendAck(dst []byte, nsp string, id int64, data []byte) []byte {
	dst = appendHead(dst, Ack, nsp)
	dst = strconv.AppendInt(dst, id, 10)
	dst = append(dst, '[')
	return append(appendData(dst, data), ']')
}

// AppendConnect appends the CONNECT reply: 40<nsp>,{"sid":".."}.
func AppendConnect(dst []byte, nsp, sid string) []byte {
	dst = appendHead(dst, Connect, nsp)
	dst = append(dst, `{"sid":`...)
	dst = jsonstr.Append(dst, sid)
	return append(dst, '}')
}

// AppendConnectError appends a CONNECT_ERROR:
// 44<nsp>,{"message":"..","data":{"code":".."}}; code "" leaves data out.
func AppendConnectError(dst []byte, nsp, message, code string) []byte {
	dst = appendHead(dst, ConnectError, nsp)
	dst = append(dst, `{"message":`...)
	dst = jsonstr.Append(dst, message)
	if code != "" {
		dst = append(dst, `,"data":{"code":`...)
		dst = jsonstr.Append(dst, code)
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// AppendDisconnect appends a DISCONNECT: 41<nsp>,.
func AppendDisconnect(dst []byte, nsp string) []byte {
	return appendHead(dst, Disconnect, nsp)
}

func appendData(dst, data []byte) []byte {
	if len(data) == 0 {
		return append(dst, "{}"...)
	}
	return append(dst, data...)
}
