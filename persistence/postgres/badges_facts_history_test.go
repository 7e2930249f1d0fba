package postgres_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// history plays random, seeded game histories through the real
// CommitResults: solo games and matches of 2 to 4 players (and the odd match
// left without rivals), ties, flagged and aborted games, players banned
// between the start and the commit of their games, several games and days
// per batch, days with gaps, games that end on a day before the player's
// last one, retried commits, and a session repeated within a batch.
type history struct {
	s       *postgres.Store
	url     string
	rng     *rand.Rand
	players []persistence.Player
	base    time.Time
	cursor  int // day offset most games end on
	done    []persistence.GameResult
}

var historyModes = []string{"classic", "classic-easy", "classic-hard", "frenzy"}

func newHistory(t *testing.T, s *postgres.Store, url string, seed uint64, players int) *history {
	t.Helper()
	h := &history{s: s, url: url, rng: rand.New(rand.NewPCG(seed, 17)), //nolint:gosec // a seeded test generator
		base: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)}
	for range players {
		h.players = append(h.players, newGuest(t, s))
	}
	return h
}

// batch plays one batch: its sessions are created, a player may be banned
// before the commit (and is unbanned after it), then one CommitResults call.
func (h *history) batch(t *testing.T) {
	t.Helper()
	h.cursor += []int{0, 0, 1, 1, 1, 2, 4}[h.rng.IntN(7)]
	n := 1 + h.rng.IntN(6)
	results := make([]persistence.GameResult, 0, n+2)
	for range n {
		results = append(results, h.game(t))
	}
	if len(h.done) > 0 && h.rng.IntN(8) == 0 {
		results = append(results, h.done[h.rng.IntN(len(h.done))]) // a retry: AlreadyCommitted
	}
	if h.rng.IntN(10) == 0 {
		results = append(results, results[0]) // the same session twice in one call
	}
	banned := ""
	if h.rng.IntN(5) == 0 {
		banned = h.players[h.rng.IntN(len(h.players))].ID
		exec(t, h.url, `UPDATE players SET banned_at = now() WHERE id = $1`, banned)
	}
	out := commit(t, h.s, results...)
	for i, o := range out {
		if o == persistence.Committed || o == persistence.CommittedVoided {
			h.done = append(h.done, results[i])
		}
	}
	if banned != "" {
		exec(t, h.url, `UPDATE players SET banned_at = NULL WHERE id = $1`, banned)
	}
}

// game creates a running session and returns its result.
func (h *history) game(t *testing.T) persistence.GameResult {
	t.Helper()
	kind, n := persistence.KindSolo, 1
	if h.rng.IntN(5) >= 2 {
		kind, n = persistence.KindMatch, 2+h.rng.IntN(3)
		if h.rng.IntN(20) == 0 {
			n = 1 // a match nobody else finished in
		}
	}
	end := h.end()
	var players []persistence.Player
	for _, i := range h.rng.Perm(len(h.players))[:n] {
		players = append(players, h.players[i])
	}
	ids := make([]string, n)
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{ID: uuid.NewString(), Mode: historyModes[h.rng.IntN(len(historyModes))], Kind: kind,
		MaxPlayers: 8, CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 1,
		CreatedAt: h.base.AddDate(0, 0, h.cursor-5)}
	require.NoError(t, h.s.CreateSession(ctxT(t), ss))
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished, EndedAt: end,
		Flagged: h.rng.IntN(10) == 0}
	if h.rng.IntN(10) == 0 {
		r.State = persistence.StateAborted
	}
	if !end.IsZero() {
		r.StartedAt = end.Add(-30 * time.Second)
	}
	for _, p := range players {
		r.Players = append(r.Players, h.player(p, end))
	}
	if h.rng.IntN(20) == 0 {
		r.Players = append(r.Players, h.player(players[0], end)) // listed twice: counts once
	}
	return r
}

// end is when a game ends: mostly on the cursor's day, sometimes a few days
// before it or the day after, at any time including the edges of the day;
// rarely unknown (the store then uses its clock).
func (h *history) end() time.Time {
	if h.rng.IntN(30) == 0 {
		return time.Time{}
	}
	day := h.cursor
	switch h.rng.IntN(10) {
	case 0:
		day -= 1 + h.rng.IntN(4)
	case 1:
		day++
	}
	at := h.base.AddDate(0, 0, day)
	switch h.rng.IntN(8) {
	case 0:
		return at
	case 1:
		return at.Add(24*time.Hour - time.Microsecond)
	default:
		return at.Add(time.Duration(h.rng.Int64N(int64(24 * time.Hour))))
	}
}

