package rest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

func TestReferrals_AdminListsRefusedWithReasons(t *testing.T) {
	t.Parallel()
	var store *postgres.Store
	h, _ := newDBHarness(t, func(d *Deps) {
		d.Config.TrustedProxies = []string{"192.0.2.1"}
		store = d.Players.(*postgres.Store)
		d.Referrals = testReferralDeps(store)
	})
	w := guestFrom(t, h, "referrer-device", "198.51.100.1", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	code := myReferrals(t, h, decode[tokenResponse](t, w).AccessToken).Code
	for i, ip := range []string{"198.51.100.1", "203.0.113.1", "203.0.113.2", "203.0.113.3"} {
		// same IP (refused), two pass, the last is over the cap (refused)
		require.Equal(t, http.StatusOK, guestFrom(t, h, fmt.Sprintf("friend-%d", i), ip, code).Code)
	}
	admin, player := newSignedIn(t, store, persistence.RoleAdmin), newSignedIn(t, store, persistence.RolePlayer)

	reasons := map[string]bool{}
	cursor := ""
	for page := 0; ; page++ {
		w := h.get(t, "/api/v1/admin/referrals?status=refused&limit=1&cursor="+cursor, admin.AccessToken)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		got := decode[adminReferralsResponse](t, w)
		require.LessOrEqual(t, len(got.Referrals), 1)
		for _, r := range got.Referrals {
			require.Equal(t, "refused", r.Status)
			require.NotEmpty(t, r.ReferrerUsername)
			reasons[r.Reason] = true
		}
		if cursor = got.NextCursor; cursor == "" {
			require.LessOrEqual(t, page, 2)
			break
		}
	}
	require.Equal(t, map[string]bool{"same_ip": true, "daily_cap": true}, reasons)
	all := decode[adminReferralsResponse](t, h.get(t, "/api/v1/admin/referrals", admin.AccessToken))
	require.Len(t, all.Referrals, 4)

	requireError(t, h.get(t, "/api/v1/admin/referrals", player.AccessToken), http.StatusForbidden, CodeForbidden)
	requireError(t, h.get(t, "/api/v1/admin/referrals?status=lost", admin.AccessToken), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/admin/referrals?cursor=%21", admin.AccessToken), http.StatusBadRequest, CodeBadRequest)
}

// A token refresh records its IP: a friend signing up from the IP the
// referrer refreshed from is refused, as at sign-up.
func TestReferrals_RefreshRecordsTheIP(t *testing.T) {
	t.Parallel()
	h := newReferralHarness(t)
	w := guestFrom(t, h, "referrer-device", "198.51.100.1", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	referrer := decode[tokenResponse](t, w)
	w = h.do(t, request{Method: http.MethodPost, Path: "/api/v1/auth/refresh",
		Body:   fmt.Sprintf(`{"refreshToken":%q}`, referrer.RefreshToken),
		Header: map[string]string{"X-Forwarded-For": "198.51.100.77"}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	code := myReferrals(t, h, referrer.AccessToken).Code
	require.Equal(t, http.StatusOK, guestFrom(t, h, "friend-device", "198.51.100.77", code).Code)
	got := myReferrals(t, h, referrer.AccessToken)
	require.Len(t, got.Referrals, 1)
	require.Equal(t, "refused", got.Referrals[0].Status)
	require.Equal(t, "same_ip", got.Referrals[0].Reason)
}

func TestAPI_Fingerprint_IsKeyed(t *testing.T) {
	t.Parallel()
	a := &api{Deps: Deps{Referrals: ReferralDeps{FingerprintSecret: []byte("one secret")}}}
	b := &api{Deps: Deps{Referrals: ReferralDeps{FingerprintSecret: []byte("another secret")}}}
	fa := a.fingerprint(persistence.FingerprintIP, "198.51.100.1")
	require.Len(t, fa.Hash, 64)
	require.Equal(t, fa, a.fingerprint(persistence.FingerprintIP, "198.51.100.1"), "stable under one key")
	require.NotEqual(t, fa.Hash, b.fingerprint(persistence.FingerprintIP, "198.51.100.1").Hash, "keyed")
	require.NotEqual(t, fa.Hash, a.fingerprint(persistence.FingerprintDevice, "198.51.100.1").Hash, "kinds differ")
}
