package playbot

import (
	"fmt"
	"strings"
	"time"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// formatStarted describes the game the server opened.
func formatStarted(s Started) string {
	return fmt.Sprintf("game %s: mode %s, %d×%d board, %s", s.SessionID, s.Mode, s.Board.Rows, s.Board.Cols,
		msDuration(s.DurationMs))
}

// formatState describes a state change; reasons are shown as given.
func formatState(c StateChange) string {
	var b strings.Builder
	b.WriteString(c.State)
	switch {
	case c.State == StateWaiting && c.StartsInMs > 0:
		fmt.Fprintf(&b, ": starts in %s", msDuration(c.StartsInMs))
	case c.State == StateStarted && c.RemainingMs > 0:
		fmt.Fprintf(&b, ": %s left", msDuration(c.RemainingMs))
	case c.State == StateStarted:
		b.WriteString(": whack!")
	}
	if c.Reason != "" {
		fmt.Fprintf(&b, " (%s)", c.Reason)
	}
	return b.String()
}

// formatMole describes a mole and what the player does about it.
func formatMole(m Mole, delay time.Duration, whack bool) string {
	what := fmt.Sprintf("%s mole #%d up at hole %d for %s", m.Kind, m.MoleID, m.Hole, msDuration(m.UpMs))
	switch {
	case whack:
		return fmt.Sprintf("%s: whacking in %s", what, delay.Round(time.Millisecond))
	case m.Kind == KindBomb:
		return what + ": a bomb, leaving it"
	default:
		return what + ": too quick, leaving it"
	}
}

// formatHit describes a hit; another player's hit (in a match) names them.
func formatHit(h Hit, me string) string {
	who := "hit"
	if h.PlayerID != me {
		who = "player " + h.PlayerID + " hit"
	}
	return fmt.Sprintf("%s mole #%d at hole %d: %+d, score %d", who, h.MoleID, h.Hole, h.Points, h.Score)
}

// formatMiss describes a refused whack.
func formatMiss(m Miss) string {
	return fmt.Sprintf("miss at hole %d (%s): score %d", m.Hole, m.Reason, m.Score)
}

// formatOver describes the player's result.
func formatOver(r Result, flagged bool) string {
	line := fmt.Sprintf("game over: score %d (%d hits, %d misses)", r.Score, r.Hits, r.Misses)
	if flagged {
		line += ", flagged for review"
	}
	return line
}

// FormatRank describes the player's standing on board; ranked false means
// the board has no entry for the player (yet).
func FormatRank(board string, r wsclient.Standing, ranked bool) string {
	if !ranked {
		return fmt.Sprintf("%s leaderboard: not ranked", board)
	}
	return fmt.Sprintf("%s leaderboard: rank %d of %d (score %d)", board, r.Rank, r.Total, r.Score)
}

// msDuration renders milliseconds as a Go duration ("3s", "800ms").
func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
