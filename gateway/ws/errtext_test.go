package ws

import (
	"net/http"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/gateway/i18n"
)

// spanishErrors is Deps.Errors over a real catalogue that speaks English
// (default) and Spanish.
func spanishErrors(query, acceptLanguage string) ErrorText {
	cat := i18n.New("en", []i18n.Language{{Code: "en", Active: true, Default: true}, {Code: "es", Active: true}},
		[]i18n.Entry{
			{Namespace: "errors", Key: events.CodeUnknownType, Language: "es", Text: "tipo de mensaje desconocido"},
			{Namespace: "errors", Key: events.CodeNotInSession, Language: "es", Text: "no estás en esa partida"},
		})
	lang := cat.Negotiate(query, acceptLanguage)
	return func(code, message string) string { return cat.Localize(lang, "errors", code, message) }
}

func TestConn_ErrorFramesSpeakTheHandshakeLanguage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Errors = spanishErrors })
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

func TestErrorText_LeavesOtherFramesAlone(t *testing.T) {
	t.Parallel()
	text := ErrorText(func(string, string) string { return "traducido" })
	for _, f := range []player.Frame{
		{Type: "game:state-change", Data: []byte(`{"message":"x"}`)},
		{Type: events.TypeError, Data: []byte(`not json`)},
	} {
		require.Equal(t, f, text.localize(f))
	}
	var none ErrorText
	f := player.Frame{Type: events.TypeError, Data: events.Encode(events.Error{Code: "busy", Message: "busy", RetryAfterMs: 5})}
	require.Equal(t, f, none.localize(f))
	got := text.localize(f)
	require.JSONEq(t, `{"code":"busy","message":"traducido","retry_after_ms":5}`, string(got.Data))
}
