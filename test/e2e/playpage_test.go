package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// reactionTime is how long the browser player waits after a mole shows
// before pressing its key: a human's, above the node's GAME_MIN_REACTION
// (80 ms), so no whack is refused as too fast and the game is not flagged.
const reactionTime = 150 * time.Millisecond

// TestServer_PlayPage plays the node's play page (/play, gateway/playpage) in
// headless Chromium the way a person would: it signs in as a guest, starts
// a solo game in a short mode, reads the board (a mole up at data-hole N)
// and presses key N+1, then checks that the score the page shows is the
// one the node stored, that the live leaderboard shows the player with it,
// that the page fits a phone's width, and that the console stayed clean.
// Screenshots are saved in the test's temporary directory (or in
// $PROOFSTELL_SCREENSHOTS) and their paths logged. Chromium comes from
// Debian's chromium package (.ci/run installs it).
func TestServer_PlayPage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Chromium")
	}
	s := startServer(t)
	addMode(t, s, nodeMode)
	ctx := newBrowser(t)
	console := watchConsole(ctx)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.EmulateViewport(1024, 900),
		chromedp.Navigate(s.base+"/play?mode="+nodeMode),
		chromedp.WaitEnabled("#start"),
		chromedp.Click("#start"),
	))
	require.Positive(t, playToTheEnd(ctx, t, whackKey), "the browser player pressed keys")

	score := evaluate[string](ctx, t, `document.querySelector("#result").dataset.score`)
	playerID := evaluate[string](ctx, t, `document.querySelector("#player").dataset.playerId`)
	// A whack late on a busy machine is a miss (expired), so the hits are
	// not the presses; the score must still be the node's.
	require.NotEqual(t, "0", evaluate[string](ctx, t, `document.querySelector("#hits").textContent`), "the keys hit moles")
	require.Equal(t, score, storedDailyScore(t, s, evaluate[string](ctx, t, `localStorage.getItem("proofstell.deviceId")`), playerID),
		"the page shows the score the node stored")
	// The live leaderboard (leaderboard:update) shows the player with that score, and their rank.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector('#leaderboard li.me[data-player-id=%q]')?.dataset.score === %q && document.querySelector("#rank").dataset.rank === "1"`,
		playerID, score), chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the leaderboard shows the player with score %s", score)
	screenshot(ctx, t, "play-desktop.png")
	// Another period's board: the all-time one has the game too.
	evaluate[bool](ctx, t, `(() => { const s = document.querySelector("#period"); s.value = "global"; return s.dispatchEvent(new Event("change")); })()`)
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('#leaderboard li.me')?.dataset.score === %q`, score),
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the all-time board shows the player")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.querySelector('#history li[data-session-id]')?.dataset.score === %q`, score),
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the game history shows the game")

	checkPhoneWidth(ctx, t, s.base+"/play")
	screenshot(ctx, t, "play-phone.png")
	require.Empty(t, console.errors(), "the page wrote no errors to the console")
}

// newBrowser starts headless Chromium for the test; it is stopped when the
// test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (Debian's chromium package; .ci/run installs it): %v", err)
	}
	var output syncBuffer
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(&output),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		if t.Failed() {
			t.Logf("chromium output:\n%s", output.String())
		}
	})
	return ctx
}

// consoleLog collects the page's console errors, uncaught exceptions and
// browser log errors (a refused request, a CSP violation).
type consoleLog struct {
	mu   sync.Mutex
	errs []string
}

func watchConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.errs = append(c.errs, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				c.mu.Unlock()
			}
		}
	}()
	return c
}

func (c *consoleLog) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errs...)
}

// boardView is what the test reads off the page: the game's end, and the
// moles up (data-hole, data-mole, data-kind of each hole with a mole).
type boardView struct {
	Over bool `json:"over"`
	Up   []struct {
		Hole int    `json:"hole"`
		Mole string `json:"mole"`
		Kind string `json:"kind"`
	} `json:"up"`
}

const readBoard = `({
	over: document.querySelector("#result[data-score]") !== null,
	up: [...document.querySelectorAll("#board [data-mole]")].map((e) => ({hole: Number(e.dataset.hole), mole: e.dataset.mole, kind: e.dataset.kind})),
})`

// whackKey whacks the mole at hole with the hole's key (1–9).
func whackKey(hole int) chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent(strconv.Itoa(hole + 1))
}

// whackClick whacks the mole at hole with the mouse.
func whackClick(hole int) chromedp.Action[chromedp.Void] {
	return chromedp.Click(fmt.Sprintf(`#board [data-hole="%d"]`, hole))
}

// spreadOf is what the browser player adds to reactionTime on a mole: 0,
// 100 or 200 ms, as personSpread, from the mole's id as the page shows it.
func spreadOf(mole string) time.Duration {
	id, _ := strconv.ParseInt(mole, 10, 64)
	return personSpread(id)
}

