package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

const benchBatch = 500

// BenchmarkCommitResults measures the hot path: batches of 500 solo games,
// each with one player, four standings and one outbox row. Sessions are
// created in bulk outside the timer.
func BenchmarkCommitResults(b *testing.B) {
	s, clk, url := newStore(b)
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(b, err)
	b.Cleanup(func() { _ = conn.Close(context.Background()) })
	players := benchPlayers(b, conn)
	now := clk.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		results := benchResults(b, conn, players, now.Add(time.Duration(i)*time.Second))
		b.StartTimer()
		out, err := s.CommitResults(context.Background(), results)
		if err != nil || out[0] != persistence.Committed {
			b.Fatalf("commit: %v %v", out[0], err)
		}
	}
	b.ReportMetric(float64(benchBatch*b.N)/b.Elapsed().Seconds(), "games/s")
}

func benchPlayers(b *testing.B, conn *pgx.Conn) []string {
	b.Helper()
	ids := make([]string, benchBatch)
	names := make([]string, benchBatch)
	for i := range ids {
		ids[i], names[i] = uuid.NewString(), fmt.Sprintf("bench_%d", i)
	}
	_, err := conn.Exec(context.Background(), `INSERT INTO players (id, username)
		SELECT * FROM unnest($1::uuid[], $2::text[])`, ids, names)
	require.NoError(b, err)
	return ids
}

func benchResults(b *testing.B, conn *pgx.Conn, players []string, end time.Time) []persistence.GameResult {
	b.Helper()
	ids := make([]string, len(players))
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	_, err := conn.Exec(context.Background(), `INSERT INTO sessions (id, mode, kind, max_players, creator_id, player_ids, state, seed)
		SELECT id, 'classic', 'solo', 1, p, ARRAY[p], 'running', 7 FROM unnest($1::uuid[], $2::uuid[]) AS u(id, p)`, ids, players)
	require.NoError(b, err)
	results := make([]persistence.GameResult, len(players))
	for i, p := range players {
		score := int64(i % 97)
		standings := make([]persistence.StandingRecord, 0, 4)
		for _, bp := range [][2]string{{"global", "all"}, {"daily", "2026-11-24"}, {"weekly", "2026-W48"}, {"monthly", "2026-11"}} {
			standings = append(standings, persistence.StandingRecord{Mode: "classic", Board: bp[0], Period: bp[1], PlayerID: p,
				Username: "bench", Score: score, AchievedAt: end})
		}
		results[i] = persistence.GameResult{
			SessionID: ids[i], Epoch: 1, State: persistence.StateFinished, StartedAt: end.Add(-30 * time.Second), EndedAt: end,
			Players:   []persistence.PlayerResult{{PlayerID: p, Username: "bench", Score: score, Hits: int(score), ReachedAt: end}},
			Standings: standings,
			Outbox:    []persistence.OutboxMessage{{Topic: "badges", Key: ids[i], Payload: []byte(`{"s":1}`)}},
		}
	}
	return results
}
