package asyncapi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/asyncapi"
)

// minimal is the smallest document of the shape docs/asyncapi.yaml has.
const minimal = `
asyncapi: 3.0.0
info: {title: t, version: "1"}
servers:
  native: {host: "h:1", protocol: ws}
channels:
  native:
    address: /ws
    servers: [{$ref: "#/servers/native"}]
    messages:
      ping: {$ref: "#/components/messages/ping"}
      pong: {$ref: "#/components/messages/pong"}
  other:
    address: /other
    messages:
      pong: {$ref: "#/components/messages/pong"}
operations:
  ping:
    action: receive
    channel: {$ref: "#/channels/native"}
    messages: [{$ref: "#/channels/native/messages/ping"}]
    reply:
      channel: {$ref: "#/channels/native"}
      messages: [{$ref: "#/channels/native/messages/pong"}]
components:
  schemas:
    Pong: {type: object, required: [serverTime], properties: {serverTime: {type: integer}}}
  messages:
    ping:
      name: ping
      payload: {type: object, properties: {t: {const: ping}}}
    pong:
      name: pong
      payload: {type: object, properties: {t: {const: pong}, d: {$ref: "#/components/schemas/Pong"}}}
`

func TestLoad(t *testing.T) {
	t.Parallel()
	d, err := asyncapi.Load([]byte(minimal))
	require.NoError(t, err)
	require.Equal(t, []string{"ping"}, d.ClientMessages(asyncapi.NativeChannel))
	require.Equal(t, []string{"pong"}, d.ServerMessages(asyncapi.NativeChannel))
	require.NoError(t, d.ServerFrame([]byte(`{"t":"pong","d":{"serverTime":1}}`)))
	require.Error(t, d.ServerFrame([]byte(`{"t":"pong","d":{}}`)))
}

func TestLoad_RefusesBrokenDocuments(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ old, new, want string }{
		"version 2":              {"asyncapi: 3.0.0", "asyncapi: 2.6.0", `want 3.0.x`},
		"no title":               {"title: t,", "", "info needs a title"},
		"dangling ref":           {`d: {$ref: "#/components/schemas/Pong"}`, `d: {$ref: "#/components/schemas/Gone"}`, `no "Gone"`},
		"remote ref":             {`d: {$ref: "#/components/schemas/Pong"}`, `d: {$ref: "other.yaml#/Pong"}`, "not local"},
		"message of another ch.": {`messages: [{$ref: "#/channels/native/messages/pong"}]`, `messages: [{$ref: "#/channels/other/messages/pong"}]`, "is not a message of #/channels/native"},
		"unknown action":         {"action: receive", "action: listen", `action "listen"`},
		"message without name":   {"name: pong", "title: pong", "needs a name and a payload"},
		"bad payload schema":     {"type: object, required: [serverTime]", "type: objekt, required: [serverTime]", "compile payload"},
		"not yaml":               {"asyncapi: 3.0.0", "asyncapi: [", "parse asyncapi yaml"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Contains(t, minimal, tc.old)
			_, err := asyncapi.Load([]byte(strings.Replace(minimal, tc.old, tc.new, 1)))
			require.ErrorContains(t, err, tc.want)
		})
	}
}
