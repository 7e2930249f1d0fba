package postgres_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// banAt bans the player the way the admin route does.
func banAt(t testing.TB, s *postgres.Store, playerID string, at time.Time) {
	t.Helper()
	yes := true
	_, err := s.AdminUpdate(ctxT(t), persistence.SystemActor("test"), playerID, persistence.AdminUpdate{Banned: &yes}, at)
	require.NoError(t, err)
}

// matchResult is a finished match of players with scores, each offered to
// two boards, with one outbox row.
func matchResult(t testing.TB, s *postgres.Store, end time.Time, players []persistence.Player, scores []int64) persistence.GameResult {
	t.Helper()
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.ID
	}
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 8,
		CreatorID: ids[0], PlayerIDs: ids, State: persistence.StateRunning, Seed: 1, CreatedAt: end.Add(-time.Minute)}
	require.NoError(t, s.CreateSession(ctxT(t), ss))
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished,
		StartedAt: end.Add(-30 * time.Second), EndedAt: end,
		Outbox: []persistence.OutboxMessage{{Topic: "badges", Key: ss.ID, Payload: []byte(`{}`)}}}
	for i, p := range players {
		r.Players = append(r.Players, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username,
			Score: scores[i], Hits: int(scores[i]), Misses: 1, BestCombo: 2, Flags: 1, ReachedAt: end})
		for _, b := range []struct{ board, period string }{{"global", "all"}, {"daily", end.Format(time.DateOnly)}} {
			r.Standings = append(r.Standings, persistence.StandingRecord{Mode: "classic", Board: b.board, Period: b.period,
				PlayerID: p.ID, Username: p.Username, Score: scores[i], AchievedAt: end})
		}
	}
	return r
}

// storedPlayers reads the stored per-player results keyed by player id.
func storedPlayers(t *testing.T, s *postgres.Store, id string) (persistence.Session, map[string]persistence.PlayerResult) {
	t.Helper()
	got, err := s.Session(ctxT(t), id)
	require.NoError(t, err)
	out := map[string]persistence.PlayerResult{}
	for _, pr := range got.Results {
		out[pr.PlayerID] = pr
	}
	return got, out
}

func TestStore_CommitResults_AbortedRecordsNothing(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	tests := []struct {
		name, reason, wantReason string
		standings                bool // the caller (wrongly) sends standings
	}{
		{name: "resume window", reason: persistence.AbortResumeWindow, wantReason: persistence.AbortResumeWindow},
		{name: "lobby expired", reason: persistence.AbortLobbyExpired, wantReason: persistence.AbortLobbyExpired},
		{name: "no reason given", wantReason: "aborted"},
		{name: "standings sent anyway", reason: persistence.AbortResumeWindow, wantReason: persistence.AbortResumeWindow,
			standings: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, now := newGuest(t, s), clk.Now()
			r := soloResult(newSession(t, s, p.ID, now), p, 77, now)
			r.State, r.Reason = persistence.StateAborted, tc.reason
			if !tc.standings {
				r.Standings = nil
			}
			require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, commit(t, s, r))

			got, players := storedPlayers(t, s, r.SessionID)
			require.Equal(t, persistence.StateAborted, got.State)
			require.Equal(t, tc.wantReason, got.EndReason, "the row records the abort and its reason")
			require.Equal(t, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username, ReachedAt: now,
				Voided: tc.wantReason}, players[p.ID], "no score, hits or misses are recorded")
			require.Equal(t, counts{players: 1}, countRows(t, url, r.SessionID), "no standing, no outbox row")
			st, err := s.Stats(ctxT(t), p.ID)
			require.NoError(t, err)
			require.Zero(t, st)
		})
	}
}

