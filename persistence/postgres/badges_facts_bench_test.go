package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// BenchmarkBadgeFacts compares BadgeFacts (the facts the commit keeps) with
// the oracle's aggregation over the history, for one player with 10 and
// with 1,000 finished games (one a day, solo and matches, committed through
// CommitResults): the first must not grow with the history.
func BenchmarkBadgeFacts(b *testing.B) {
	for _, games := range []int{10, 1000} {
		s, _, url := newStore(b)
		p, rival := newGuest(b, s), newGuest(b, s)
		conn, err := pgx.Connect(context.Background(), url)
		require.NoError(b, err)
		b.Cleanup(func() { _ = conn.Close(context.Background()) })
		out, err := s.CommitResults(context.Background(), historyOf(b, conn, p, rival, games))
		require.NoError(b, err)
		require.Equal(b, persistence.Committed, out[0])
		_, err = conn.Exec(context.Background(), `ANALYZE`)
		require.NoError(b, err)
		o := oracle{conn: conn}
		b.Logf("games=%d: server time store %s, oracle %s", games,
			explainTime(b, conn, badgeFactsStoreSQL, p.ID), explainTime(b, conn, oracleFactsSQL, p.ID))
		b.Run(fmt.Sprintf("games=%d/store", games), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.BadgeFacts(context.Background(), p.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("games=%d/oracle", games), func(b *testing.B) {
			for b.Loop() {
				o.facts(b, p.ID)
			}
		})
	}
}

// historyOf creates the sessions of games games of p, every third a match
// against rival, one a day, and returns their results.
func historyOf(b *testing.B, conn *pgx.Conn, p, rival persistence.Player, games int) []persistence.GameResult {
	b.Helper()
	start := time.Date(2023, 1, 1, 12, 0, 0, 0, time.UTC)
	results := make([]persistence.GameResult, games)
	ids, kinds := make([]string, games), make([]string, games)
	for i := range results {
		ids[i], kinds[i] = uuid.NewString(), "solo"
		end := start.AddDate(0, 0, i)
		r := persistence.GameResult{SessionID: ids[i], Epoch: 1, State: persistence.StateFinished,
			StartedAt: end.Add(-30 * time.Second), EndedAt: end,
			Players: []persistence.PlayerResult{{PlayerID: p.ID, Username: p.Username, Score: int64(i % 50),
				Hits: i % 50, Misses: i % 2, BestCombo: i % 9, ReachedAt: end}}}
		if i%3 == 0 {
			kinds[i] = "match"
			r.Players = append(r.Players, persistence.PlayerResult{PlayerID: rival.ID, Username: rival.Username,
				Score: int64(i % 7), ReachedAt: end})
		}
		results[i] = r
	}
	_, err := conn.Exec(context.Background(), `INSERT INTO sessions (id, mode, kind, max_players, creator_id, player_ids,
		state, seed) SELECT id, 'classic', k, 2, $3, ARRAY[$3::uuid], 'running', 7 FROM unnest($1::uuid[], $2::text[]) AS u(id, k)`,
		ids, kinds, p.ID)
	require.NoError(b, err)
	return results
}

// badgeFactsStoreSQL mirrors the statement BadgeFacts runs, for EXPLAIN.
const badgeFactsStoreSQL = `SELECT coalesce(s.badge_games, 0), coalesce(m.names, '{}')
FROM (SELECT $1::uuid AS id) v
LEFT JOIN player_stats s ON s.player_id = v.id
LEFT JOIN LATERAL (SELECT array_agg(b.mode ORDER BY b.mode) AS names, array_agg(b.best ORDER BY b.mode) AS bests
	FROM player_mode_bests b WHERE b.player_id = v.id) m ON true`

// explainTime is the server's execution time of sql, best of 20 runs.
func explainTime(b *testing.B, conn *pgx.Conn, sql, arg string) string {
	b.Helper()
	best := ""
	bestMS := 0.0
	for range 20 {
		var plan []byte
		require.NoError(b, conn.QueryRow(context.Background(), "EXPLAIN (ANALYZE, FORMAT JSON) "+sql, arg).Scan(&plan))
		var out []struct {
			ExecutionTime float64 `json:"Execution Time"`
		}
		require.NoError(b, json.Unmarshal(plan, &out))
		if best == "" || out[0].ExecutionTime < bestMS {
			bestMS, best = out[0].ExecutionTime, fmt.Sprintf("%.3f ms", out[0].ExecutionTime)
		}
	}
	return best
}
