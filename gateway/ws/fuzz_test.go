package ws

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
)

// encodeCommand renders a decoded command back into a client frame. The
// wire type is the protocol table's row whose payload type is the body's,
// so a new client message needs nothing here.
func encodeCommand(t testing.TB, cmd player.Command) []byte {
	t.Helper()
	d, err := json.Marshal(cmd.Body)
	require.NoError(t, err)
	for _, m := range player.ClientMessages() {
		body, err := m.Decode(d)
		if err != nil || reflect.TypeOf(body) != reflect.TypeOf(cmd.Body) {
			continue
		}
		raw, err := json.Marshal(map[string]any{"t": m.Type(), "id": cmd.ID, "d": json.RawMessage(d)})
		require.NoError(t, err)
		return raw
	}
	t.Fatalf("no protocol row decodes body %T", cmd.Body)
	return nil
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