func TestStore_CommitResults_BannedPlayersAreVoided(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	tests := []struct {
		name        string
		scores      []int64
		banned      []bool
		wantOutcome persistence.CommitOutcome
		wantState   persistence.SessionState
		wantReason  string
		want        counts
	}{
		{name: "solo, banned", scores: []int64{40}, banned: []bool{true}, wantOutcome: persistence.CommittedVoided,
			wantState: persistence.StateAborted, wantReason: persistence.AbortBanned, want: counts{players: 1}},
		{name: "match, one banned", scores: []int64{40, 25}, banned: []bool{true, false},
			wantOutcome: persistence.CommittedVoided, wantState: persistence.StateFinished,
			want: counts{players: 2, standings: 2, outbox: 1}},
		{name: "match, all banned", scores: []int64{40, 25}, banned: []bool{true, true},
			wantOutcome: persistence.CommittedVoided, wantState: persistence.StateAborted,
			wantReason: persistence.AbortBanned, want: counts{players: 2}},
		{name: "match, nobody banned", scores: []int64{40, 25}, banned: []bool{false, false},
			wantOutcome: persistence.Committed, wantState: persistence.StateFinished,
			want: counts{players: 2, standings: 4, outbox: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := clk.Now()
			players := make([]persistence.Player, len(tc.scores))
			for i := range players {
				players[i] = newGuest(t, s)
			}
			r := matchResult(t, s, now, players, tc.scores)
			for i, p := range players {
				if tc.banned[i] {
					banAt(t, s, p.ID, now) // the ban lands while the game runs
				}
			}
			require.Equal(t, []persistence.CommitOutcome{tc.wantOutcome}, commit(t, s, r))

			got, stored := storedPlayers(t, s, r.SessionID)
			require.Equal(t, tc.wantState, got.State)
			require.Equal(t, tc.wantReason, got.EndReason)
			require.Equal(t, tc.want, countRows(t, url, r.SessionID))
			for i, p := range players {
				st, err := s.Stats(ctxT(t), p.ID)
				require.NoError(t, err)
				if tc.banned[i] {
					require.Equal(t, persistence.PlayerResult{PlayerID: p.ID, Username: p.Username, ReachedAt: now,
						Voided: persistence.AbortBanned}, stored[p.ID], "the banned player's game is voided")
					require.Zero(t, st, "no stats for a banned player")
					facts, err := s.BadgeFacts(ctxT(t), p.ID)
					require.NoError(t, err)
					require.Zero(t, facts.GamesPlayed, "a voided game earns no badge")
					continue
				}
				require.Empty(t, stored[p.ID].Voided)
				require.Equal(t, tc.scores[i], stored[p.ID].Score, "the rest of the match keeps its result")
				require.Equal(t, persistence.PlayerStats{GamesPlayed: 1, BestScore: tc.scores[i], TotalScore: tc.scores[i]}, st)
			}
			requireNotOnBoards(t, s, now, players, tc.banned)
		})
	}
}

// requireNotOnBoards checks that exactly the players not banned hold a
// record on the boards the results were offered to.
func requireNotOnBoards(t *testing.T, s *postgres.Store, now time.Time, players []persistence.Player, banned []bool) {
	t.Helper()
	for _, b := range []struct{ board, period string }{{"global", "all"}, {"daily", now.Format(time.DateOnly)}} {
		on := map[string]bool{}
		require.NoError(t, s.EachStanding(ctxT(t), persistence.BoardKey{Mode: "classic", Board: b.board, Period: b.period}, func(st persistence.Standing) error {
			on[st.PlayerID] = true
			return nil
		}))
		for i, p := range players {
			require.Equal(t, !banned[i], on[p.ID], "player %d on %s/%s", i, b.board, b.period)
		}
	}
}

func TestStore_AwardBadge_RefusesBannedPlayers(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ctx := ctxT(t)
	b, err := s.CreateBadge(ctx, persistence.SystemActor("test"), newBadge("banned-award"))
	require.NoError(t, err)
	tests := []struct {
		name   string
		banned bool
		source persistence.AwardSource
		want   bool
	}{
		{name: "automatic, not banned", source: persistence.SourceAuto, want: true},
		{name: "automatic, banned", banned: true, source: persistence.SourceAuto, want: false},
		{name: "admin, banned", banned: true, source: persistence.SourceAdmin, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newGuest(t, s)
			if tc.banned {
				banAt(t, s, p.ID, clk.Now())
			}
			awarded, err := s.AwardBadge(ctx, p.ID, b.ID, tc.source)
			require.NoError(t, err)
			require.Equal(t, tc.want, awarded)
			held, err := s.PlayerBadges(ctx, p.ID)
			require.NoError(t, err)
			require.Len(t, held, map[bool]int{true: 1, false: 0}[tc.want])
		})
	}
}
