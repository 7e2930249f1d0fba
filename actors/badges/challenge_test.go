package badges_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges"
	"github.com/proofstell/proofstell/persistence"
)

// endChallenge does what the scheduler's challenge end job does for these
// tests (MarkEnded is the scheduler's store): it stores the ended classic
// challenge id with reward badge reward ("" none), its final standings
// in the order of players (the first won of them won) in
// challenge_results, and the challenge.ended outbox row naming winners and
// players.
func (e *env) endChallenge(t *testing.T, id, reward string, won int, players []persistence.Player) persistence.ChallengeEndedEvent {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), e.url)
	require.NoError(t, err)
	defer func() { require.NoError(t, conn.Close(t.Context())) }()
	start := e.clock.Now().Add(-24 * time.Hour)
	var badge *string
	if reward != "" {
		badge = &reward
	}
	_, err = conn.Exec(t.Context(), `INSERT INTO challenges (id, kind, title, mode, rules, starts_at, ends_at,
		max_attempts, reward_badge, reward_top, created_at, updated_at, ended_at)
		VALUES ($1, 'scheduled', $1, 'classic', '{}', $2, $3, 3, $4, $5, $2, $2, $3)`,
		id, start, e.clock.Now(), badge, max(won, 1))
	require.NoError(t, err)
	ev := persistence.ChallengeEndedEvent{ChallengeID: id, Mode: "classic", RewardBadge: reward,
		Winners: []string{}, Players: []string{}}
	for i, p := range players {
		_, err = conn.Exec(t.Context(), `INSERT INTO challenge_results (challenge_id, player_id, rank, score, won)
			VALUES ($1, $2, $3, $4, $5)`, id, p.ID, i+1, 100-i, i < won)
		require.NoError(t, err)
		if i < won {
			ev.Winners = append(ev.Winners, p.ID)
		}
		ev.Players = append(ev.Players, p.ID)
	}
	e.enqueueChallenge(t, ev)
	return ev
}

// enqueueChallenge writes a challenge.ended outbox row of ev.
func (e *env) enqueueChallenge(t *testing.T, ev persistence.ChallengeEndedEvent) {
	t.Helper()
	payload, err := json.Marshal(ev)
	require.NoError(t, err)
	e.enqueue(t, badges.TopicChallengeEnded, payload)
}

// mintsOf counts the player's mint requests of badge.
func (e *env) mintsOf(t *testing.T, playerID, badge string) int {
	t.Helper()
	mints, err := e.store.PlayerMints(t.Context(), playerID)
	require.NoError(t, err)
	n := 0
	for _, m := range mints {
		if m.BadgeID == badge {
			n++
		}
	}
	return n
}

// TestWorker_Drain_RewardsChallengeWinnersOnce: the two winners of an
// ended challenge get its (mintable) reward badge and, having now won a
// challenge, the seeded champion badge; the loser gets only challenger. A
// crash before completion redelivers the row and a duplicate row arrives:
// nothing is awarded, minted or announced twice. A winner whose account is
// gone is passed over.
func TestWorker_Drain_RewardsChallengeWinnersOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	linked, bare, loser := e.guest(t, true), e.guest(t, false), e.guest(t, true)
	reward := badgeID(t, e, "daily-champion")
	ev := e.endChallenge(t, "daily-2026-11-23", reward, 2, []persistence.Player{linked, bare, loser})
	ev.Winners = append(ev.Winners, uuid.NewString()) // an account deleted since
	e.enqueueChallenge(t, ev)                         // the same challenge announced twice

	_, err := e.worker(crashingStore{e.store}, nil).Drain(t.Context())
	require.ErrorContains(t, err, "node died")
	want := []string{"player:" + loser.ID + " badge:awarded Challenger/common"}
	for _, p := range []persistence.Player{linked, bare} {
		want = append(want, "player:"+p.ID+" badge:awarded Daily Champion/epic",
			"player:"+p.ID+" badge:awarded Champion/rare", "player:"+p.ID+" badge:awarded Challenger/common")
	}
	require.ElementsMatch(t, want, e.pub.names(), "one announcement per new award")

	e.clock.Advance(lease + time.Second)
	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 2, n, "both redelivered rows are handled and completed")
	require.ElementsMatch(t, want, e.pub.names(), "nothing announced twice")

	for _, p := range []persistence.Player{linked, bare} {
		require.Equal(t, []string{"challenger", "champion", "daily-champion"}, e.heldSlugs(t, p.ID))
	}
	require.Equal(t, []string{"challenger"}, e.heldSlugs(t, loser.ID), "a non-winner gets no reward")
	require.Equal(t, 1, e.mintsOf(t, linked.ID, reward), "the mintable reward queues exactly one mint")
	require.Equal(t, 1, e.mintsOf(t, linked.ID, badgeID(t, e, "champion")))
	require.Equal(t, 2, e.mintCount(t, linked.ID))
	require.Zero(t, e.mintCount(t, bare.ID), "no wallet, no mint")
	require.Zero(t, e.mintCount(t, loser.ID), "challenger is not mintable")
}

// TestWorker_Drain_ChallengeWithoutActiveReward: a challenge without a
// reward badge, and one whose reward was retired, reward nobody, but
// their players are still assessed for the challenge criteria.
func TestWorker_Drain_ChallengeWithoutActiveReward(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	winner, other := e.guest(t, true), e.guest(t, false)
	retired := badgeID(t, e, "daily-champion")
	off := false
	_, err := e.store.UpdateBadge(t.Context(), persistence.SystemActor("test"), retired, persistence.BadgeUpdate{Active: &off})
	require.NoError(t, err)
	e.endChallenge(t, "retired-reward", retired, 1, []persistence.Player{winner, other})
	e.endChallenge(t, "no-reward", "", 1, []persistence.Player{other, winner})
	evaluated := testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicChallengeEnded, "evaluated"))

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, evaluated+2, testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicChallengeEnded, "evaluated")))
	require.Equal(t, []string{"challenger", "champion"}, e.heldSlugs(t, winner.ID))
	require.Equal(t, []string{"challenger", "champion"}, e.heldSlugs(t, other.ID))
	require.Zero(t, e.mintsOf(t, winner.ID, retired))
}

func TestWorker_Drain_CompletesMalformedChallengeRows(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	payloads := []string{`not json`, `{"mode":"classic","winners":[],"players":[]}`,
		`{"challengeId":"Not An Id!","winners":[],"players":[]}`, `{"challengeId":"cup","winners":"x"}`}
	for _, p := range payloads {
		e.enqueue(t, badges.TopicChallengeEnded, []byte(p))
	}
	malformed := testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicChallengeEnded, "malformed"))

	n, err := e.worker(nil, nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, len(payloads), n, "every row is completed")
	require.Equal(t, malformed+float64(len(payloads)),
		testutil.ToFloat64(badges.Processed.WithLabelValues(badges.TopicChallengeEnded, "malformed")))
	require.Empty(t, e.pub.names())
}
