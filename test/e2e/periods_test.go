package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
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
		LeafCount                      int
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
	require.Len(t, frozen.Standings, 1)
	require.Equal(t, annID, frozen.Standings[0].PlayerID)
	require.Equal(t, page.Entries[0].Score, frozen.Standings[0].Score)

	var proof struct {
		Mode, ChainBoard, Root string
		Rank                   int
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, path+"/proof?mode=frenzy&playerId="+annID, "", nil, &proof))
	require.Equal(t, frozen.Root, proof.Root)
	require.Equal(t, 1, proof.Rank)
	require.Equal(t, "frenzy/daily", proof.ChainBoard)

	var bad struct {
		Error struct{ Code string } `json:"error"`
	}
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, path, "", nil, &bad), "classic's day had no game")
	require.Equal(t, "period_not_frozen", bad.Error.Code)
}