// playToTheEnd whacks every mole but bombs with whack, a reaction time
// after it shows, until the page shows the result; it returns the presses.
func playToTheEnd(ctx context.Context, t *testing.T, whack func(hole int) chromedp.Action[chromedp.Void]) (presses int) {
	t.Helper()
	seen := map[string]time.Time{}
	pressed := map[string]bool{}
	tick := time.NewTicker(20 * time.Millisecond) // a person's eyes, not a wait for the node
	defer tick.Stop()
	for {
		view := evaluate[boardView](ctx, t, readBoard)
		if view.Over {
			return presses
		}
		for _, up := range view.Up {
			if _, ok := seen[up.Mole]; !ok {
				seen[up.Mole] = time.Now()
			}
			if up.Kind == "bomb" || pressed[up.Mole] || up.Hole > 8 || time.Since(seen[up.Mole]) < reactionTime+spreadOf(up.Mole) {
				continue
			}
			pressed[up.Mole] = true
			presses++
			require.NoError(t, chromedp.Do(ctx, whack(up.Hole)))
			if presses == 1 {
				screenshot(ctx, t, "play-game.png") // the game running
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the game did not end: %v", ctx.Err())
		case <-tick.C:
		}
	}
}

// storedDailyScore signs the page's device in from Go (the same guest) and
// reads its score on nodeMode's daily board (the mode the page played) from
// the node, once the board has it.
func storedDailyScore(t *testing.T, s *server, deviceID, playerID string) string {
	t.Helper()
	pair := signInGuest(t, s, deviceID)
	require.Equal(t, playerID, pair.Player.ID, "the page's device id names the page's player")
	var me struct{ Rank, Score, Total int64 }
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/daily/me?mode="+nodeMode, pair.AccessToken, nil, &me) == http.StatusOK
	}, 10*time.Second, 50*time.Millisecond, "the daily board has the game")
	return strconv.FormatInt(me.Score, 10)
}

// checkPhoneWidth loads url in a 390 px wide viewport: nothing may be wider
// than the screen, and the text stays legible.
func checkPhoneWidth(ctx context.Context, t *testing.T, url string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(url),
		chromedp.WaitEnabled("#start"),
	))
	require.True(t, evaluate[bool](ctx, t, `document.documentElement.scrollWidth <= window.innerWidth`),
		"no horizontal overflow at 390 px (scrollWidth %v)", evaluate[float64](ctx, t, `document.documentElement.scrollWidth`))
	size := evaluate[float64](ctx, t, `parseFloat(getComputedStyle(document.querySelector("#status")).fontSize)`)
	require.GreaterOrEqual(t, size, 16.0, "legible text at phone width")
	holeWidth := evaluate[float64](ctx, t, `document.querySelector('[data-hole="0"]').getBoundingClientRect().width`)
	require.GreaterOrEqual(t, holeWidth, 44.0, "holes big enough to tap")
}

func evaluate[T any](ctx context.Context, t *testing.T, expression string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expression))
	require.NoError(t, err, expression)
	return v
}

// screenshot saves the page as name in $PROOFSTELL_SCREENSHOTS, or in the
// test's temporary directory, and logs the path.
func screenshot(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	dir := os.Getenv("PROOFSTELL_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, png, 0o600)) //nolint:gosec // G703: the test's directory or the one the developer named
	t.Logf("screenshot: %s", path)
}

// TestServer_PlayPageMatch plays a match between two browser profiles (two
// guests): one creates it and shares the code the page shows, the other
// joins with it, the creator begins and plays with the mouse, and both pages show
// the result with the players' places.
func TestServer_PlayPageMatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server binary and Chromium")
	}
	s := startServer(t)
	addMode(t, s, nodeMode)
	host := newBrowser(t)
	// The browser must run before a second profile (its own localStorage:
	// another guest) can open in it.
	require.NoError(t, chromedp.Do(host))
	guest, cancel := chromedp.NewContext(host, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	hostConsole, guestConsole := watchConsole(host), watchConsole(guest)

	require.NoError(t, chromedp.Do(host,
		chromedp.Navigate(s.base+"/play?mode="+nodeMode),
		chromedp.WaitEnabled("#create"),
		chromedp.Click("#create"),
		chromedp.WaitVisible("#match-code"),
	))
	code, err := chromedp.Run(host, chromedp.Text("#match-code"))
	require.NoError(t, err)
	require.NotEmpty(t, code)
	require.NoError(t, chromedp.Do(guest,
		chromedp.Navigate(s.base+"/play"),
		chromedp.WaitEnabled("#join"),
		chromedp.SendKeys("#code", code),
		chromedp.Click("#join"),
		chromedp.WaitReady(`#board [data-hole="8"]`),
	))
	_, err = chromedp.Run(host, chromedp.Poll[bool](`document.querySelector("#status").textContent.includes("2 players")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the creator sees the second player")
	require.NoError(t, chromedp.Do(host, chromedp.Click("#begin")))
	require.Positive(t, playToTheEnd(host, t, whackClick), "the creator clicked moles")
	require.NotEqual(t, "0", evaluate[string](host, t, `document.querySelector("#hits").textContent`), "the clicks hit moles")

	for name, ctx := range map[string]context.Context{"creator": host, "guest": guest} {
		result, err := chromedp.Run(ctx, chromedp.Poll[string](
			`document.querySelector("#result[data-score]")?.textContent`, chromedp.WithPollingTimeout(10*time.Second)))
		require.NoError(t, err, name)
		require.Contains(t, result, "of 2", "%s sees the places", name)
	}
	_, err = chromedp.Run(host, chromedp.Poll[bool](`document.querySelector("#leaderboard li.me") !== null`,
		chromedp.WithPollingTimeout(10*time.Second)))
	require.NoError(t, err, "the creator's leaderboard shows them")
	screenshot(host, t, "play-match.png")
	require.Empty(t, hostConsole.errors(), "the creator's console")
	require.Empty(t, guestConsole.errors(), "the guest's console")
}
