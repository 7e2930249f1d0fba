package sio

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/internal/jsonstr"
)

// The client's side of the codec: what a Socket.IO client encodes (CONNECT
// with auth, emits with ack ids) and decodes (the open packet, ACK
// arguments, CONNECT_ERROR). gateway/ws/wsclient speaks Socket.IO with
// them; the gateway itself needs none of them.

// Client-side decoding errors.
var (
	// ErrBadOpen: an open packet whose data is not the handshake object.
	ErrBadOpen = errors.New("malformed open packet")
	// ErrBadAck: an ACK's data is not [] or [payload].
	ErrBadAck = errors.New(`ack must be [] or [payload]`)
	// ErrBadConnectError: a CONNECT_ERROR's data is not {"message", "data"?}.
	ErrBadConnectError = errors.New("malformed connect error")
)

// AppendEmit appends the Engine.IO message of a client EVENT asking for an
// ack: 42<nsp>,<ackID>["name",data], or without the ack id when ackID is
// NoAck. data must be valid JSON; empty becomes {}.
func AppendEmit(dst []byte, nsp string, ackID int64, name string, data []byte) []byte {
	dst = appendHead(dst, Event, nsp)
	if ackID != NoAck {
		dst = strconv.AppendInt(dst, ackID, 10)
	}
	dst = append(dst, '[')
	dst = jsonstr.Append(dst, name)
	dst = append(dst, ',')
	return append(appendData(dst, data), ']')
}

// AppendConnectAuth appends a client's CONNECT to nsp carrying auth, which
// must be a JSON object (empty: none): 40<nsp>,{"token":".."}.
func AppendConnectAuth(dst []byte, nsp string, auth []byte) []byte {
	return append(appendHead(dst, Connect, nsp), auth...)
}

// ParseOpen decodes the data of an open packet (what follows the "0"),
// the inverse of AppendOpen. A handshake without a sid or with a
// non-positive ping interval or timeout is refused with ErrBadOpen.
func ParseOpen(data []byte) (Handshake, error) {
	var o struct {
		SID          string   `json:"sid"`
		Upgrades     []string `json:"upgrades"`
		PingInterval int64    `json:"pingInterval"`
		PingTimeout  int64    `json:"pingTimeout"`
		MaxPayload   int64    `json:"maxPayload"`
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return Handshake{}, fmt.Errorf("%w: %w", ErrBadOpen, err)
	}
	if o.SID == "" || o.PingInterval <= 0 || o.PingTimeout <= 0 {
		return Handshake{}, fmt.Errorf("%w: needs sid, pingInterval and pingTimeout", ErrBadOpen)
	}
	return Handshake{
		SID: o.SID, Upgrades: o.Upgrades, MaxPayload: o.MaxPayload,
		PingInterval: time.Duration(o.PingInterval) * time.Millisecond,
		PingTimeout:  time.Duration(o.PingTimeout) * time.Millisecond,
	}, nil
}

// DecodeAck returns the one argument of an ACK's data (nil for []). More
// than one argument is refused: the gateway acks with exactly one.
func DecodeAck(data json.RawMessage) (json.RawMessage, error) {
	var args []json.RawMessage
	if err := json.Unmarshal(data, &args); err != nil || len(args) > 1 {
		return nil, ErrBadAck
	}
	if len(args) == 0 {
		return nil, nil
	}
	return args[0], nil
}

// DecodeConnectError reads a CONNECT_ERROR's data:
// {"message":"..","data":{"code":".."}}; code is "" when data is absent.
func DecodeConnectError(data json.RawMessage) (message, code string, err error) {
	var e struct {
		Message *string `json:"message"`
		Data    struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &e); err != nil || e.Message == nil {
		return "", "", ErrBadConnectError
	}
	return *e.Message, e.Data.Code, nil
}
