package sio

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// PacketType is an Engine.IO v4 packet type, the packet's first byte.
type PacketType byte

// Engine.IO packet types.
const (
	Open    PacketType = '0'
	Close   PacketType = '1'
	Ping    PacketType = '2'
	Pong    PacketType = '3'
	Message PacketType = '4'
	Upgrade PacketType = '5'
	Noop    PacketType = '6'
)

// Separator joins the packets of one HTTP long-polling payload (v4).
const Separator = '\x1e'

// Probe is the payload of the ping and pong that test a websocket before a
// polling session upgrades to it ("2probe", "3probe").
const Probe = "probe"

// Decoding errors.
var (
	// ErrEmptyPacket: a packet without even a type byte.
	ErrEmptyPacket = errors.New("empty packet")
	// ErrUnknownPacketType: the type byte is not one of Engine.IO's.
	ErrUnknownPacketType = errors.New("unknown packet type")
	// ErrBinary: a binary packet, which the gateway does not take.
	ErrBinary = errors.New("binary packets are not supported")
	// ErrPayloadTooLarge: a polling payload over the negotiated maxPayload.
	ErrPayloadTooLarge = errors.New("payload too large")
)

// Packet is one Engine.IO text packet. Data aliases the decoded input.
type Packet struct {
	Type PacketType
	Data []byte
}

// ParsePacket decodes one text packet: a type byte and its data. A base64
// binary message ("b...") is refused with ErrBinary.
func ParsePacket(b []byte) (Packet, error) {
	if len(b) == 0 {
		return Packet{}, ErrEmptyPacket
	}
	t := PacketType(b[0])
	switch {
	case t == 'b':
		return Packet{}, ErrBinary
	case t < Open || t > Noop:
		return Packet{}, fmt.Errorf("%w %q", ErrUnknownPacketType, b[0])
	}
	return Packet{Type: t, Data: b[1:]}, nil
}

// AppendPacket appends p's text encoding to dst.
func AppendPacket(dst []byte, p Packet) []byte {
	return append(append(dst, byte(p.Type)), p.Data...)
}

// SplitPayload decodes an HTTP long-polling request body: packets joined by
// Separator. A body longer than maxPayload bytes (0: no limit) is refused
// whole, as are empty or malformed packets.
func SplitPayload(body []byte, maxPayload int64) ([]Packet, error) {
	if maxPayload > 0 && int64(len(body)) > maxPayload {
		return nil, ErrPayloadTooLarge
	}
	var packets []Packet
	for part := range bytes.SplitSeq(body, []byte{Separator}) {
		p, err := ParsePacket(part)
		if err != nil {
			return nil, err
		}
		packets = append(packets, p)
	}
	return packets, nil
}

// JoinPayload encodes encoded packets as one long-polling response body.
func JoinPayload(packets [][]byte) []byte {
	n := len(packets)
	for _, p := range packets {
		n += len(p)
	}
	out := make([]byte, 0, n)
	for i, p := range packets {
		if i > 0 {
			out = append(out, Separator)
		}
		out = append(out, p...)
	}
	return out
}

// Handshake is the open packet's data: what the client must respect.
type Handshake struct {
	SID          string
	Upgrades     []string
	PingInterval time.Duration
	PingTimeout  time.Duration
	MaxPayload   int64
}

// AppendOpen appends the open packet:
// 0{"sid":..,"upgrades":[..],"pingInterval":ms,"pingTimeout":ms,"maxPayload":n}.
func AppendOpen(dst []byte, h Handshake) []byte {
	dst = append(dst, byte(Open))
	dst = append(dst, `{"sid":`...)
	dst = strconv.AppendQuote(dst, h.SID)
	dst = append(dst, `,"upgrades":[`...)
	for i, u := range h.Upgrades {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendQuote(dst, u)
	}
	dst = append(dst, `],"pingInterval":`...)
	dst = strconv.AppendInt(dst, h.PingInterval.Milliseconds(), 10)
	dst = append(dst, `,"pingTimeout":`...)
	dst = strconv.AppendInt(dst, h.PingTimeout.Milliseconds(), 10)
	dst = append(dst, `,"maxPayload":`...)
	dst = strconv.AppendInt(dst, h.MaxPayload, 10)
	return append(dst, '}')
}
