package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/proofstell/proofstell/bench/internal/parallel"
	"github.com/proofstell/proofstell/bench/internal/population"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/internal/rating"
)

// player is one signed-in guest and the rating it is given.
type player struct {
	id     string
	token  string
	rating rating.Rating
}

// signIn signs in one guest per player; the ones that failed are counted
// and left out. Guest i gets the population's rating i.
func signIn(ctx context.Context, cfg config, ratings []rating.Rating, failed map[string]int) []player {
	players := make([]player, cfg.Players)
	parallel.ForEach(ctx, cfg.Players, cfg.Concurrency, func(i int) {
		if login, err := wsclient.GuestLogin(ctx, "http://"+cfg.Addr, cfg.deviceID(i)); err == nil {
			players[i] = player{id: login.Player.ID, token: login.AccessToken, rating: ratings[i]}
		}
	})
	out := players[:0]
	for _, p := range players {
		if p.token != "" {
			out = append(out, p)
		}
	}
	if n := cfg.Players - len(out); n > 0 {
		failed["login"] += n
	}
	return out
}

// seedRatings writes the players' ratings in mode to player_ratings (an
// upsert, so a rerun against the same database resets them) through psql,
// the same client bench/run.sh uses: the benchmark needs no database
// driver of its own.
func seedRatings(ctx context.Context, db, mode string, players []player) error {
	var b strings.Builder
	b.WriteString("\\set ON_ERROR_STOP on\nBEGIN;\n")
	b.WriteString("CREATE TEMP TABLE bench_ratings (player_id uuid, mu double precision, sigma double precision, matches integer) ON COMMIT DROP;\n")
	b.WriteString("COPY bench_ratings FROM STDIN WITH (FORMAT csv);\n")
	for _, p := range players {
		fmt.Fprintf(&b, "%s,%.6f,%.6f,%d\n", p.id, p.rating.Mu, p.rating.Sigma, p.rating.Matches)
	}
	b.WriteString("\\.\n")
	fmt.Fprintf(&b, `INSERT INTO player_ratings (player_id, mode, mu, sigma, matches)
  SELECT player_id, %s, mu, sigma, matches FROM bench_ratings
  ON CONFLICT (player_id, mode) DO UPDATE SET mu = EXCLUDED.mu, sigma = EXCLUDED.sigma, matches = EXCLUDED.matches;
COMMIT;
`, quoteLiteral(mode))
	cmd := exec.CommandContext(ctx, "psql", "-q", "-X", db) //nolint:gosec // G204: the operator's own database URL, checked to be loopback
	cmd.Stdin = strings.NewReader(b.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("seed ratings with psql: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// quoteLiteral is mode as an SQL string literal.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ordinals maps each player id to the skill the matchmaker sees: the
// seeded rating's ordinal, or 0 (the prior's) when nothing was seeded.
func ordinals(players []player, seeded bool) map[string]float64 {
	m := make(map[string]float64, len(players))
	for _, p := range players {
		if seeded {
			m[p.id] = p.rating.Ordinal()
		} else {
			m[p.id] = rating.Default().Ordinal()
		}
	}
	return m
}

// drawRatings is the population of cfg's run.
func drawRatings(cfg config) []rating.Rating { return population.Draw(cfg.Players, cfg.Seed) }
