package ws

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
)

// encodeCommand renders a decoded command back into a client frame.
func encodeCommand(t testing.TB, cmd player.Command) []byte {
	t.Helper()
	var typ string
	var d any
	switch b := cmd.Body.(type) {
	case player.StartGame:
		typ, d = TypeStartGame, map[string]any{"mode": b.Mode}
	case player.CreateMatch:
		typ, d = TypeCreateMatch, map[string]any{"mode": b.Mode, "maxPlayers": b.MaxPlayers}
	case player.JoinMatch:
		typ, d = TypeJoinMatch, map[string]any{"code": b.Code}
	case player.BeginMatch:
		typ, d = TypeBeginMatch, map[string]any{"sessionId": b.SessionID}
	case player.Whack:
		typ, d = TypeWhack, map[string]any{"sessionId": b.SessionID, "hole": b.Hole, "moleId": b.MoleID}
	case player.ResumeGame:
		typ, d = TypeResumeGame, map[string]any{"sessionId": b.SessionID}
	case player.SubscribeLeaderboard:
		typ, d = TypeSubscribeLeaderboard, map[string]any{"leaderboardId": b.LeaderboardID}
	case player.UnsubscribeLeaderboard:
		typ, d = TypeUnsubscribeLeaderboard, map[string]any{"leaderboardId": b.LeaderboardID}
	case player.SubscribeGame:
		typ, d = TypeSubscribeGame, map[string]any{"gameId": b.GameID}
	case Ping:
		typ, d = TypePing, map[string]any{}
	default:
		t.Fatalf("unexpected body %T", cmd.Body)
	}
	raw, err := json.Marshal(map[string]any{"t": typ, "id": cmd.ID, "d": d})
	require.NoError(t, err)
	return raw
}

func FuzzDecodeCommand(f *testing.F) {
	seeds := []string{
		`{"t":"game:whack","id":9,"d":{"sessionId":"` + testSession + `","hole":3,"moleId":17}}`,
		`{"t":"game:start","d":{"mode":"classic"}}`,
		`{"t":"game:create","id":1,"d":{"mode":"duel","maxPlayers":2}}`,
		`{"t":"game:join","d":{"code":"ABCD"}}`,
		`{"t":"leaderboard:subscribe","d":{"leaderboardId":"daily"}}`,
		`{"t":"game:subscribe","d":{"gameId":"` + testSession + `"}}`,
		`{"t":"ping","id":2}`,
		`{"t":"ping","id":2} []`,
		`{"T":"ping","ID":3}`,
		`{"t":"game:whack","d":{"sessionId":"` + testSession + `","hole":1e2,"moleId":-1}}`,
		"\xff{}",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	at := time.Unix(1700000000, 0).UTC()
	f.Fuzz(func(t *testing.T, raw []byte) {
		cmd, derr := DecodeCommand(raw, at)
		if derr != nil {
			if derr.ID < 0 || derr.Code == "" || derr.Message == "" {
				t.Fatalf("malformed error %+v", derr)
			}
			return
		}
		again, derr := DecodeCommand(encodeCommand(t, cmd), at)
		if derr != nil {
			t.Fatalf("accepted %q, re-encoded refused: %v", raw, derr)
		}
		if fmt.Sprint(again) != fmt.Sprint(cmd) {
			t.Fatalf("round trip changed %+v into %+v", cmd, again)
		}
	})
}

func BenchmarkDecodeCommand_Whack(b *testing.B) {
	raw := []byte(`{"t":"game:whack","id":123,"d":{"sessionId":"` + testSession + `","hole":5,"moleId":42}}`)
	at := time.Unix(1700000000, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, derr := DecodeCommand(raw, at); derr != nil {
			b.Fatal(derr)
		}
	}
}
