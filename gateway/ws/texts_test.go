package ws

import (
	"net/http"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/fanout"
	"github.com/proofstell/proofstell/gateway/i18n"
)

// spanishTexts is Deps.Texts over a real catalogue that speaks English
// (default) and Spanish; its alerts are marked rather than translated
// (gateway/notices renders them for real).
func spanishTexts(query, acceptLanguage string) *Texts {
	cat := i18n.New("en", []i18n.Language{{Code: "en", Active: true, Default: true}, {Code: "es", Active: true}},
		[]i18n.Entry{
			{Namespace: "errors", Key: events.CodeUnknownType, Language: "es", Text: "tipo de mensaje desconocido"},
			{Namespace: "errors", Key: events.CodeNotInSession, Language: "es", Text: "no estás en esa partida"},
		})
	lang := cat.Negotiate(query, acceptLanguage)
	t := &Texts{Error: func(code, message string) string { return cat.Localize(lang, "errors", code, message) }}
	if lang == "es" {
		t.Alert = func(data []byte) []byte { return append([]byte(`{"es":true,"was":`), append(data, '}')...) }
	}
	return t
}

func TestConn_ErrorFramesSpeakTheHandshakeLanguage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Texts = spanishTexts })
	for _, tc := range []struct {
		name, query, accept, gateway, actor string
	}{
		{"query", "&lang=es", "", "tipo de mensaje desconocido", "no estás en esa partida"},
		{"header", "", "es-MX,es;q=0.9", "tipo de mensaje desconocido", "no estás en esa partida"},
		{"lenient fallback", "&lang=xx", "de", "unknown command", "not in that session"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{}
			if tc.accept != "" {
				header.Set("Accept-Language", tc.accept)
			}
			c, resp, err := websocket.DefaultDialer.Dial(env.wsURL("?token=good-p1"+tc.query), header)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			t.Cleanup(func() { _ = c.Close() })
			pc := env.att.nextConn(t)

			writeText(t, c, `{"t":"game:fly","id":1,"d":{}}`) // refused by the gateway
			code, msg := errorPayload(t, readFrame(t, c))
			require.Equal(t, events.CodeUnknownType, code)
			if tc.gateway != "unknown command" {
				require.Equal(t, tc.gateway, msg)
			}
			pc.Send(player.Frame{Type: events.TypeError, ID: 2, // refused by the player actor
				Data: events.Encode(events.Error{Code: events.CodeNotInSession, Message: "not in that session"})})
			code, msg = errorPayload(t, readFrame(t, c))
			require.Equal(t, events.CodeNotInSession, code)
			require.Equal(t, tc.actor, msg)
		})
	}
}

func TestTexts_LeavesOtherFramesAlone(t *testing.T) {
	t.Parallel()
	text := &Texts{Error: func(string, string) string { return "traducido" }}
	for _, f := range []player.Frame{
		{Type: "game:state-change", Data: []byte(`{"message":"x"}`)},
		{Type: events.TypeError, Data: []byte(`not json`)},
	} {
		require.Equal(t, f, text.localize(f))
	}
	var none *Texts
	f := player.Frame{Type: events.TypeError, Data: events.Encode(events.Error{Code: "busy", Message: "busy", RetryAfterMs: 5})}
	require.Equal(t, f, none.localize(f))
	got := text.localize(f)
	require.JSONEq(t, `{"code":"busy","message":"traducido","retry_after_ms":5}`, string(got.Data))
}

// A Spanish connection gets notification alerts in its own words, both
// pushed by the actor and broadcast by the hub; an English one shares the
// broadcast's frame.
func TestConn_AlertsSpeakTheHandshakeLanguage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Texts = spanishTexts })
	alert := &protos.ClientEvent{Type: events.TypeNotificationAlert, Data: []byte(`{"id":"n1"}`)}
	for _, tc := range []struct{ query, want string }{
		{"&lang=es", `{"es":true,"was":{"id":"n1"}}`},
		{"", `{"id":"n1"}`},
	} {
		c, resp, err := websocket.DefaultDialer.Dial(env.wsURL("?token=good-p1"+tc.query), nil)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		t.Cleanup(func() { _ = c.Close() })
		pc := env.att.nextConn(t)
		pc.Send(player.Frame{Type: alert.Type, Data: alert.Data}) // a missed alert, on connect
		require.JSONEq(t, tc.want, string(readFrame(t, c).D), tc.query)
		require.True(t, pc.(fanout.Socket).Deliver(&fanout.Broadcast{Topic: "player:p1", Event: alert})) // live
		require.JSONEq(t, tc.want, string(readFrame(t, c).D), tc.query)
	}
}
