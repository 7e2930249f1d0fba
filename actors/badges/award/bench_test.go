package award_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// The badge benchmarks measure what the badge worker pays per committed
// game (bench/results/2026-11-25-badges.md). They run only with -bench.

// benchModes are the seeded game modes a history rotates through.
var benchModes = []string{"classic", "classic-easy", "classic-hard", "frenzy"}

const (
	// benchCrowd players with benchCrowdGames finished solo games each
	// surround the measured players, so the planner sees tables of a live
	// server (200,000 sessions) rather than a few hundred rows.
	benchCrowd      = 10_000
	benchCrowdGames = 20
)

// benchHistories are the history lengths measured: 200 finished games is
// the brief's "realistic" player, 1,000 shows how the cost grows.
var benchHistories = []int{200, 1000}

// benchStart is when every bench history begins.
var benchStart = time.Date(2026, 9, 25, 12, 0, 0, 0, time.UTC)

// openBenchStore is a real store on a fresh database and its URL.
func openBenchStore(b *testing.B) (*postgres.Store, string) {
	b.Helper()
	url := pgtest.NewDatabase(b)
	s, err := postgres.Open(b.Context(), config.Database{URL: url, MaxConns: 4},
		func() time.Time { return benchStart.Add(365 * 24 * time.Hour) })
	require.NoError(b, err)
	b.Cleanup(s.Close)
	return s, url
}

// rivalsWithHistory creates two players who played games finished
// two-player matches against each other (several a day, with gaps),
// committed through CommitResults as the game servers do.
func rivalsWithHistory(b *testing.B, s *postgres.Store, rng *rand.Rand, games int) [2]string {
	b.Helper()
	players := []persistence.Player{benchGuest(b, s), benchGuest(b, s)}
	results := make([]persistence.GameResult, 0, games)
	for i := range games {
		end := benchStart.Add(time.Duration(i) * 7 * time.Hour)
		results = append(results, benchMatch(b, s, rng, benchModes[i%len(benchModes)], end, players))
	}
	for len(results) > 0 {
		n := min(len(results), 500)
		_, err := s.CommitResults(b.Context(), results[:n])
		require.NoError(b, err)
		results = results[n:]
	}
	return [2]string{players[0].ID, players[1].ID}
}

func benchGuest(b *testing.B, s *postgres.Store) persistence.Player {
	b.Helper()
	p, _, err := s.GuestByDevice(b.Context(), "device-"+uuid.NewString())
	require.NoError(b, err)
	return p
}

// benchMatch creates the session of a finished match of players and
// returns its result, with scores, misses and combos drawn from rng.
func benchMatch(b *testing.B, s *postgres.Store, rng *rand.Rand, mode string, end time.Time,
	players []persistence.Player,
) persistence.GameResult {
	b.Helper()
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{ID: uuid.NewString(), Mode: mode, Kind: persistence.KindMatch, MaxPlayers: len(players),
		CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(b, s.CreateSession(b.Context(), ss))
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished,
		StartedAt: end.Add(-30 * time.Second), EndedAt: end}
	for _, p := range players {
		hits := rng.IntN(28)
		r.Players = append(r.Players, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username,
			Score: int64(hits), Hits: hits, Misses: rng.IntN(4), BestCombo: rng.IntN(hits + 1), ReachedAt: end})
	}
	return r
}

