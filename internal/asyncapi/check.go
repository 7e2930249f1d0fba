package asyncapi

import (
	"testing"
)

// Test helpers: they load the embedded document and fail t on a frame that
// does not match it. They report with t.Errorf, so they may be called from
// goroutines other than the test's (while the test runs).

// Check validates the frames of one native connection for a test. Its
// methods match gateway/ws/wsclient's FrameObserver, so a wsclient.Client
// can feed it directly.
type Check struct {
	t    testing.TB
	conv *Conversation
}

// NewCheck loads the document (failing t if it does not load) and starts a
// conversation for one connection.
func NewCheck(t testing.TB) *Check {
	t.Helper()
	return &Check{t: t, conv: mustLoad(t).NewConversation()}
}

// Sent notes a client frame the test sent.
func (c *Check) Sent(frame []byte) { c.conv.Sent(frame) }

// Received fails the test when a server frame does not match the document.
func (c *Check) Received(frame []byte) {
	if err := c.conv.Received(frame); err != nil {
		c.t.Errorf("asyncapi: %v", err)
	}
}

// ValidateServerFrame fails t when a native server frame does not match the
// document (replies are checked against every message of their type).
func ValidateServerFrame(t testing.TB, frame []byte) {
	t.Helper()
	if err := mustLoad(t).ServerFrame(frame); err != nil {
		t.Errorf("asyncapi: %v", err)
	}
}

// ValidateSocketIOEvent fails t when the arguments of a Socket.IO EVENT
// packet, ["type", payload], do not match the document.
func ValidateSocketIOEvent(t testing.TB, args []byte) {
	t.Helper()
	if err := mustLoad(t).SocketIOEvent(args); err != nil {
		t.Errorf("asyncapi: %v", err)
	}
}

// ValidateSocketIOAck fails t when the arguments of a Socket.IO ACK packet,
// [payload], do not match a reply the document lists for the emit of type
// request.
func ValidateSocketIOAck(t testing.TB, request string, args []byte) {
	t.Helper()
	if err := mustLoad(t).SocketIOAck(request, args); err != nil {
		t.Errorf("asyncapi: %v", err)
	}
}

// ValidateSocketIOConnectError fails t when a CONNECT_ERROR packet's data
// does not match the document.
func ValidateSocketIOConnectError(t testing.TB, data []byte) {
	t.Helper()
	if err := mustLoad(t).SocketIOConnectError(data); err != nil {
		t.Errorf("asyncapi: %v", err)
	}
}

func mustLoad(t testing.TB) *Document {
	t.Helper()
	d, err := Embedded()
	if err != nil {
		t.Fatalf("load docs/asyncapi.yaml: %v", err)
	}
	return d
}
