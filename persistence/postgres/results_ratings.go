package postgres

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/internal/rating"
	"github.com/proofstell/proofstell/persistence"
)

// Ratings move in the transaction that commits a match (internal/rating
// documents the model). A result is rated when it is a finished match of a
// ranked mode, committed by this call; its rated players are those who were
// neither voided (banned) nor flagged by anti-cheat (Flags > 0): a
// cheater's result moves no rating, their own included, and the others are
// rated among themselves, as if the cheater had not played. Clearing the
// flag later does not rate the match again: ratings move forward only, and
// the honest players' were moved when the match was committed. Fewer than two
// rated players leave the match unrated. A solo game, a practice mode
// (GameResult.Ranked false: the session's rules say so) or an aborted game
// never moves a rating.

// ensureRatingsSQL gives every known player of the call a row to lock: a
// row exists once the player has been rated in the mode. Unknown players
// get none (the foreign key would otherwise fail the whole batch); they
// are rated from the prior and nothing of theirs is kept.
const ensureRatingsSQL = `INSERT INTO player_ratings (player_id, mode, mu, sigma, matches, updated_at)
SELECT u.player_id, u.mode, $3, $4, 0, $5 FROM unnest($1::uuid[], $2::text[]) AS u(player_id, mode)
WHERE EXISTS (SELECT 1 FROM players p WHERE p.id = u.player_id)
ORDER BY u.player_id, u.mode
ON CONFLICT (player_id, mode) DO NOTHING`

// lockRatingsSQL reads the call's ratings and locks them in (player_id,
// mode) order, the order every commit takes, so two commits sharing
// players wait for each other instead of deadlocking, and the second reads
// what the first wrote (READ COMMITTED re-reads a row it waited for).
const lockRatingsSQL = `SELECT r.player_id::text, r.mode, r.mu, r.sigma, r.matches
FROM player_ratings r JOIN unnest($1::uuid[], $2::text[]) AS u(player_id, mode)
	ON r.player_id = u.player_id AND r.mode = u.mode
ORDER BY r.player_id, r.mode
FOR UPDATE OF r`

const updateRatingsSQL = `UPDATE player_ratings r SET mu = u.mu, sigma = u.sigma, matches = u.matches, updated_at = $6
FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], $5::int[]) AS u(player_id, mode, mu, sigma, matches)
WHERE r.player_id = u.player_id AND r.mode = u.mode`

// ratedMatch is one match to rate: its mode and its rated players with
// their scores, in the order of the call.
type ratedMatch struct {
	mode    string
	players []string
	scores  []int64
}

// ratingKey names one rating row.
type ratingKey struct{ playerID, mode string }

// planRatedMatches picks the committed results that move ratings, in the
// order of the call: two matches of one player in a batch are rated one
// after the other, as if committed apart.
func planRatedMatches(results []persistence.GameResult, committed []bool, sessions []committedSession) []ratedMatch {
	var out []ratedMatch
	for i, r := range results {
		cs := sessions[i]
		if !committed[i] || r.State != persistence.StateFinished || !r.Ranked ||
			cs.kind != string(persistence.KindMatch) {
			continue
		}
		if m := ratedPlayers(r, cs.mode); len(m.players) >= 2 {
			out = append(out, m)
		}
	}
	return out
}

// ratedPlayers keeps each player once, without the voided and the flagged.
func ratedPlayers(r persistence.GameResult, mode string) ratedMatch {
	m := ratedMatch{mode: mode}
	seen := make(map[string]bool, len(r.Players))
	for _, p := range r.Players {
		id := strings.ToLower(p.PlayerID)
		if seen[id] || p.Voided != "" || p.Flagged || p.Flags > 0 {
			continue
		}
		seen[id] = true
		m.players, m.scores = append(m.players, id), append(m.scores, p.Score)
	}
	return m
}

// rateMatches moves the ratings of the call's rated matches: it locks the
// rows, rates the matches in order in memory, and writes each row once.
func rateMatches(ctx context.Context, tx pgx.Tx, matches []ratedMatch, now time.Time) error {
	if len(matches) == 0 {
		return nil
	}
	keys := ratingKeys(matches)
	current, err := lockRatings(ctx, tx, keys, now)
	if err != nil {
		return err
	}
	applyMatches(rating.DefaultParams(), current, matches)
	return writeRatings(ctx, tx, keys, current, now)
}

// ratingKeys lists the distinct rows the matches touch, sorted.
func ratingKeys(matches []ratedMatch) []ratingKey {
	seen := map[ratingKey]bool{}
	var keys []ratingKey
	for _, m := range matches {
		for _, p := range m.players {
			k := ratingKey{p, m.mode}
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].playerID != keys[j].playerID {
			return keys[i].playerID < keys[j].playerID
		}
		return keys[i].mode < keys[j].mode
	})
	return keys
}

// lockRatings creates the missing rows and reads every row locked, in one
// round trip. Keys without a row (unknown players) are absent.
func lockRatings(ctx context.Context, tx pgx.Tx, keys []ratingKey, now time.Time) (map[ratingKey]rating.Rating, error) {
	ids, modes := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		ids[i], modes[i] = k.playerID, k.mode
	}
	prior := rating.DefaultParams().Initial()
	current := make(map[ratingKey]rating.Rating, len(keys))
	b := &pgx.Batch{}
	b.Queue(ensureRatingsSQL, ids, modes, prior.Mu, prior.Sigma, now)
	b.Queue(lockRatingsSQL, ids, modes).Query(func(rows pgx.Rows) error {
		var k ratingKey
		var r rating.Rating
		_, err := pgx.ForEachRow(rows, []any{&k.playerID, &k.mode, &r.Mu, &r.Sigma, &r.Matches}, func() error {
			current[k] = r
			return nil
		})
		return err
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, mapErr("lock ratings", err)
	}
	return current, nil
}

// applyMatches rates each match from the ratings before it (the prior for
// a player without a row) and keeps the results in current. Players without
// a row are rated but not kept.
func applyMatches(p rating.Params, current map[ratingKey]rating.Rating, matches []ratedMatch) {
	for _, m := range matches {
		before := make([]rating.Rating, len(m.players))
		for i, id := range m.players {
			r, ok := current[ratingKey{id, m.mode}]
			if !ok {
				r = p.Initial()
			}
			before[i] = r
		}
		after := p.Rate(before, m.scores)
		for i, id := range m.players {
			if k := (ratingKey{id, m.mode}); hasKey(current, k) {
				current[k] = after[i]
			}
		}
	}
}

func hasKey(m map[ratingKey]rating.Rating, k ratingKey) bool {
	_, ok := m[k]
	return ok
}

// writeRatings stores every locked row once, in key order.
func writeRatings(ctx context.Context, tx pgx.Tx, keys []ratingKey, current map[ratingKey]rating.Rating, now time.Time) error {
	var ids, modes []string
	var mus, sigmas []float64
	var matches []int32
	for _, k := range keys {
		r, ok := current[k]
		if !ok {
			continue
		}
		ids, modes = append(ids, k.playerID), append(modes, k.mode)
		mus, sigmas, matches = append(mus, r.Mu), append(sigmas, r.Sigma), append(matches, clamp32(r.Matches))
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, updateRatingsSQL, ids, modes, mus, sigmas, matches, now); err != nil {
		return mapErr("write ratings", err)
	}
	return nil
}