// loadCrowd bulk-inserts the other players and their finished solo games,
// then refreshes the planner statistics as autovacuum would.
func loadCrowd(b *testing.B, url string) {
	b.Helper()
	conn, err := pgx.Connect(b.Context(), url)
	require.NoError(b, err)
	defer func() { _ = conn.Close(context.Background()) }()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`SELECT setseed(0.5)`, nil},
		{`INSERT INTO players (id, username) SELECT gen_random_uuid(), 'crowd_' || i FROM generate_series(1, $1::int) i`,
			[]any{benchCrowd}},
		{`INSERT INTO sessions (id, mode, kind, max_players, creator_id, player_ids, state, seed, created_at,
			started_at, ended_at)
		SELECT gen_random_uuid(), (ARRAY['classic','classic-easy','classic-hard','frenzy'])[1 + g % 4], 'solo', 1,
			p.id, ARRAY[p.id], 'finished', 1, t - interval '1 minute', t - interval '30 seconds', t
		FROM players p CROSS JOIN generate_series(1, $1::int) g
		CROSS JOIN LATERAL (SELECT $2::timestamptz + g * interval '26 hours' AS t) e
		WHERE p.username LIKE 'crowd\_%'`, []any{benchCrowdGames, benchStart}},
		{`INSERT INTO session_players (session_id, player_id, session_created_at, score, hits, misses, best_combo,
			reached_at)
		SELECT id, creator_id, created_at, h, h, (random() * 3)::int, (random() * h)::int, ended_at
		FROM (SELECT *, (random() * 27)::int AS h FROM sessions WHERE kind = 'solo') s`, nil},
		{`ANALYZE`, nil},
	} {
		_, err := conn.Exec(b.Context(), st.sql, st.args...)
		require.NoError(b, err, st.sql)
	}
}

// BenchmarkAssess is the pure part of an evaluation: the seeded catalogue
// assessed against the facts of a player with 200 finished games
// (criteria decoded each time, as EvaluatePlayers does).
func BenchmarkAssess(b *testing.B) {
	s, _ := openBenchStore(b)
	ctx := context.Background()
	rivals := rivalsWithHistory(b, s, rand.New(rand.NewPCG(1, 2)), benchHistories[0])
	catalogue, err := s.Badges(ctx, true)
	require.NoError(b, err)
	facts, err := s.BadgeFacts(ctx, rivals[0])
	require.NoError(b, err)
	f := award.FactsOf(facts, nil)
	b.ReportAllocs()
	for b.Loop() {
		if len(award.Assess(catalogue, f)) != len(catalogue) {
			b.Fatal("a seeded badge did not decode")
		}
	}
}

// BenchmarkEvaluatePlayers is what the badge worker pays per committed
// game against real Postgres, in the steady state where the game earns no
// new badge (an evaluation before the timer awards what the history
// earned): for one player of a two-player match, for the whole match, and
// the store reads one player's evaluation is made of, per history length.
func BenchmarkEvaluatePlayers(b *testing.B) {
	s, url := openBenchStore(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	pairs := make([][2]string, len(benchHistories))
	for i, games := range benchHistories {
		pairs[i] = rivalsWithHistory(b, s, rng, games)
	}
	loadCrowd(b, url)
	for i, games := range benchHistories {
		a, o := pairs[i][0], pairs[i][1]
		awards, err := award.EvaluatePlayers(ctx, s, []string{a, o}, nil)
		require.NoError(b, err)
		require.NotEmpty(b, awards, "the history earns badges")
		facts, err := s.BadgeFacts(ctx, a)
		require.NoError(b, err)
		require.Equal(b, int64(games), facts.GamesPlayed)
		for _, bc := range []struct {
			name string
			run  func() error
		}{
			{"player", func() error { return evaluate(ctx, s, a) }},
			{"game", func() error { return evaluate(ctx, s, a, o) }},
			{"reads/catalogue", func() error { _, err := s.Badges(ctx, true); return err }},
			{"reads/facts", func() error { _, err := s.BadgeFacts(ctx, a); return err }},
			{"reads/held", func() error { _, err := s.PlayerBadges(ctx, a); return err }},
		} {
			b.Run(fmt.Sprintf("games=%d/%s", games, bc.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := bc.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// evaluate runs one evaluation that must award nothing new.
func evaluate(ctx context.Context, s *postgres.Store, players ...string) error {
	awards, err := award.EvaluatePlayers(ctx, s, players, nil)
	if err == nil && len(awards) > 0 {
		return errNewAward
	}
	return err
}

// errNewAward fails a steady-state iteration that awarded something.
var errNewAward = errors.New("steady state awarded a badge")
