package notifications_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// drainOnce drains and checks how many rows completed.
func (e *env) drainOnce(t *testing.T, rows int) {
	t.Helper()
	n, err := e.worker(nil).Drain(t.Context())
	require.NoError(t, err)
	require.Equal(t, rows, n)
}

// signIn gives p a refresh token issued now: p is active.
func (e *env) signIn(t *testing.T, p persistence.Player) {
	t.Helper()
	require.NoError(t, e.store.CreateRefresh(t.Context(), persistence.RefreshToken{ID: uuid.NewString(),
		FamilyID: uuid.NewString(), PlayerID: p.ID, Hash: []byte(uuid.NewString()),
		ExpiresAt: e.clock.Now().Add(time.Hour)}))
}

func TestWorker_Drain_MintStatusTellsItsPlayer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p, b := e.guest(t), e.badge(t)
	for _, st := range []persistence.MintStatus{persistence.MintAccepted, persistence.MintFailed} {
		payload, err := json.Marshal(persistence.NotifyMintEvent{MintID: "m1", PlayerID: p.ID, BadgeID: b.ID,
			Chain: persistence.ChainStarknet, Status: st})
		require.NoError(t, err)
		e.outbox(t, p, persistence.OutboxMessage{Topic: persistence.TopicNotifyMint, Key: "mint:m1:" + string(st),
			Payload: payload})
	}
	e.drainOnce(t, 2)
	inbox := e.inbox(t, p.ID)
	require.Len(t, inbox, 2, "each final status is its own notification")
	got := map[string]string{}
	for _, n := range inbox {
		require.Equal(t, persistence.KindMintStatus, n.Kind)
		got[n.SourceKey] = n.Title + " / " + n.Body
	}
	require.Equal(t, map[string]string{
		"mint:m1:accepted": "Badge minted / Your badge is now on starknet.",
		"mint:m1:failed":   "Mint failed / Your badge could not be minted on starknet; you can retry it.",
	}, got)
	require.Len(t, e.pub.lines(), 2)
}

func TestWorker_Drain_ReferralRewardTellsBothPlayers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	referrer, referred := e.guest(t), e.guest(t)
	payload, err := json.Marshal(persistence.ReferralRewardedEvent{ReferralID: uuid.NewString(),
		ReferrerID: referrer.ID, ReferredID: referred.ID, BadgeName: "Recruiter", ReferredAwarded: true})
	require.NoError(t, err)
	msg := persistence.OutboxMessage{Topic: persistence.TopicReferralRewarded, Key: "r", Payload: payload}
	e.outbox(t, referred, msg)
	e.drainOnce(t, 1)
	require.ElementsMatch(t, []string{
		"player:" + referred.ID + " notification:alert referral.reward Referral reward",
		"player:" + referrer.ID + " notification:alert referral.reward Referral reward",
	}, e.pub.lines())
	for _, c := range []struct {
		p       persistence.Player
		role    string
		awarded bool
	}{{referrer, "referrer", false}, {referred, "referred", true}} {
		inbox := e.inbox(t, c.p.ID)
		require.Len(t, inbox, 1)
		var data struct {
			Role         string
			BadgeAwarded bool
		}
		require.NoError(t, json.Unmarshal(inbox[0].Data, &data))
		require.Equal(t, c.role, data.Role)
		require.Equal(t, c.awarded, data.BadgeAwarded)
	}
}

