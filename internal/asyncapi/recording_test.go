package asyncapi

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A recording as test/node/lib/proofstell.mjs writes it: every kind once.
const goodRecording = `{"kind":"ws-sent","frame":{"t":"ping","id":1,"d":{}}}
{"kind":"ws-received","frame":{"t":"pong","id":1,"d":{"serverTime":1764000000000}}}
{"kind":"socketio-event","args":["connection:close",{"code":4003,"reason":"revoked"}]}
{"kind":"socketio-ack","request":"ping","args":[{"serverTime":1764000000000}]}
{"kind":"socketio-ack","request":"game:start","args":[{"error":{"code":"unknown_mode","message":"no such mode"}}]}
{"kind":"socketio-connect-error","packet":{"message":"invalid token","data":{"code":"unauthorized"}}}
`

func TestCheckRecording_CountsWhatWasReceived(t *testing.T) {
	d, err := Embedded()
	require.NoError(t, err)
	received, err := d.checkRecording([]byte(goodRecording))
	require.NoError(t, err)
	require.Equal(t, 5, received, "the sent frame is context, not a check")
}

func TestCheckRecording_RefusesWhatTheDocumentDoesNot(t *testing.T) {
	d, err := Embedded()
	require.NoError(t, err)
	for name, line := range map[string]string{
		"event not in the document":  `{"kind":"socketio-event","args":["game:teleport",{}]}`,
		"event payload wrong":        `{"kind":"socketio-event","args":["connection:close",{"code":"4003"}]}`,
		"ack not a reply of ping":    `{"kind":"socketio-ack","request":"ping","args":[{"sessionId":"x"}]}`,
		"connect error without code": `{"kind":"socketio-connect-error","packet":{"message":"no"}}`,
		"native reply of another request": `{"kind":"ws-sent","frame":{"t":"ping","id":7,"d":{}}}
{"kind":"ws-received","frame":{"t":"ack","id":7,"d":{}}}`,
		"unknown kind": `{"kind":"smoke-signal"}`,
		"not json":     `{"kind":`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := d.checkRecording([]byte(line + "\n"))
			require.Error(t, err)
			require.True(t, strings.HasPrefix(err.Error(), "recording line "), err.Error())
		})
	}
}
