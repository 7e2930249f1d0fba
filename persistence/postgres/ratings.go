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
