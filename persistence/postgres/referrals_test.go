package postgres_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// fp is a fingerprint of kind hashing v.
func fp(kind persistence.FingerprintKind, v string) persistence.Fingerprint {
	sum := sha256.Sum256([]byte(v))
	return persistence.Fingerprint{Kind: kind, Hash: hex.EncodeToString(sum[:])}
}

var policy = persistence.ReferralPolicy{IPWindow: time.Hour, DailyCap: 3}

// referrer creates a player who signed in from device and ip.
func referrer(t testing.TB, s *postgres.Store, device, ip string) (persistence.Player, string) {
	t.Helper()
	p := newGuest(t, s)
	_, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: p.ID, New: true,
		Fingerprints: []persistence.Fingerprint{fp("device", device), fp("ip", ip)}}, policy)
	require.NoError(t, err)
	code, err := s.ReferralCode(ctxT(t), p.ID)
	require.NoError(t, err)
	return p, code
}

// signUp records a new player's sign-up naming code.
func signUp(t testing.TB, s *postgres.Store, code string, fps ...persistence.Fingerprint) (persistence.Player, *persistence.Referral) {
	t.Helper()
	p := newGuest(t, s)
	ref, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: p.ID, New: true, ReferralCode: code, Fingerprints: fps}, policy)
	require.NoError(t, err)
	return p, ref
}

func TestStore_ReferralCode(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	a, b := newGuest(t, s), newGuest(t, s)
	ca, err := s.ReferralCode(ctxT(t), a.ID)
	require.NoError(t, err)
	cb, err := s.ReferralCode(ctxT(t), b.ID)
	require.NoError(t, err)
	require.Regexp(t, `^[0-9A-F]{10}$`, ca)
	require.NotEqual(t, ca, cb)

	got, err := s.ReferrerByCode(ctxT(t), ca)
	require.NoError(t, err)
	require.Equal(t, a.ID, got)
	_, err = s.ReferrerByCode(ctxT(t), "NOPE000000")
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.ReferralCode(ctxT(t), uuid.NewString())
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_RecordSignup_Refusals(t *testing.T) {
	t.Parallel()
	s, clk, _ := newStore(t)
	ref, code := referrer(t, s, "dev-ref", "10.0.0.1")

	// Self: the referrer naming its own code again as a "new" sign-up.
	self, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: ref.ID, New: true, ReferralCode: code}, policy)
	require.NoError(t, err)
	require.Equal(t, persistence.RefusedSelf, self.Reason)

	_, r := signUp(t, s, code, fp("device", "dev-ref"), fp("ip", "10.9.9.9"))
	require.Equal(t, persistence.ReferralRefused, r.Status)
	require.Equal(t, persistence.RefusedSameDevice, r.Reason)

	_, r = signUp(t, s, code, fp("device", "dev-2"), fp("ip", "10.0.0.1"))
	require.Equal(t, persistence.RefusedSameIP, r.Reason)

	// The same IP outside the window is fine.
	clk.Advance(2 * time.Hour)
	_, r = signUp(t, s, code, fp("device", "dev-3"), fp("ip", "10.0.0.1"))
	require.Equal(t, persistence.ReferralPending, r.Status)
	require.Empty(t, r.Reason)

	// The cap counts accepted referrals only: two more pass, the fourth is refused.
	for i := range 2 {
		_, r = signUp(t, s, code, fp("device", uuid.NewString()), fp("ip", "10.1.0."+string(rune('1'+i))))
		require.Equal(t, persistence.ReferralPending, r.Status)
	}
	_, r = signUp(t, s, code, fp("device", "dev-9"))
	require.Equal(t, persistence.RefusedDailyCap, r.Reason)
	clk.Advance(24 * time.Hour)
	_, r = signUp(t, s, code, fp("device", "dev-10"))
	require.Equal(t, persistence.ReferralPending, r.Status)

	list, err := s.PlayerReferrals(ctxT(t), ref.ID)
	require.NoError(t, err)
	require.Len(t, list, 8)
	require.Equal(t, persistence.ReferralPending, list[0].Status)
}

func TestStore_RecordSignup_Wallet(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ref := newGuest(t, s)
	_, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: ref.ID, Fingerprints: []persistence.Fingerprint{fp("wallet", "0xabc")}}, policy)
	require.NoError(t, err)
	code, err := s.ReferralCode(ctxT(t), ref.ID)
	require.NoError(t, err)
	_, r := signUp(t, s, code, fp("wallet", "0xabc"))
	require.Equal(t, persistence.RefusedSameWallet, r.Reason)
}

