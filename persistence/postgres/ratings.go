package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/internal/rating"
	"github.com/proofstell/proofstell/persistence"
)

// Ratings returns the rating in mode of each of playerIDs, keyed by the ids
// as given. A player never rated in the mode (or an id that is not a
// player's) has the model's prior, rating.Default(). One indexed read, for
// the matchmaker's skill windows.
func (s *Store) Ratings(ctx context.Context, mode string, playerIDs []string) (map[string]rating.Rating, error) {
	defer observe("ratings", time.Now())
	out := make(map[string]rating.Rating, len(playerIDs))
	var valid []string
	for _, id := range playerIDs {
		out[id] = rating.Default()
		if validID(id) {
			valid = append(valid, strings.ToLower(id))
		}
	}
	if len(valid) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT player_id::text, mu, sigma, matches FROM player_ratings
		WHERE mode = $1 AND player_id = ANY($2::uuid[])`, mode, valid)
	if err != nil {
		return nil, mapErr("ratings in "+mode, err)
	}
	stored := make(map[string]rating.Rating, len(valid))
	var id string
	var r rating.Rating
	if _, err := pgx.ForEachRow(rows, []any{&id, &r.Mu, &r.Sigma, &r.Matches}, func() error {
		stored[id] = r
		return nil
	}); err != nil {
		return nil, mapErr("ratings in "+mode, err)
	}
	for _, given := range playerIDs {
		if r, ok := stored[strings.ToLower(given)]; ok {
			out[given] = r
		}
	}
	return out, nil
}

// modeRatings scans the aggregated ratings of one player (playerStatsSQL).
func modeRatings(modes []string, mus, sigmas []float64, matches []int32) ([]persistence.ModeRating, error) {
	if len(mus) != len(modes) || len(sigmas) != len(modes) || len(matches) != len(modes) {
		return nil, fmt.Errorf("ratings: %d modes but %d/%d/%d values", len(modes), len(mus), len(sigmas), len(matches))
	}
	if len(modes) == 0 {
		return nil, nil // a player never rated: Stats stays comparable to its zero value
	}
	out := make([]persistence.ModeRating, len(modes))
	for i, m := range modes {
		out[i] = persistence.ModeRating{Mode: m, Rating: rating.Rating{Mu: mus[i], Sigma: sigmas[i], Matches: int(matches[i])}}
	}
	return out, nil
}

// recentSoloSQL walks the player's history index (newest first) and keeps
// their finished solo games they were not voided from.
const recentSoloSQL = `SELECT sp.hits, sp.misses, coalesce(sp.median_reaction_ms, 0)
FROM session_players sp JOIN sessions s ON s.id = sp.session_id
WHERE sp.player_id = $1 AND sp.voided IS NULL AND s.kind = 'solo' AND s.state = 'finished'
ORDER BY sp.session_created_at DESC, sp.session_id DESC
LIMIT $2`

// RecentSoloGames returns up to limit of the player's latest finished solo
// games, newest first: the form the default level of their next solo game
// follows. An unknown or malformed player has none.
func (s *Store) RecentSoloGames(ctx context.Context, playerID string, limit int) ([]persistence.SoloForm, error) {
	defer observe("recent_solo_games", time.Now())
	if !validID(playerID) || limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, recentSoloSQL, playerID, limit)
	if err != nil {
		return nil, mapErr("recent solo games of "+playerID, err)
	}
	var out []persistence.SoloForm
	var g persistence.SoloForm
	var reactionMs int32
	if _, err := pgx.ForEachRow(rows, []any{&g.Hits, &g.Misses, &reactionMs}, func() error {
		g.MedianReaction = time.Duration(reactionMs) * time.Millisecond
		out = append(out, g)
		return nil
	}); err != nil {
		return nil, mapErr("recent solo games of "+playerID, err)
	}
	return out, nil
}

// recentPlaySQL walks each player's history index (newest first) and keeps
// the games the consistency detector counted (migration 030).
const recentPlaySQL = `SELECT p.id::text, h.reaction_samples, h.reaction_in_band, h.hits, h.misses
FROM unnest($1::uuid[]) AS p(id)
CROSS JOIN LATERAL (
	SELECT sp.reaction_samples, sp.reaction_in_band, sp.hits, sp.misses, sp.session_created_at, sp.session_id
	FROM session_players sp
	WHERE sp.player_id = p.id AND sp.reaction_samples IS NOT NULL AND sp.voided IS NULL
	ORDER BY sp.session_created_at DESC, sp.session_id DESC
	LIMIT $2) h
ORDER BY p.id, h.session_created_at DESC, h.session_id DESC`

// RecentPlay returns up to limit of each player's latest committed games
// the consistency detector counted, newest first; a player without any
// (or with a malformed id) is absent from the map.
func (s *Store) RecentPlay(ctx context.Context, playerIDs []string, limit int) (map[string][]persistence.RecentPlay, error) {
	defer observe("recent_play", time.Now())
	ids := make([]string, 0, len(playerIDs))
	for _, id := range playerIDs {
		if validID(id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 || limit <= 0 {
		return map[string][]persistence.RecentPlay{}, nil
	}
	rows, err := s.pool.Query(ctx, recentPlaySQL, ids, limit)
	if err != nil {
		return nil, mapErr("recent play", err)
	}
	out := map[string][]persistence.RecentPlay{}
	var id string
	var g persistence.RecentPlay
	if _, err := pgx.ForEachRow(rows, []any{&id, &g.Samples, &g.InBand, &g.Hits, &g.Misses}, func() error {
		out[id] = append(out[id], g)
		return nil
	}); err != nil {
		return nil, mapErr("recent play", err)
	}
	return out, nil
}
