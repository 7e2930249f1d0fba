package cluster

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// seedChallengeSQL adds an active challenge of one attempt in the short
// test mode, its rules the mode's row as game_mode_versions keeps them.
const seedChallengeSQL = `INSERT INTO challenges (id, kind, title, mode, rules, starts_at, ends_at, max_attempts,
	created_at, updated_at)
SELECT $1, 'scheduled', 'Race', name, to_jsonb(m), now() - interval '1 minute', now() + interval '1 hour', 1, now(), now()
FROM game_modes m WHERE name = $2`

// TestCluster_LastChallengeAttemptRace: one player's two sockets, on two
// members, start the same challenge at once with one attempt left between
// them: exactly one gets the game, the other no_attempts_left, and one
// attempt is stored.
func TestCluster_LastChallengeAttemptRace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a two-member cluster")
	}
	t.Parallel()
	g := startAutomanaged(t, 2)
	withDB(t, g.dbURL, func(ctx context.Context, db *pgx.Conn) {
		_, err := db.Exec(ctx, seedChallengeSQL, "race", modeShort)
		require.NoError(t, err)
	})
	p := guest(t, g.members[0], "cluster-challenge-race")
	sockets := []*socket{dial(t, g.members[0], p), dial(t, g.members[1], p)}
	errs := make([]error, len(sockets))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, s := range sockets {
		wg.Go(func() {
			<-start
			errs[i] = s.call("game:start", map[string]string{"challengeId": "race"}, nil)
		})
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		require.True(t, strings.Contains(err.Error(), "no_attempts_left"), "%v", err)
	}
	require.Equal(t, 1, won, "exactly one socket takes the last attempt")
	withDB(t, g.dbURL, func(ctx context.Context, db *pgx.Conn) {
		var attempts int
		require.NoError(t, db.QueryRow(ctx, `SELECT count(*) FROM challenge_attempts WHERE challenge_id = 'race' AND player_id = $1`,
			p.id).Scan(&attempts))
		require.Equal(t, 1, attempts)
	})
}