func TestStore_RecordSignup_OnceAndUnknown(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	_, code := referrer(t, s, "d1", "1.1.1.1")
	_, other := referrer(t, s, "d2", "2.2.2.2")
	p, r := signUp(t, s, code)
	require.NotNil(t, r)
	// A second referral of the same player is ignored, the first stands.
	again, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: p.ID, New: true, ReferralCode: other}, policy)
	require.NoError(t, err)
	require.Nil(t, again)
	// An existing player signing in again is never referred.
	old, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: newGuest(t, s).ID, ReferralCode: code}, policy)
	require.NoError(t, err)
	require.Nil(t, old)
	_, err = s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: newGuest(t, s).ID, New: true, ReferralCode: "ZZZZZZZZZZ"}, policy)
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_RecordSignup_CapUnderConcurrency(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	_, code := referrer(t, s, "d", "9.9.9.9")
	players := make([]persistence.Player, 8)
	for i := range players {
		players[i] = newGuest(t, s)
	}
	var wg sync.WaitGroup
	results := make([]*persistence.Referral, len(players))
	for i, p := range players {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.RecordSignup(ctxT(t), persistence.Signup{PlayerID: p.ID, New: true, ReferralCode: code}, policy)
			if err == nil {
				results[i] = r
			}
		}()
	}
	wg.Wait()
	pending := 0
	for _, r := range results {
		require.NotNil(t, r)
		if r.Status == persistence.ReferralPending {
			pending++
		}
	}
	require.Equal(t, policy.DailyCap, pending)
}

func TestStore_CountReferralGame_RewardsOnce(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ref, code := referrer(t, s, "d", "1.2.3.4")
	p, r := signUp(t, s, code)
	require.Equal(t, persistence.ReferralPending, r.Status)
	// The referrer has a wallet, so the mintable reward queues its mint.
	_, err := s.LinkWallet(ctxT(t), ref.ID, persistence.ChainStellar, stellarAddr('R'))
	require.NoError(t, err)

	games := []string{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	count := func(session, mode string) []persistence.ReferralRewardedEvent {
		t.Helper()
		got, err := s.CountReferralGame(ctxT(t), session, mode, []string{p.ID, uuid.NewString()}, 3)
		require.NoError(t, err)
		return got
	}
	require.Empty(t, count(games[0], "classic"))
	require.Empty(t, count(games[0], "classic"), "a redelivered game counts once")
	require.Empty(t, count(uuid.NewString(), "no-such-mode"), "an unranked or unknown mode counts nothing")
	require.Empty(t, count(games[1], "classic"))
	list, err := s.PlayerReferrals(ctxT(t), ref.ID)
	require.NoError(t, err)
	require.Equal(t, 2, list[0].GamesCounted)

	got := count(games[2], "classic")
	require.Len(t, got, 1)
	require.Equal(t, r.ID, got[0].ReferralID)
	require.True(t, got[0].ReferrerAwarded)
	require.True(t, got[0].ReferredAwarded)
	require.NotEmpty(t, got[0].BadgeID)
	// Redelivered third game, and later games: nothing more.
	require.Empty(t, count(games[2], "classic"))
	require.Empty(t, count(uuid.NewString(), "classic"))

	list, err = s.PlayerReferrals(ctxT(t), ref.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.ReferralRewarded, list[0].Status)
	require.NotNil(t, list[0].RewardedAt)
	require.Equal(t, 3, list[0].GamesCounted)

	for _, id := range []string{ref.ID, p.ID} {
		held, err := s.PlayerBadges(ctxT(t), id)
		require.NoError(t, err)
		require.Len(t, held, 1)
		require.Equal(t, persistence.ReferralBadgeSlug, held[0].Badge.Slug)
	}
	mints, err := s.PlayerMints(ctxT(t), ref.ID)
	require.NoError(t, err)
	require.Len(t, mints, 1)

	items, err := s.ClaimOutbox(ctxT(t), persistence.TopicReferralRewarded, 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.Equal(t, r.ID, items[0].Key)
	var ev persistence.ReferralRewardedEvent
	require.NoError(t, json.Unmarshal(items[0].Payload, &ev))
	require.Equal(t, ref.ID, ev.ReferrerID)
	require.Equal(t, p.ID, ev.ReferredID)
}

func TestStore_CountReferralGame_RetiredBadge(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(ctxT(t)) })
	_, err = conn.Exec(ctxT(t), `UPDATE badges SET active = false WHERE slug = 'referral'`)
	require.NoError(t, err)

	_, code := referrer(t, s, "d", "1.2.3.4")
	p, _ := signUp(t, s, code)
	got, err := s.CountReferralGame(ctxT(t), uuid.NewString(), "classic", []string{p.ID}, 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Empty(t, got[0].BadgeID)
	held, err := s.PlayerBadges(ctxT(t), p.ID)
	require.NoError(t, err)
	require.Empty(t, held)
}
