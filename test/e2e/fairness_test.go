package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/internal/testbin"
)

// sessionSeeds is the provably fair part of GET /sessions/{id}.
type sessionSeeds struct {
	State          string `json:"state"`
	SeedCommitment string `json:"seedCommitment"`
	Seed           string `json:"seed"`
}

func sessionSeed(t *testing.T, s *server, token, sessionID string) sessionSeeds {
	t.Helper()
	var out sessionSeeds
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/sessions/"+sessionID, token, nil, &out))
	return out
}

// checkFairness verifies a finished game the way any player could
// (docs/FAIRNESS.md): the revealed seed matches the commitment given at the
// start, never appeared in a frame before game:over, and recomputes exactly
// the moles the game showed from the mode's published rules.
func checkFairness(t *testing.T, s *server, token, sessionID, commitment string, over overPayload) {
	t.Helper()
	seed, err := game.ParseSeed(over.Seed)
	require.NoError(t, err, "game:over reveals the seed")
	require.Equal(t, commitment, game.Commitment(sessionID, seed))
	for _, f := range over.before {
		require.NotContains(t, strings.ToLower(f), over.Seed, "a frame before game:over leaks the seed")
	}
	stored := sessionSeed(t, s, token, sessionID)
	require.Equal(t, sessionSeeds{State: "finished", SeedCommitment: commitment, Seed: over.Seed}, stored)

	checkReplay(t, s, sessionID, over)

	plan := game.Schedule(seed, classicRules(t, s))
	require.NotEmpty(t, over.moles)
	for _, m := range over.moles {
		require.LessOrEqual(t, m.MoleID, int64(len(plan)))
		want := plan[m.MoleID-1]
		require.Equal(t, [3]any{want.Hole, string(want.Kind), (want.Down - want.Up).Milliseconds()},
			[3]any{m.Hole, m.Kind, m.UpMs}, "mole %d", m.MoleID)
	}
}

// classicRules reads the classic mode's schedule rules from GET /modes, as
// a verifier would.
func classicRules(t *testing.T, s *server) game.Mode {
	t.Helper()
	var list struct {
		Modes []struct {
			Name                                   string
			Rows, Cols                             int
			DurationMs, SpawnIntervalMs, VisibleMs int64
			MolesAtOnce                            int
			GoldenChance, BombChance               float64
		}
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/modes", "", nil, &list))
	for _, m := range list.Modes {
		if m.Name == "classic" {
			return game.Mode{
				Name: m.Name, Rows: m.Rows, Cols: m.Cols, Duration: time.Duration(m.DurationMs) * time.Millisecond,
				SpawnInterval: time.Duration(m.SpawnIntervalMs) * time.Millisecond,
				Visible:       time.Duration(m.VisibleMs) * time.Millisecond, MaxMolesUp: m.MolesAtOnce,
				GoldenChance: m.GoldenChance, BombChance: m.BombChance,
			}
		}
	}
	t.Fatal("no classic mode")
	return game.Mode{}
}

// checkReplay reads the finished game's replay with no token, as anyone
// may, and checks it against what the player saw.
func checkReplay(t *testing.T, s *server, sessionID string, over overPayload) {
	t.Helper()
	var replay struct {
		ReplayHash string `json:"replayHash"`
		Canonical  []byte `json:"canonical"`
		Seed       string `json:"seed"`
		Inputs     []struct {
			Judgement string `json:"judgement"`
		} `json:"inputs"`
		Results []struct {
			Score int64 `json:"score"`
		} `json:"results"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/sessions/"+sessionID+"/replay", "", nil, &replay))
	sum := sha256.Sum256(replay.Canonical)
	require.Equal(t, hex.EncodeToString(sum[:]), replay.ReplayHash)
	decoded, err := game.DecodeReplay(replay.Canonical)
	require.NoError(t, err)
	require.Equal(t, sessionID, decoded.SessionID)
	require.Equal(t, over.Seed, replay.Seed)
	require.Len(t, replay.Inputs, int(over.Results[0].Score), "every whack of this game was a hit")
	for _, in := range replay.Inputs {
		require.Equal(t, "hit", in.Judgement)
	}
	require.Equal(t, over.Results[0].Score, replay.Results[0].Score)

	// The independent verifier, as anyone would run it on the public URL.
	url := s.base + "/api/v1/sessions/" + sessionID + "/replay"
	out, err := exec.Command(testbin.Require(t), "verify", url).CombinedOutput() //nolint:gosec // the test's own binary
	require.NoError(t, err, "proofstell verify %s:\n%s", url, out)
	require.Contains(t, string(out), "OK session "+sessionID+": the replay holds")
	require.Contains(t, string(out), "replayHash "+replay.ReplayHash)
}
