package rest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// playRecorded plays a short solo game by the rules, whacking every mole,
// and commits it with its packed replay as the session would.
func playRecorded(t *testing.T, store *postgres.Store, playerID string, created time.Time) (string, game.Replay) {
	t.Helper()
	mode := game.Mode{Name: "classic", Rows: 3, Cols: 3, Duration: 5 * time.Second, SpawnInterval: time.Second,
		Visible: 800 * time.Millisecond, MaxMolesUp: 1, HitPoints: 1}
	limits := game.Limits{LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15}
	seed := game.LegacySeed(uint64(created.Unix())) //nolint:gosec // a fixed test seed
	g, err := game.New(mode, limits, seed, 1, playerID)
	require.NoError(t, err)
	evs, err := g.Begin(created)
	require.NoError(t, err)
	for now := created; g.Phase() != game.PhaseFinished; now = now.Add(100 * time.Millisecond) {
		evs = append(evs, g.Advance(now)...)
		for _, e := range evs {
			if up, ok := e.(game.MoleUp); ok {
				_, err := g.Whack(game.Whack{PlayerID: playerID, Hole: up.Mole.Hole, MoleID: up.Mole.ID, At: up.Mole.UpAt.Add(300 * time.Millisecond)})
				require.NoError(t, err)
			}
		}
		evs = nil
	}
	id := uuid.NewString()
	require.NoError(t, store.CreateSession(t.Context(), persistence.Session{ID: id, Mode: "classic", Kind: persistence.KindSolo,
		MaxPlayers: 1, CreatorID: playerID, PlayerIDs: []string{playerID}, State: persistence.StateRunning,
		GameSeed: seed[:], CreatedAt: created}))
	res := g.Result().Players[0]
	replay := g.Replay(id)
	out, err := store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: id, Epoch: 1,
		State: persistence.StateFinished, StartedAt: created, EndedAt: created.Add(mode.Duration), Ranked: true,
		Players: []persistence.PlayerResult{{PlayerID: playerID, Username: "ann", Score: res.Score, Hits: res.Hits,
			ReachedAt: res.ReachedAt}},
		Replay: game.PackReplay(replay)}})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	return id, replay
}

func TestAPI_SessionReplay(t *testing.T) {
	t.Parallel()
	h, store := newDBHarness(t, nil)
	me := signIn(t, h, "device-replay-1")
	id, want := playRecorded(t, store, me.Player.ID, testNow.Add(-time.Hour))

	// Anyone may read it: no token.
	w := h.get(t, "/api/v1/sessions/"+id+"/replay", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "public, max-age=3600", w.Header().Get("Cache-Control"))
	body := decode[replayResponse](t, w)
	canonical, err := base64.StdEncoding.DecodeString(body.Canonical)
	require.NoError(t, err)
	sum := sha256.Sum256(canonical)
	require.Equal(t, hex.EncodeToString(sum[:]), body.ReplayHash, "the hash is over the canonical bytes served")
	got, err := game.DecodeReplay(canonical)
	require.NoError(t, err)
	require.Equal(t, want, got)
	require.Equal(t, want.Hash(), body.ReplayHash)
	require.Equal(t, game.Commitment(id, want.Seed), body.SeedCommitment)
	require.Equal(t, want.Seed.Hex(), body.Seed)
	require.Equal(t, []replayPlayerJSON{{PlayerID: me.Player.ID, Username: me.Player.Username}}, body.Players)
	require.Len(t, body.Inputs, 5, "one hit per mole")
	for _, in := range body.Inputs {
		require.Equal(t, "hit", in.Judgement)
		require.Equal(t, in.MoleID, in.Mole)
		require.EqualValues(t, (in.MoleID-1)*int64(time.Second)+int64(300*time.Millisecond), in.AtNs)
	}
	require.Equal(t, 5*time.Second, time.Duration(body.Rules.DurationNs))
	require.EqualValues(t, 5, body.Results[0].Score)

	// A finished game stored without a replay, a running one, an unknown
	// and a malformed id all answer the same 404.
	legacy := playGame(t, store, testNow.Add(-2*time.Hour), persistence.KindSolo, map[string]int64{me.Player.ID: 3})
	running := uuid.NewString()
	require.NoError(t, store.CreateSession(t.Context(), persistence.Session{ID: running, Mode: "classic",
		Kind: persistence.KindSolo, MaxPlayers: 1, CreatorID: me.Player.ID, PlayerIDs: []string{me.Player.ID},
		State: persistence.StateRunning, GameSeed: make([]byte, 32), CreatedAt: testNow}))
	for _, path := range []string{legacy.ID, running, uuid.NewString(), "not-a-uuid"} {
		w := h.get(t, "/api/v1/sessions/"+path+"/replay", "")
		requireError(t, w, http.StatusNotFound, CodeNotFound)
	}
}