// player is one player's random result: scores from a small range make ties
// common, a few are negative.
func (h *history) player(p persistence.Player, end time.Time) persistence.PlayerResult {
	score := int64(h.rng.IntN(6))
	switch h.rng.IntN(10) {
	case 0:
		score = -1 - int64(h.rng.IntN(4))
	case 1, 2, 3:
		score = int64(h.rng.IntN(60))
	}
	pr := persistence.PlayerResult{PlayerID: p.ID, Username: p.Username, Score: score,
		Hits: h.rng.IntN(int(max(score, 0)) + 1), Misses: h.rng.IntN(3), BestCombo: h.rng.IntN(12)}
	if h.rng.IntN(4) > 0 {
		pr.ReachedAt = end
	}
	return pr
}

// TestStore_BadgeFacts_MatchesOracle checks, after every batch of random
// histories, that the facts the commit keeps equal the oracle's aggregation
// over the whole history, for every player (one never plays).
func TestStore_BadgeFacts_MatchesOracle(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			t.Parallel()
			s, _, url := newStore(t)
			h := newHistory(t, s, url, seed, 5)
			idle := newGuest(t, s)
			o := newOracle(t, url)
			for b := range 30 {
				h.batch(t)
				requireFactsMatch(t, s, o, append(h.players, idle), fmt.Sprintf("batch %d", b))
			}
		})
	}
}

// TestStore_BadgeFacts_ReachBack pins what happens when a commit brings a
// game day before the player's stored last game day (another session of the
// player that ended earlier commits later): the streak is recomputed from
// the player's history in the same transaction, so a day that bridges two
// runs joins them, and a retried commit changes nothing.
func TestStore_BadgeFacts_ReachBack(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	o := newOracle(t, url)
	p := newGuest(t, s)
	day := time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC)
	soloOn := func(d int) persistence.GameResult {
		end := day.AddDate(0, 0, d)
		r := soloResult(newSession(t, s, p.ID, end.Add(-time.Minute)), p, 10, end)
		r.Outbox, r.Standings = nil, nil
		return r
	}
	summary := func() (first, last string, head, tail, longest int) {
		require.NoError(t, o.conn.QueryRow(ctxT(t), `SELECT streak_first_day::text, streak_day::text,
			streak_head_run, streak_run, longest_streak FROM player_stats WHERE player_id = $1`, p.ID).
			Scan(&first, &last, &head, &tail, &longest))
		return first, last, head, tail, longest
	}
	steps := []struct {
		name                string
		days                []int
		first, last         string
		head, tail, longest int
	}{
		{"days 1 and 3", []int{1, 3}, "2026-11-02", "2026-11-04", 1, 1, 1},
		{"day 2 bridges them", []int{2}, "2026-11-02", "2026-11-04", 3, 3, 3},
		{"days 0 and 5 in one batch", []int{5, 0}, "2026-11-01", "2026-11-06", 4, 1, 4},
		{"day 6 follows", []int{6}, "2026-11-01", "2026-11-07", 4, 2, 4},
		{"day 4 joins everything", []int{4}, "2026-11-01", "2026-11-07", 7, 7, 7},
		{"day 3 again", []int{3}, "2026-11-01", "2026-11-07", 7, 7, 7},
	}
	var last persistence.GameResult
	for _, st := range steps {
		var batch []persistence.GameResult
		for _, d := range st.days {
			batch = append(batch, soloOn(d))
		}
		commit(t, s, batch...)
		last = batch[0]
		first, lastDay, head, tail, longest := summary()
		require.Equal(t, []any{st.first, st.last, st.head, st.tail, st.longest},
			[]any{first, lastDay, head, tail, longest}, st.name)
		requireFactsMatch(t, s, o, []persistence.Player{p}, st.name)
	}
	before, err := s.BadgeFacts(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.AlreadyCommitted}, commit(t, s, last))
	after, err := s.BadgeFacts(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Equal(t, before, after, "a retried commit changes nothing")
	require.Equal(t, int64(7), after.LongestStreak)
}
