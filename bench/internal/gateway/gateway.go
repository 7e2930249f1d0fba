// Package gateway is the -gateway flag of the bench programs: which of the
// server's realtime gateways a run drives, native /ws or Socket.IO, both
// through gateway/ws/wsclient's Client so every measurement is taken the
// same way on either.
package gateway

import (
	"context"
	"fmt"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// Gateway names a realtime gateway. The zero value is WS.
type Gateway string

// The gateways.
const (
	// WS is the native WebSocket protocol at /ws.
	WS Gateway = "ws"
	// SocketIO is Socket.IO v4 at /socket.io/, namespace /realtime, on the
	// websocket transport.
	SocketIO Gateway = "socketio"
)

// Usage is the flag's help text.
const Usage = "realtime gateway: ws (native /ws) or socketio (Socket.IO at /socket.io/, namespace /realtime, websocket transport)"

// String is the gateway's name; WS for the zero value.
func (g Gateway) String() string {
	if g == "" {
		return string(WS)
	}
	return string(g)
}

// Set parses a flag value (flag.Value).
func (g *Gateway) Set(s string) error {
	switch Gateway(s) {
	case WS, SocketIO:
		*g = Gateway(s)
		return nil
	default:
		return fmt.Errorf("unknown gateway %q: want ws or socketio", s)
	}
}

// Describe says in a report what the gateway is.
func (g Gateway) Describe() string {
	if g == SocketIO {
		return "Socket.IO (/socket.io/, namespace /realtime, websocket transport)"
	}
	return "native WebSocket (/ws)"
}

// Dial opens an authenticated socket to baseURL ("http://host:port") on
// the gateway.
func (g Gateway) Dial(ctx context.Context, baseURL, token string) (*wsclient.Client, error) {
	if g == SocketIO {
		return wsclient.DialSocketIO(ctx, baseURL, token)
	}
	return wsclient.Dial(ctx, baseURL, token)
}
