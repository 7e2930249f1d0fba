package cluster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// gameWithin bounds one short game from start to game:over (1 s countdown,
// 6 s of play, the commit, and slack for a loaded machine).
const gameWithin = 40 * time.Second

// hostedGame is a solo game whose host member is known.
type hostedGame struct {
	player player
	from   *member // the member holding the player's socket
	host   *member // the member hosting the session grain
	game   *game
	done   chan error
	// warm is closed once the player has warmHits hits: the game runs and
	// the host has judged (and snapshotted) part of it.
	warm <-chan struct{}
}

// warmHits is how many hits make a game "mid-game" for the failover tests.
const warmHits = 3

// startHosted starts a solo game for a new guest connected to from, finds
// the member hosting its session and plays it on its own goroutine. Games
// must be started one at a time (see hostAfter).
func startHosted(t testing.TB, g *group, from *member, device, mode string) *hostedGame {
	t.Helper()
	return startHostedWith(t, g, from, device, mode, false)
}

// startResilient is startHosted for a client that reconnects to another
// member and resumes whenever its socket closes.
func startResilient(t testing.TB, g *group, from *member, device, mode string) *hostedGame {
	t.Helper()
	return startHostedWith(t, g, from, device, mode, true)
}

func startHostedWith(t testing.TB, g *group, from *member, device, mode string, resilient bool) *hostedGame {
	t.Helper()
	p := guest(t, from, device)
	s := dial(t, from, p)
	before := g.sessionCounts()
	gm := startSolo(t, s, mode)
	h := &hostedGame{player: p, from: from, host: g.hostAfter(t, before), game: gm, done: make(chan error, 1),
		warm: gm.afterHits(warmHits)}
	if !resilient {
		go func() { h.done <- gm.play(s, gameWithin) }()
		return h
	}
	go func() {
		last, err := gm.playThrough(g, s, p, gameWithin)
		if last != nil {
			last.close()
		}
		h.done <- err
	}()
	return h
}

// requireFullGame checks a game played without trouble: every mole judged
// a hit (the last may land after the end), no misses, the score in
// game:over is the hits, and one result is stored.
func requireFullGame(t testing.TB, g *group, h *hostedGame) {
	t.Helper()
	gm := h.game
	require.NoError(t, <-h.done)
	require.GreaterOrEqual(t, len(gm.moles), 15, "a 6 s game spawns a mole every 300 ms")
	require.GreaterOrEqual(t, gm.hits, len(gm.moles)-1, "every mole whacked 250 ms after it appeared is a hit")
	require.Empty(t, gm.misses)
	for code := range gm.errs {
		require.Contains(t, []string{"game_not_running", "game_over"}, code, "only a whack after the end may be refused")
	}
	require.False(t, gm.over.Flagged)
	got := gm.score(t, h.player.id)
	require.EqualValues(t, gm.hits, got.Score)
	require.Equal(t, gm.hits, got.Hits)
	g.requireOneResult(t, gm.sessionID, map[string]int64{h.player.id: got.Score})
}

// startUntil starts games for new guests on from, one at a time and all
// played at once, until enough holds for the games so far; at most
// maxPlacementTries (each game's host is one member at random).
func startUntil(t testing.TB, g *group, from *member, prefix, mode string, enough func([]*hostedGame) bool) []*hostedGame {
	t.Helper()
	var games []*hostedGame
	for i := 0; i < maxPlacementTries && !enough(games); i++ {
		games = append(games, startHosted(t, g, from, fmt.Sprintf("%s-%02d", prefix, i), mode))
	}
	return games
}

// maxPlacementTries bounds startUntil: the chance that a member hosts none
// of them is (2/3)^10 < 2% with three members, (1/2)^10 < 0.1% with two.
const maxPlacementTries = 10

// hostedBy returns the first game hosted by a member accepted by is, or nil.
func hostedBy(games []*hostedGame, is func(*member) bool) *hostedGame {
	for _, h := range games {
		if is(h.host) {
			return h
		}
	}
	return nil
}

// requireSurvived checks a game that lived through a failover: it ended
// with game:over, exactly one result stored with the score game:over
// announced, and that score no more than the hits the player saw plus the
// whacks whose answer was lost with a closing socket (hits judged after the
// last snapshot die with a killed host; a hit judged just before the
// player's socket closed counts though its frame never arrived). When lossless
// (the grain moved between live members, which snapshot as they stop),
// the score is every hit the player saw.
func requireSurvived(t testing.TB, g *group, h *hostedGame, lossless bool) {
	t.Helper()
	gm := h.game
	require.NotNil(t, gm.over, "game %s never ended", gm.sessionID)
	got := gm.score(t, h.player.id)
	require.LessOrEqual(t, got.Score, int64(gm.hits+gm.unanswered()), "game %s scored more than the player hit", gm.sessionID)
	if lossless {
		require.EqualValues(t, gm.hits, got.Score, "game %s lost hits; trail:\n%s", gm.sessionID, strings.Join(gm.trail, "\n"))
	}
	require.Positive(t, got.Score)
	g.requireOneResult(t, gm.sessionID, map[string]int64{h.player.id: got.Score})
}

// requireUnflagged checks that no game was flagged for cheating: the test
// clients play honestly, and a failover must not make an honest player look
// like a bot (a flagged game earns no leaderboard entry). Tests call it
// last, so that its failure means everything else held.
func requireUnflagged(t testing.TB, games ...*hostedGame) {
	t.Helper()
	for _, h := range games {
		gm := h.game
		require.False(t, gm.over.Flagged, "game %s flagged; misses %v; trail:\n%s",
			gm.sessionID, gm.misses, strings.Join(gm.trail, "\n"))
	}
}

// waitWarm waits until h's player has warmHits hits.
func waitWarm(t testing.TB, h *hostedGame) {
	t.Helper()
	select {
	case <-h.warm:
	case err := <-h.done:
		require.Failf(t, "game ended before it warmed up", "game %s: %v; states %v", h.game.sessionID, err, h.game.stateNames())
	case <-time.After(gameWithin):
		require.Failf(t, "game never warmed up", "game %s", h.game.sessionID)
	}
}
