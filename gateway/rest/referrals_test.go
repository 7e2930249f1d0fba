package rest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// testReferralDeps are the referral deps tests mount: 3 games, a cap of 2.
func testReferralDeps(store persistence.ReferralStore) ReferralDeps {
	return ReferralDeps{Store: store, Games: 3,
		Policy: persistence.ReferralPolicy{IPWindow: time.Hour, DailyCap: 2}}
}

// newReferralHarness is a DB harness with referrals mounted, trusting the
// test requests' peer as a proxy so X-Forwarded-For sets the client IP.
func newReferralHarness(t *testing.T) *harness {
	t.Helper()
	h, _ := newDBHarness(t, func(d *Deps) {
		d.Config.TrustedProxies = []string{"192.0.2.1"}
		d.Referrals = testReferralDeps(d.Players.(persistence.ReferralStore))
	})
	return h
}

// guestFrom signs a guest in from ip, naming code when not "".
func guestFrom(t *testing.T, h *harness, device, ip, code string) *httptest.ResponseRecorder {
	t.Helper()
	body := fmt.Sprintf(`{"deviceId":%q}`, device)
	if code != "" {
		body = fmt.Sprintf(`{"deviceId":%q,"referralCode":%q}`, device, code)
	}
	return h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/guest", Body: body,
		Header: map[string]string{"X-Forwarded-For": ip}})
}

// myReferrals reads the caller's referrals.
func myReferrals(t *testing.T, h *harness, token string) referralsResponse {
	t.Helper()
	w := h.get(t, "/api/v1/players/me/referrals", token)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	return decode[referralsResponse](t, w)
}

func TestReferrals_GuestSignUp(t *testing.T) {
	t.Parallel()
	h := newReferralHarness(t)
	w := guestFrom(t, h, "referrer-device", "198.51.100.1", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	referrer := decode[tokenResponse](t, w)
	mine := myReferrals(t, h, referrer.AccessToken)
	require.Regexp(t, `^[0-9A-F]{10}$`, mine.Code)
	require.Equal(t, 3, mine.GamesRequired)
	require.Equal(t, "referral", mine.RewardBadge)
	require.Empty(t, mine.Referrals)

	// Refused referrals still sign the player up.
	for _, c := range []struct{ device, ip, reason string }{
		{"friend-device-1", "198.51.100.1", "same_ip"},
		{"referrer-device", "198.51.100.9", ""}, // the referrer's own guest: not new, not referred
	} {
		w := guestFrom(t, h, c.device, c.ip, mine.Code)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	// Two pass, the third is over the cap (2 in these tests).
	for _, ip := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		w := guestFrom(t, h, "friend-"+uuid.NewString(), ip, mine.Code)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	got := myReferrals(t, h, referrer.AccessToken)
	statuses := map[string]int{}
	for _, r := range got.Referrals {
		statuses[r.Status+"/"+r.Reason]++
		require.Zero(t, r.GamesPlayed)
		require.NotEmpty(t, r.Username)
	}
	require.Equal(t, map[string]int{"pending/": 2, "refused/same_ip": 1, "refused/daily_cap": 1}, statuses)
	require.Zero(t, got.Rewarded)
}

func TestReferrals_InvalidCode(t *testing.T) {
	t.Parallel()
	h := newReferralHarness(t)
	for _, code := range []string{"ABCDEF0123", "no!", "x", "ÄÖÜÄÖÜ"} {
		w := guestFrom(t, h, "dev-"+uuid.NewString(), "203.0.113.7", code)
		requireError(t, w, http.StatusUnprocessableEntity, CodeInvalidReferralCode)
	}
	// Nothing was created: the device signs in as a new guest afterwards.
	w := guestFrom(t, h, "dev-invalid-code", "203.0.113.7", "ZZZZZZZZZZ")
	requireError(t, w, http.StatusUnprocessableEntity, CodeInvalidReferralCode)
	w = h.get(t, "/api/v1/players/me/referrals", "")
	requireError(t, w, http.StatusUnauthorized, CodeUnauthorized)
}

func TestReferrals_LowerCaseCode(t *testing.T) {
	t.Parallel()
	h := newReferralHarness(t)
	referrer := decode[tokenResponse](t, guestFrom(t, h, "ref-device-x", "198.51.100.1", ""))
	code := myReferrals(t, h, referrer.AccessToken).Code
	lower := []byte(code)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 'a' - 'A'
		}
	}
	w := guestFrom(t, h, "friend-lower", "203.0.113.50", string(lower))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Len(t, myReferrals(t, h, referrer.AccessToken).Referrals, 1)
}