func TestWorker_Drain_PeriodClosedTellsEachRankInBatches(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lease, err := e.store.AcquireLease(t.Context(), persistence.SchedulerLease, "node-a", time.Minute)
	require.NoError(t, err)
	players := []persistence.Player{e.guest(t), e.guest(t), e.guest(t)}
	at := e.clock.Now()
	standings := make([]persistence.PeriodStanding, len(players))
	for i, p := range players {
		standings[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: p.ID, Score: int64(30 - i), AchievedAt: at}
	}
	for _, board := range []string{"daily", persistence.ChallengeBoard} {
		root := persistence.PeriodRoot{Mode: "classic", Board: board, Period: "2026-11-23", Root: "0x1", LeafCount: 3}
		saved, err := e.store.SavePeriodRoot(t.Context(), root, standings, lease.Holder, lease.Epoch)
		require.NoError(t, err)
		require.True(t, saved)
	}
	e.drainOnce(t, 2)
	require.Len(t, e.pub.lines(), 3, "a challenge board's ranks come with challenge.ended instead")
	for i, p := range players {
		inbox := e.inbox(t, p.ID)
		require.Len(t, inbox, 1, "all three ranks, over two batches of 2")
		require.Equal(t, persistence.KindFinalRank, inbox[0].Kind)
		require.Equal(t, "rank.final:classic/daily/2026-11-23", inbox[0].SourceKey)
		var data struct{ Rank int }
		require.NoError(t, json.Unmarshal(inbox[0].Data, &data))
		require.Equal(t, i+1, data.Rank)
	}
	require.Equal(t, "Final rank: #2", e.inbox(t, players[1].ID)[0].Title)
	require.Equal(t, "The classic daily board 2026-11-23 closed: you finished #2 with 29 points.",
		e.inbox(t, players[1].ID)[0].Body)
}

func TestWorker_Drain_ChallengeStartedReachesActivePlayersWhoWantIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	lease, err := e.store.AcquireLease(t.Context(), persistence.SchedulerLease, "node-a", time.Minute)
	require.NoError(t, err)
	dormant, active, muted := e.guest(t), e.guest(t), e.guest(t)
	e.signIn(t, dormant)
	e.clock.Advance(8 * 24 * time.Hour)
	e.signIn(t, active)
	e.signIn(t, muted)
	require.NoError(t, e.store.SetNotificationPreferences(t.Context(), muted.ID, []persistence.NotificationPreference{
		{Kind: persistence.KindChallengeStart, InApp: false}}))

	day := e.clock.Now().Truncate(24 * time.Hour)
	mode, err := e.store.LookupMode(t.Context(), "classic")
	require.NoError(t, err)
	c := persistence.Challenge{ID: persistence.DailyChallengeID(day), Kind: persistence.ChallengeDaily,
		Title: "Daily challenge", Mode: "classic", Rules: mode, StartsAt: day, EndsAt: day.Add(24 * time.Hour),
		MaxAttempts: 3, RewardTop: 1}
	_, err = e.store.CreateDaily(t.Context(), c, lease.Holder, lease.Epoch)
	require.NoError(t, err)
	first, err := e.store.MarkStarted(t.Context(), c.ID, lease.Holder, lease.Epoch, e.clock.Now())
	require.NoError(t, err)
	require.True(t, first)

	e.drainOnce(t, 1)
	require.Equal(t, []string{"player:" + active.ID + " notification:alert challenge.started Challenge started: Daily challenge"},
		e.pub.lines(), "only the recently active player who did not mute starts")
	require.Empty(t, e.inbox(t, dormant.ID))
	require.Empty(t, e.inbox(t, muted.ID))
	inbox := e.inbox(t, active.ID)
	require.Len(t, inbox, 1)
	require.Equal(t, "challenge.started:"+c.ID, inbox[0].SourceKey)
}

func TestWorker_Drain_MatchFoundTellsEveryMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	host, member := e.guest(t), e.guest(t)
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 2,
		CreatorID: host.ID, PlayerIDs: []string{host.ID}, Seed: 1, JoinCode: "MATCH1",
		MatchedPlayers: []string{host.ID, member.ID}}
	require.NoError(t, e.store.CreateSession(t.Context(), ss))
	require.ErrorIs(t, e.store.CreateSession(t.Context(), ss), persistence.ErrExists,
		"a repeated create writes nothing, its notification neither")
	e.drainOnce(t, 1)
	for _, p := range []persistence.Player{host, member} {
		inbox := e.inbox(t, p.ID)
		require.Len(t, inbox, 1)
		require.Equal(t, persistence.KindMatchFound, inbox[0].Kind)
		require.Equal(t, "match:"+ss.ID, inbox[0].SourceKey)
		require.Equal(t, "Your classic match is ready: join it now.", inbox[0].Body)
	}
	require.Len(t, e.pub.lines(), 2)
}
