package leaderboard

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// benchPlayers is the size of the board the targets name.
const benchPlayers = 1_000_000

// seedStandings copies n random standings of global/all into a fresh
// database and returns a store over it.
func seedStandings(b *testing.B, n int) (*postgres.Store, []string) {
	b.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(b)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(b, err)
	defer func() { _ = conn.Close(ctx) }()
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, n)
	session := uuid.New()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	rows := make([][]any, n)
	for i := range rows {
		id := uuid.New()
		ids[i] = id.String()
		rows[i] = []any{"global", "all", id, fmt.Sprintf("mole_%07d", i), rng.Int64N(100_000),
			base.Add(time.Duration(rng.Int64N(int64(20 * 24 * time.Hour)))), session}
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"leaderboard_records"},
		[]string{"board", "period", "player_id", "username", "score", "achieved_at", "session_id"}, pgx.CopyFromRows(rows))
	require.NoError(b, err)
	store, err := postgres.Open(ctx, config.Database{URL: url, MaxConns: 4}, time.Now)
	require.NoError(b, err)
	b.Cleanup(store.Close)
	return store, ids
}

// BenchmarkGrain_Million measures, on a 1,000,000-player board in real
// Postgres: the grain's rebuild on activation (target ≤ 5 s), and rank and
// around-me queries answered by the grain through its mailbox (target
// ≤ 50 µs). Run: go test -run '^$' -bench Grain_Million ./actors/leaderboard/ (the
// default 1 s benchtime runs the multi-second rebuild once).
func BenchmarkGrain_Million(b *testing.B) {
	if testing.Short() {
		b.Skip("seeds a million rows")
	}
	store, ids := seedStandings(b, benchPlayers)
	h := newHarness(b, nil, func(d *Deps) {
		d.Standings = store
		d.RebuildTimeout = time.Minute
	})
	var pid *actor.PID
	b.Run("Rebuild", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if pid != nil {
				require.NoError(b, h.root.StopFuture(pid).Wait())
			}
			start := time.Now()
			pid = h.pid(b, "classic/global/all")
			reply := h.ask(b, pid, &protos.RankQuery{PlayerId: ids[0]}).(*protos.RankReply)
			require.True(b, reply.Found)
			require.EqualValues(b, benchPlayers, reply.Total)
			b.ReportMetric(time.Since(start).Seconds(), "s/rebuild")
		}
	})
	rng := rand.New(rand.NewPCG(3, 4))
	b.Run("Rank", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			h.ask(b, pid, &protos.RankQuery{PlayerId: ids[rng.IntN(len(ids))]})
		}
	})
	b.Run("AroundMe", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			h.ask(b, pid, &protos.AroundQuery{PlayerId: ids[rng.IntN(len(ids))], Radius: 10})
		}
	})
}
