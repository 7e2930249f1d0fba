package ws

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
)

const testSession = "0b0e5f3a-8c1d-4f7e-9a2b-3c4d5e6f7a8b"

func TestDecodeCommand_Accepts(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	tests := []struct {
		name string
		raw  string
		want player.Command
	}{
		{"start", `{"t":"game:start","id":1,"d":{"mode":"classic"}}`, player.Command{ID: 1, Body: player.StartGame{Mode: "classic"}}},
		{"start no id", `{"t":"game:start","d":{"mode":"speed-2"}}`, player.Command{Body: player.StartGame{Mode: "speed-2"}}},
		{"start without mode: dynamic difficulty", `{"t":"game:start","d":{}}`, player.Command{Body: player.StartGame{}}},
		{"id null", `{"t":"game:start","id":null,"d":{"mode":"a"}}`, player.Command{Body: player.StartGame{Mode: "a"}}},
		{"create", `{"t":"game:create","id":2,"d":{"mode":"classic","maxPlayers":8}}`, player.Command{ID: 2, Body: player.CreateMatch{Mode: "classic", MaxPlayers: 8}}},
		{"join", `{"t":"game:join","d":{"code":"AB12"}}`, player.Command{Body: player.JoinMatch{Code: "AB12"}}},
		{"begin", `{"t":"game:begin","d":{"sessionId":"` + testSession + `"}}`, player.Command{Body: player.BeginMatch{SessionID: testSession}}},
		{"whack hole 0", `{"t":"game:whack","id":9,"d":{"sessionId":"` + testSession + `","hole":0,"moleId":1}}`, player.Command{ID: 9, Body: player.Whack{SessionID: testSession, Hole: 0, MoleID: 1}}},
		{"whack upper uuid", `{"t":"game:whack","d":{"sessionId":"0B0E5F3A-8C1D-4F7E-9A2B-3C4D5E6F7A8B","hole":63,"moleId":5}}`, player.Command{Body: player.Whack{SessionID: testSession, Hole: 63, MoleID: 5}}},
		{"resume", `{"t":"game:resume","d":{"sessionId":"` + testSession + `"}}`, player.Command{Body: player.ResumeGame{SessionID: testSession}}},
		{"lb subscribe", `{"t":"leaderboard:subscribe","d":{"leaderboardId":"weekly"}}`, player.Command{Body: player.SubscribeLeaderboard{LeaderboardID: "weekly", Mode: "classic"}}},
		{"lb subscribe mode", `{"t":"leaderboard:subscribe","d":{"leaderboardId":"daily","mode":"frenzy"}}`, player.Command{Body: player.SubscribeLeaderboard{LeaderboardID: "daily", Mode: "frenzy"}}},
		{"lb unsubscribe", `{"t":"leaderboard:unsubscribe","d":{"leaderboardId":"global"}}`, player.Command{Body: player.UnsubscribeLeaderboard{LeaderboardID: "global", Mode: "classic"}}},
		{"game subscribe", `{"t":"game:subscribe","d":{"gameId":"` + testSession + `"}}`, player.Command{Body: player.SubscribeGame{GameID: testSession}}},
		{"ping bare", `{"t":"ping","id":3}`, player.Command{ID: 3, Body: Ping{}}},
		{"ping empty", ` {"t":"ping","d":{}} ` + "\n", player.Command{Body: Ping{}}},
		{"ping null", `{"t":"ping","d":null}`, player.Command{Body: Ping{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, derr := DecodeCommand([]byte(tt.raw), at)
			require.Nil(t, derr)
			tt.want.ReceivedAt = at
			require.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeCommand_Rejects(t *testing.T) {
	t.Parallel()
	whack := func(d string) string { return `{"t":"game:whack","id":4,"d":` + d + `}` }
	tests := []struct {
		name   string
		raw    string
		code   string
		id     int64
		detail string
	}{
		{"empty", ``, events.CodeBadRequest, 0, "malformed json"},
		{"not json", `hello`, events.CodeBadRequest, 0, "malformed json"},
		{"truncated", `{"t":"ping"`, events.CodeBadRequest, 0, "malformed json"},
		{"array", `[1]`, events.CodeBadRequest, 0, "expected a json object"},
		{"null", `null`, events.CodeBadRequest, 0, "expected a json object"},
		{"string", `"ping"`, events.CodeBadRequest, 0, "expected a json object"},
		{"key case", `{"T":"ping","id":5}`, events.CodeBadRequest, 5, `unknown field "T"`},
		{"duplicate key", `{"t":"ping","id":5,"t":"game:start"}`, events.CodeBadRequest, 5, `duplicate field "t"`},
		{"duplicate payload key", `{"t":"game:join","d":{"code":"ABCD","code":"WXYZ"}}`, events.CodeBadRequest, 0, `duplicate field "code"`},
		{"payload key case", `{"t":"game:join","d":{"Code":"ABCD"}}`, events.CodeBadRequest, 0, `unknown field "Code"`},
		{"escaped key", `{"\u0074":"ping"}`, events.CodeBadRequest, 0, `unknown field "\\u0074"`},
		{"nested values skipped", `{"d":{"a":[1,{"}":"]"}]},"id":2,"t":"ping","t":"x"}`, events.CodeBadRequest, 2, `duplicate field "t"`},
		{"long unknown key clipped", `{"t":"ping","` + strings.Repeat("k", 100) + `":1}`, events.CodeBadRequest, 0, `..."`},
		{"negative id then bad field", `{"id":-3,"x":1}`, events.CodeBadRequest, 0, `unknown field "x"`},
		{"trailing data", `{"t":"ping","id":5} {}`, events.CodeBadRequest, 5, "trailing data"},
		{"trailing garbage", `{"t":"ping","id":5}x`, events.CodeBadRequest, 5, "trailing data"},
		{"unknown envelope field", `{"t":"ping","id":6,"x":1}`, events.CodeBadRequest, 6, `unknown field "x"`},
		{"type not string", `{"t":1,"id":7}`, events.CodeBadRequest, 7, `field "t" has the wrong type`},
		{"id not int", `{"t":"ping","id":"7"}`, events.CodeBadRequest, 0, `field "id" has the wrong type`},
		{"id float", `{"t":"ping","id":1.5}`, events.CodeBadRequest, 0, `field "id" has the wrong type`},
		{"id negative", `{"t":"ping","id":-1}`, events.CodeBadRequest, 0, "negative"},
		{"missing type", `{"id":8,"d":{}}`, events.CodeBadRequest, 8, "missing frame type"},
		{"unknown type", `{"t":"game:cheat","id":9,"d":{}}`, events.CodeUnknownType, 9, "unknown frame type"},
		{"missing payload", `{"t":"game:start","id":10}`, events.CodeBadRequest, 10, "missing payload"},
		{"null payload", `{"t":"game:start","id":10,"d":null}`, events.CodeBadRequest, 10, "missing payload"},
		{"payload not object", `{"t":"game:start","id":10,"d":"classic"}`, events.CodeBadRequest, 10, "must be an object"},
		{"ping payload not object", `{"t":"ping","id":10,"d":[]}`, events.CodeBadRequest, 10, "must be an object"},
		{"ping payload field", `{"t":"ping","id":10,"d":{"a":1}}`, events.CodeBadRequest, 10, `unknown field "a"`},
		{"unknown payload field", `{"t":"game:start","id":11,"d":{"mode":"classic","score":999}}`, events.CodeBadRequest, 11, `unknown field "score"`},
		{"mode empty on create", `{"t":"game:create","d":{"mode":"","maxPlayers":2}}`, events.CodeBadRequest, 0, "mode must be"},
		{"mode upper", `{"t":"game:start","d":{"mode":"Classic"}}`, events.CodeBadRequest, 0, "mode must be"},
		{"mode too long", `{"t":"game:start","d":{"mode":"abcdefghijklmnopqrstuvwxyz0123456"}}`, events.CodeBadRequest, 0, "mode must be"},
		{"mode wrong type", `{"t":"game:start","d":{"mode":1}}`, events.CodeBadRequest, 0, `field "mode" has the wrong type`},
		{"players too few", `{"t":"game:create","d":{"mode":"classic","maxPlayers":1}}`, events.CodeBadRequest, 0, "maxPlayers"},
		{"players too many", `{"t":"game:create","d":{"mode":"classic","maxPlayers":9}}`, events.CodeBadRequest, 0, "maxPlayers"},
		{"players missing", `{"t":"game:create","d":{"mode":"classic"}}`, events.CodeBadRequest, 0, "maxPlayers"},
		{"players string", `{"t":"game:create","d":{"mode":"classic","maxPlayers":"4"}}`, events.CodeBadRequest, 0, `field "maxPlayers" has the wrong type`},
		{"code short", `{"t":"game:join","d":{"code":"AB1"}}`, events.CodeBadRequest, 0, "code must be"},
		{"code lower", `{"t":"game:join","d":{"code":"ab12"}}`, events.CodeBadRequest, 0, "code must be"},
		{"code long", `{"t":"game:join","d":{"code":"ABCDEFGHIJKLM"}}`, events.CodeBadRequest, 0, "code must be"},
		{"begin bad uuid", `{"t":"game:begin","d":{"sessionId":"nope"}}`, events.CodeBadRequest, 0, "sessionId must be a uuid"},
		{"resume braced uuid", `{"t":"game:resume","d":{"sessionId":"{0b0e5f3a-8c1d-4f7e-9a2b-3c4d5e6f7a8}"}}`, events.CodeBadRequest, 0, "sessionId must be a uuid"},
		{"resume uuid bad hex", `{"t":"game:resume","d":{"sessionId":"zb0e5f3a-8c1d-4f7e-9a2b-3c4d5e6f7a8b"}}`, events.CodeBadRequest, 0, "sessionId must be a uuid"},
		{"whack bad uuid", whack(`{"sessionId":"x","hole":1,"moleId":1}`), events.CodeBadRequest, 4, "sessionId must be a uuid"},
		{"whack hole missing", whack(`{"sessionId":"` + testSession + `","moleId":1}`), events.CodeBadRequest, 4, "hole must be"},
		{"whack hole negative", whack(`{"sessionId":"` + testSession + `","hole":-1,"moleId":1}`), events.CodeBadRequest, 4, "hole must be"},
		{"whack hole 64", whack(`{"sessionId":"` + testSession + `","hole":64,"moleId":1}`), events.CodeBadRequest, 4, "hole must be"},
		{"whack hole float", whack(`{"sessionId":"` + testSession + `","hole":1.5,"moleId":1}`), events.CodeBadRequest, 4, `field "hole" has the wrong type`},
		{"whack hole string", whack(`{"sessionId":"` + testSession + `","hole":"1","moleId":1}`), events.CodeBadRequest, 4, `field "hole" has the wrong type`},
		{"whack mole zero", whack(`{"sessionId":"` + testSession + `","hole":1,"moleId":0}`), events.CodeBadRequest, 4, "moleId"},
		{"whack mole missing", whack(`{"sessionId":"` + testSession + `","hole":1}`), events.CodeBadRequest, 4, "moleId"},
		{"whack extra field", whack(`{"sessionId":"` + testSession + `","hole":1,"moleId":1,"at":5}`), events.CodeBadRequest, 4, `unknown field "at"`},
		{"lb unknown board", `{"t":"leaderboard:subscribe","d":{"leaderboardId":"yearly"}}`, events.CodeBadRequest, 0, "leaderboardId"},
		{"lb bad mode", `{"t":"leaderboard:subscribe","d":{"leaderboardId":"daily","mode":"Frenzy!"}}`, events.CodeBadRequest, 0, "mode"},
		{"game bad uuid", `{"t":"game:subscribe","d":{"gameId":"` + testSession + `0"}}`, events.CodeBadRequest, 0, "gameId must be a uuid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, derr := DecodeCommand([]byte(tt.raw), time.Time{})
			require.NotNil(t, derr)
			require.Equal(t, player.Command{}, got)
			require.Equal(t, tt.code, derr.Code)
			require.Equal(t, tt.id, derr.ID)
			require.Contains(t, derr.Message, tt.detail)
			require.NotContains(t, derr.Message, "Go ")
			require.NotContains(t, derr.Message, "Payload")
		})
	}
}

func TestEncodeFrame(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		frame player.Frame
		want  string
	}{
		{"event", player.Frame{Type: "game:mole", Data: []byte(`{"hole":3}`)}, `{"t":"game:mole","d":{"hole":3}}`},
		{"reply", player.Frame{Type: "ack", ID: 42, Data: []byte(`{"ok":true}`)}, `{"t":"ack","id":42,"d":{"ok":true}}`},
		{"no data", player.Frame{Type: "ack", ID: 1}, `{"t":"ack","id":1,"d":{}}`},
		// Escaped as encoding/json escapes (internal/jsonstr): quote, backslash, newline.
		{"escaped type", player.Frame{Type: "a\"b\\c\n", Data: []byte(`1`)}, `{"t":"a\"b\\c\n","d":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.JSONEq(t, tt.want, string(encodeFrame(tt.frame)))
			require.Equal(t, tt.want, string(encodeFrame(tt.frame)))
		})
	}
}
