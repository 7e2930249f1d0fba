package asyncapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// recorded is one line of a client recording (test/node/lib/proofstell.mjs):
// what a client received, or a native frame it sent (which gives replies
// their request).
type recorded struct {
	Kind    string          `json:"kind"`
	Args    json.RawMessage `json:"args"`    // socketio-event, socketio-ack
	Request string          `json:"request"` // socketio-ack: the emit it answers
	Packet  json.RawMessage `json:"packet"`  // socketio-connect-error
	Frame   json.RawMessage `json:"frame"`   // ws-sent, ws-received
}

// CheckRecording fails t when a frame recorded by a JavaScript client
// (internal/nodetest's frame recording, one JSON object a line) does not
// match the document, or when the recording holds no received frame at all:
// an empty recording would prove nothing.
func CheckRecording(t testing.TB, path string) {
	t.Helper()
	raw, err := os.ReadFile(path) //nolint:gosec // G304: the test's own temporary file
	if err != nil {
		t.Fatalf("asyncapi: read the clients' recording: %v", err)
	}
	received, err := mustLoad(t).checkRecording(raw)
	if err != nil {
		t.Errorf("asyncapi: %v", err)
	}
	if received == 0 {
		t.Errorf("asyncapi: the recording %s holds no received frame", path)
	}
	t.Logf("asyncapi: checked %d frames the clients received", received)
}

// checkRecording validates every line and returns how many received frames
// it checked.
func (d *Document) checkRecording(raw []byte) (received int, err error) {
	native := d.NewConversation()
	lines := bufio.NewScanner(bytes.NewReader(raw))
	lines.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for n := 1; lines.Scan(); n++ {
		var r recorded
		if err := json.Unmarshal(lines.Bytes(), &r); err != nil {
			return received, fmt.Errorf("recording line %d: %w", n, err)
		}
		if r.Kind == "ws-sent" {
			native.Sent(r.Frame)
			continue
		}
		if err := d.checkReceived(native, r); err != nil {
			return received, fmt.Errorf("recording line %d: %w", n, err)
		}
		received++
	}
	return received, lines.Err()
}

func (d *Document) checkReceived(native *Conversation, r recorded) error {
	switch r.Kind {
	case "ws-received":
		return native.Received(r.Frame)
	case "socketio-event":
		return d.SocketIOEvent(r.Args)
	case "socketio-ack":
		return d.SocketIOAck(r.Request, r.Args)
	case "socketio-connect-error":
		return d.SocketIOConnectError(r.Packet)
	default:
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
}
