package e2e

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testbin"
	"github.com/proofstell/proofstell/internal/testports"
)

// playMode is a 4-second mode inserted for the bot (classic lasts 30 s).
const playMode = "play-short"

var gameOverLine = regexp.MustCompile(`(?m)^game over: score (\d+) \((\d+) hits, (\d+) misses\)$`)

// TestServer_PlayCommand runs `proofstell play` as a person would against a
// node: it plays a whole solo game as a guest, prints it, exits 0, and its
// score is on the daily board over REST. A refused game and an unreachable
// node exit 1 with a message saying so.
func TestServer_PlayCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary for a whole game")
	}
	s := startServer(t)
	addMode(t, s, playMode)
	home := t.TempDir()

	out, code := runPlay(t, home, "--url", s.base+"/", "--mode", playMode)
	require.Equal(t, 0, code, out)
	t.Logf("proofstell play:\n%s", out)
	for _, want := range []string{"signed in as ", "game ", "mode " + playMode + ", 3×3 board, 4s",
		"waiting: starts in 500ms", "started: whack!", "mole #1 up at hole ", ": whacking in ", "hit mole #"} {
		require.Contains(t, out, want)
	}
	m := gameOverLine.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	score, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	require.Positive(t, score, "a person whacking in 200–550 ms catches 800 ms moles")
	require.Contains(t, out, fmt.Sprintf("daily leaderboard: rank 1 of 1 (score %d)", score))

	// The bot kept its device id: the same guest, ranked with that score.
	device, err := os.ReadFile(filepath.Join(home, "proofstell", "device-id"))
	require.NoError(t, err)
	token, _ := s.guest(strings.TrimSpace(string(device)))
	var me struct{ Rank, Score, Total int64 }
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/daily/me?mode="+playMode, token, nil, &me))
	require.Equal(t, struct{ Rank, Score, Total int64 }{1, score, 1}, me)

	out, code = runPlay(t, home, "--url", s.base, "--mode", "no-such-mode")
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "proofstell: game refused: ")
	require.Contains(t, out, "(unknown_mode)")

	out, code = runPlay(t, home, "--url", fmt.Sprintf("http://127.0.0.1:%d", testports.Free(t)))
	require.Equal(t, 1, code, out)
	require.Contains(t, out, "proofstell: cannot reach a node at http://127.0.0.1:")
}

// runPlay runs `proofstell play args…` with home as the user's config
// directory and returns its combined output and exit code.
func runPlay(t *testing.T, home string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(testbin.Require(t), append([]string{"play"}, args...)...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+home, "HOME="+home)
	cmd.Dir = t.TempDir() // no .env from the working directory
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return string(out), exit.ExitCode()
	}
	require.NoError(t, err, string(out))
	return string(out), 0
}
