package cluster

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

// convergeWithin bounds how long after the last fault every board of every
// member must equal the stored standings: LEADERBOARD_CATCHUP_INTERVAL (2 s)
// plus a read, with slack for a loaded machine.
const convergeWithin = 10 * time.Second

// boardRow is one leaderboard entry as REST serves it and Postgres stores it.
type boardRow struct {
	Rank       int64     `json:"rank"`
	PlayerID   string    `json:"playerId"`
	Username   string    `json:"username"`
	Score      int64     `json:"score"`
	AchievedAt time.Time `json:"achievedAt"`
}

func (r boardRow) String() string {
	return fmt.Sprintf("%d:%s:%s:%d:%s", r.Rank, r.PlayerID, r.Username, r.Score, r.AchievedAt.UTC().Format(time.RFC3339Nano))
}

// TestCluster_BoardsConvergeAfterKills: games are played on every member
// while members are killed with kill -9 and rejoin, so leaderboard grains
// die and move and live applies are lost; one commit's apply is lost on
// purpose (its standings are written straight to PostgreSQL). Within a few
// seconds every page of every board, on every member, equals the stored
// standings.
func TestCluster_BoardsConvergeAfterKills(t *testing.T) {
	if testing.Short() {
		t.Skip("kills members during games")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	var games []*hostedGame
	for round, victim := range []*member{g.members[1], g.members[2]} {
		for i, from := range g.members {
			games = append(games, startResilient(t, g, from, fmt.Sprintf("cluster-boards-%d-%d", round, i), modeShort))
		}
		for _, h := range games[len(games)-len(g.members):] {
			waitWarm(t, h)
		}
		victim.kill()
		victim.launch()
		victim.waitReady()
		g.waitMembers(3, g.members...)
	}
	for _, h := range games {
		require.NoError(t, <-h.done, "game %s", h.game.sessionID)
	}
	lost := g.commitWithoutApply(t)
	g.requireBoardsEqualStore(t, lost)
}

// commitWithoutApply stores a standing on every board's current period as a
// commit does, without telling any grain: the apply that never arrived.
func (g *group) commitWithoutApply(t testing.TB) string {
	t.Helper()
	player := uuid.NewString()
	now := time.Now().UTC()
	year, week := now.ISOWeek()
	periods := map[string]string{
		"global": "all", "daily": now.Format(time.DateOnly),
		"weekly": fmt.Sprintf("%d-W%02d", year, week), "monthly": now.Format("2006-01"),
	}
	withDB(t, g.dbURL, func(ctx context.Context, db *pgx.Conn) {
		for board, period := range periods {
			_, err := db.Exec(ctx, `INSERT INTO leaderboard_records (mode, board, period, player_id, username, score, achieved_at, session_id)
				VALUES ($6, $1, $2, $3, 'lost_apply', 7, $4, $5)`, board, period, player, now, uuid.NewString(), modeShort)
			require.NoError(t, err)
		}
	})
	return player
}

// storedBoards reads every board period of modeShort (the mode every game
// of the test plays) in rank order.
func (g *group) storedBoards(t testing.TB) map[[2]string][]boardRow {
	t.Helper()
	out := map[[2]string][]boardRow{}
	withDB(t, g.dbURL, func(ctx context.Context, db *pgx.Conn) {
		rows, err := db.Query(ctx, `SELECT board, period, player_id::text, username, score, achieved_at
			FROM leaderboard_records WHERE mode = $1 ORDER BY board, period, score DESC, achieved_at, player_id`, modeShort)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var key [2]string
			var r boardRow
			require.NoError(t, rows.Scan(&key[0], &key[1], &r.PlayerID, &r.Username, &r.Score, &r.AchievedAt))
			r.Rank = int64(len(out[key]) + 1)
			out[key] = append(out[key], r)
		}
		require.NoError(t, rows.Err())
	})
	return out
}

// servedBoard pages through a board period of modeShort on m, two entries
// a page.
func servedBoard(m *member, board, period string) ([]boardRow, error) {
	var all []boardRow
	cursor := ""
	for {
		var page struct {
			Entries    []boardRow `json:"entries"`
			NextCursor string     `json:"nextCursor"`
			Total      int        `json:"total"`
		}
		q := url.Values{"period": {period}, "limit": {"2"}, "mode": {modeShort}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		status, err := getJSON(m, "/api/v1/leaderboards/"+board+"?"+q.Encode(), "", &page)
		if err != nil || status != 200 {
			return nil, fmt.Errorf("%s %s/%s: status %d: %w", m.name, board, period, status, err)
		}
		all = append(all, page.Entries...)
		if page.NextCursor == "" {
			if page.Total != len(all) {
				return nil, fmt.Errorf("%s %s/%s: total %d, %d entries", m.name, board, period, page.Total, len(all))
			}
			return all, nil
		}
		cursor = page.NextCursor
	}
}

// requireBoardsEqualStore waits until every member serves every stored
// board period exactly as stored, page by page.
func (g *group) requireBoardsEqualStore(t testing.TB, mustList string) {
	t.Helper()
	stored := g.storedBoards(t)
	require.Len(t, stored, 4, "one period of each board")
	for key, want := range stored {
		require.True(t, lists(want, mustList), "the lost apply is stored on %v", key)
		for _, m := range g.members {
			requireServed(t, m, key[0], key[1], rowsText(want))
		}
	}
}

// requireServed polls m until it serves board/period as want.
func requireServed(t testing.TB, m *member, board, period string, want []string) {
	t.Helper()
	deadline := time.Now().Add(convergeWithin)
	tick := time.NewTicker(topologyTick)
	defer tick.Stop()
	var last []string
	var lastErr error
	for time.Now().Before(deadline) {
		got, err := servedBoard(m, board, period)
		if last, lastErr = rowsText(got), err; err == nil && slices.Equal(last, want) {
			return
		}
		<-tick.C
	}
	require.Failf(t, "board differs from the stored standings",
		"%s/%s on %s after %s (error %v)\nstored:\n%s\nserved:\n%s", board, period, m.name, convergeWithin, lastErr,
		strings.Join(want, "\n"), strings.Join(last, "\n"))
}

func lists(rows []boardRow, playerID string) bool {
	return slices.ContainsFunc(rows, func(r boardRow) bool { return r.PlayerID == playerID })
}

func rowsText(rows []boardRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String()
	}
	return out
}
