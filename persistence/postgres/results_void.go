package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

// bannedSQL reads which of the given players are banned now.
const bannedSQL = `SELECT id::text FROM players WHERE id = ANY($1::uuid[]) AND banned_at IS NOT NULL`

// bannedPlayers reads, inside the commit's transaction, which players of the
// call are banned: a ban committed before this read voids their part.
func bannedPlayers(ctx context.Context, tx pgx.Tx, results []persistence.GameResult) (map[string]bool, error) {
	var ids []string
	for _, r := range results {
		for _, p := range r.Players {
			ids = append(ids, p.PlayerID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, bannedSQL, ids)
	if err != nil {
		return nil, mapErr("read bans", err)
	}
	banned := map[string]bool{}
	var id string
	if _, err := pgx.ForEachRow(rows, []any{&id}, func() error {
		banned[id] = true
		return nil
	}); err != nil {
		return nil, mapErr("read bans", err)
	}
	return banned, nil
}

// voidResults returns the results as they are stored: every player of an
// aborted game voided with the game's reason, and every banned player of a
// finished game voided as banned (a game left with no player that counts is
// aborted as banned). hit[i] reports that result i lost a banned player.
// A result's Flagged is recomputed from its players: it holds a flagged
// result that counts (a voided player's flag holds nothing).
// The inputs are not modified.
func voidResults(results []persistence.GameResult, banned map[string]bool) (out []persistence.GameResult, hit []bool) {
	out, hit = make([]persistence.GameResult, len(results)), make([]bool, len(results))
	for i, r := range results {
		out[i], hit[i] = voidResult(r, banned)
	}
	return out, hit
}

func voidResult(r persistence.GameResult, banned map[string]bool) (persistence.GameResult, bool) {
	players := make([]persistence.PlayerResult, len(r.Players))
	counting, hit := 0, false
	for i, p := range r.Players {
		p.Voided = ""
		switch {
		case r.State == persistence.StateAborted:
			p.Voided = abortReason(r)
		case banned[p.PlayerID]:
			p.Voided, hit = persistence.AbortBanned, true
		default:
			counting++
		}
		players[i] = p
	}
	r.Players = players
	r.Flagged = false
	for _, p := range players {
		r.Flagged = r.Flagged || (p.Flagged && p.Voided == "")
	}
	if r.State == persistence.StateFinished && hit && counting == 0 {
		r.State, r.Reason = persistence.StateAborted, persistence.AbortBanned
	}
	if r.State == persistence.StateAborted {
		r.Reason = abortReason(r)
	} else {
		r.Reason = ""
	}
	return r, hit
}

// abortReason is the stored reason of an aborted result; a caller that gave
// none gets the generic "aborted".
func abortReason(r persistence.GameResult) string {
	if r.Reason == "" {
		return "aborted"
	}
	return r.Reason
}