func TestReferrals_RegisterAndWallet(t *testing.T) {
	t.Parallel()
	ah := newAcctHarness(t, 4)
	referrer := decode[tokenResponse](t, ah.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/guest",
		Body: `{"deviceId":"acct-referrer-device"}`}))
	code := myReferrals(t, ah.harness, referrer.AccessToken).Code

	w := ah.post(t, "/auth/register", "", map[string]string{"email": "friend@example.com", "username": "friend",
		"password": "whack4moles", "referralCode": "ZZZZZZZZZZ"})
	requireError(t, w, http.StatusUnprocessableEntity, CodeInvalidReferralCode)
	w = ah.post(t, "/auth/register", "", map[string]string{"email": "friend@example.com", "username": "friend",
		"password": "whack4moles", "referralCode": code})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	ah.inbox.Next(t)
	// Same test peer IP as the referrer's sign-in: kept, refused.
	refs := myReferrals(t, ah.harness, referrer.AccessToken).Referrals
	require.Len(t, refs, 1)
	require.Equal(t, "friend", refs[0].Username)
	require.Equal(t, "refused", refs[0].Status)
	require.Equal(t, "same_ip", refs[0].Reason)

	env := newWalletEnv(t)
	wref := decode[tokenResponse](t, env.h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/guest",
		Body: `{"deviceId":"wallet-referrer-device"}`}))
	wcode := myReferrals(t, env.h, wref.AccessToken).Code
	kp := keypair.MustRandom()
	verify := func(code string) *httptest.ResponseRecorder {
		sig := sep53(t, kp, env.stellarChallenge(t, kp.Address()))
		return env.post(t, "/auth/wallet/stellar/verify", "", map[string]string{"address": kp.Address(),
			"signature": sig, "referralCode": code})
	}
	requireError(t, verify("nope!"), http.StatusUnprocessableEntity, CodeInvalidReferralCode)
	require.Equal(t, http.StatusOK, verify(wcode).Code)
	refs = myReferrals(t, env.h, wref.AccessToken).Referrals
	require.Len(t, refs, 1)
	require.Equal(t, "refused", refs[0].Status)
	// Signing in again with the wallet refers nobody twice.
	require.Equal(t, http.StatusOK, verify(wcode).Code)
	require.Len(t, myReferrals(t, env.h, wref.AccessToken).Referrals, 1)
}

// TestReferrals_FollowsSwitch: while features.referrals is off a sign-up's
// code is ignored, not even checked (the player is created, referred by
// no one) and the referrer's list still reads; switched back on, the next
// sign-up is referred.
func TestReferrals_FollowsSwitch(t *testing.T) {
	t.Parallel()
	var on atomic.Bool
	h, _ := newDBHarness(t, func(d *Deps) {
		d.Config.TrustedProxies = []string{"192.0.2.1"}
		d.Referrals = testReferralDeps(d.Players.(persistence.ReferralStore))
		d.Referrals.Enabled = on.Load
	})
	w := guestFrom(t, h, "switch-referrer", "198.51.100.1", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	referrer := decode[tokenResponse](t, w)
	code := myReferrals(t, h, referrer.AccessToken).Code

	w = guestFrom(t, h, "switch-friend-1", "203.0.113.1", code)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	w = guestFrom(t, h, "switch-friend-2", "203.0.113.2", "NOSUCHCODE")
	require.Equal(t, http.StatusOK, w.Code, "an unknown code is not even checked while off: %s", w.Body.String())
	require.Empty(t, myReferrals(t, h, referrer.AccessToken).Referrals, "no referral recorded while off")

	on.Store(true)
	w = guestFrom(t, h, "switch-friend-3", "203.0.113.3", code)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := myReferrals(t, h, referrer.AccessToken).Referrals
	require.Len(t, got, 1)
	require.Equal(t, decode[tokenResponse](t, w).Player.ID, got[0].PlayerID)
	requireError(t, guestFrom(t, h, "switch-friend-4", "203.0.113.4", "NOSUCHCODE"),
		http.StatusUnprocessableEntity, CodeInvalidReferralCode)
}
