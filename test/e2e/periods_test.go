package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/internal/nodetest"
	"github.com/proofstell/proofstell/internal/testbin"
)

// TestServer_ModePeriodClosesAndProofs drives the real binary across a UTC
// midnight (DEV_CLOCK_FILE): a frenzy game's day closes and freezes on the
// frenzy board alone, its root and standings are served under ?mode=frenzy
// with their on-chain board name, and the player gets a proof; classic's
// day, where nobody played, has no root.
func TestServer_ModePeriodClosesAndProofs(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a short game")
	}
	t.Parallel()
	clockFile := filepath.Join(t.TempDir(), "clock")
	s := startServer(t, "DEV_CLOCK_FILE="+clockFile)
	admin := adminToken(t, s, "e2e-closes-admin")
	quick := map[string]any{"durationMs": 3000, "spawnIntervalMs": 500, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/frenzy", admin, quick, nil))

	ann, annID := s.guest("e2e-closes-ann")
	ws := dial(t, s, ann)
	game, _ := startGame(t, ws, 1, "frenzy")
	hits, _ := playLikeAPerson(t, ws, game)
	require.Positive(t, hits)
	var page boardPage
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/daily?mode=frenzy", "", nil, &page) == http.StatusOK &&
			page.Total == 1
	}, 10*time.Second, 50*time.Millisecond)
	day := time.Now().UTC().Format("2006-01-02")

	// Move the node's clock just past the next midnight.
	now := time.Now().UTC()
	midnight := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 5, 0, time.UTC)
	require.NoError(t, os.WriteFile(clockFile, []byte(midnight.Sub(now).Round(time.Second).String()), 0o600))

	var frozen struct {
		Mode, ChainBoard, Root, Status string
		LeafCount, LeafVersion         int
		Standings                      []struct {
			Rank     int
			PlayerID string
			Score    int64
		}
	}
	path := "/api/v1/leaderboards/daily/periods/" + day
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, path+"?mode=frenzy", "", nil, &frozen) == http.StatusOK
	}, 20*time.Second, 100*time.Millisecond, "the frenzy day is frozen after midnight")
	require.Equal(t, "frenzy", frozen.Mode)
	require.Equal(t, "frenzy/daily", frozen.ChainBoard)
	require.Equal(t, "pending", frozen.Status)
	require.Equal(t, 1, frozen.LeafCount)
	require.Equal(t, 2, frozen.LeafVersion, "a period frozen now is v2")
	require.Len(t, frozen.Standings, 1)
	require.Equal(t, annID, frozen.Standings[0].PlayerID)
	require.Equal(t, page.Entries[0].Score, frozen.Standings[0].Score)

	var proof periodProof
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, path+"/proof?mode=frenzy&playerId="+annID, "", nil, &proof))
	require.Equal(t, frozen.Root, proof.Root)
	require.Equal(t, 1, proof.Rank)
	require.Equal(t, "frenzy/daily", proof.ChainBoard)
	followProofToReplay(t, s, proof, annID, game)

	var bad struct {
		Error struct{ Code string } `json:"error"`
	}
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, path, "", nil, &bad), "classic's day had no game")
	require.Equal(t, "period_not_frozen", bad.Error.Code)
}

// periodProof is the proof route's body (docs/openapi.yaml PeriodProof).
type periodProof struct {
	Mode, ChainBoard, Root, Leaf, Status string
	Proof                                []string
	Rank                                 int
	Score                                int64
	LeafVersion                          int
	SessionID, ReplayHash                string
	ReplayURL                            string `json:"replayUrl"`
}

// followProofToReplay walks root → proof → replay → whacks as a player
// would: the proof's v2 leaf, rebuilt from its parts and the replay hash,
// folds to the root; the replayUrl serves the game's replay with that very
// hash; and both verifiers (proofstell verify, the TypeScript SDK's
// verifyReplay) accept it.
func followProofToReplay(t *testing.T, s *server, proof periodProof, playerID, sessionID string) {
	t.Helper()
	require.Equal(t, 2, proof.LeafVersion)
	require.Equal(t, sessionID, proof.SessionID)
	require.Equal(t, "/api/v1/sessions/"+sessionID+"/replay", proof.ReplayURL)
	raw, err := hex.DecodeString(proof.ReplayHash)
	require.NoError(t, err)
	require.Len(t, raw, 32)
	require.NotEqual(t, make([]byte, 32), raw, "a ranked game's leaf holds its replay")
	leaf := merkle.Leaf{Rank: uint64(proof.Rank), Player: uuid.MustParse(playerID), Score: uint64(proof.Score)}
	copy(leaf.ReplayHash[:], raw)
	hash, err := merkle.LeafHash(merkle.LeafV2, leaf)
	require.NoError(t, err)
	require.Equal(t, hash, proof.Leaf)
	require.True(t, merkle.Verify(merkle.LeafV2, proof.Root, leaf, proof.Proof), "the proof links the leaf to the root")

	var replay struct {
		ReplayHash string `json:"replayHash"`
		Canonical  []byte `json:"canonical"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, proof.ReplayURL, "", nil, &replay))
	require.Equal(t, proof.ReplayHash, replay.ReplayHash)
	sum := sha256.Sum256(replay.Canonical)
	require.Equal(t, raw, sum[:], "the leaf's hash is the replay's canonical bytes' SHA-256")

	url := s.base + proof.ReplayURL
	out, err := exec.Command(testbin.Require(t), "verify", url).CombinedOutput() //nolint:gosec // the test's own binary
	require.NoError(t, err, "proofstell verify %s:\n%s", url, out)
	require.Contains(t, string(out), "replayHash "+proof.ReplayHash)

	if _, err := os.Stat(filepath.Join(nodetest.SDKDir(), "dist", "node.js")); err != nil {
		t.Fatalf("the TypeScript SDK is not built: run `make sdk` (npm ci and tsc in sdk/typescript): %v", err)
	}
	nodetest.RunIn(t, nodetest.SDKDir(), map[string]string{"PROOFSTELL_REPLAY_URL": url,
		"PROOFSTELL_REPLAY_HASH": proof.ReplayHash}, "test/replay_url.test.mjs")
}
