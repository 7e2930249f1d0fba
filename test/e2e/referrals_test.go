package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// referralsView is the part of GET /players/me/referrals this test reads.
type referralsView struct {
	Code      string `json:"code"`
	Rewarded  int    `json:"rewarded"`
	Referrals []struct {
		PlayerID    string `json:"playerId"`
		Status      string `json:"status"`
		Reason      string `json:"reason"`
		GamesPlayed int    `json:"gamesPlayed"`
	} `json:"referrals"`
}

// TestServer_ReferralRewardsBoth drives the real binary: a player signs up
// with another's referral code, plays three ranked games over the
// WebSocket, and the badge worker's follower rewards both players with the
// referral badge and a referral.reward notification (live to the connected
// friend); an unknown code is refused before anything is created.
func TestServer_ReferralRewardsBoth(t *testing.T) {
	if testing.Short() {
		t.Skip("plays three short games")
	}
	t.Parallel()
	// Every client here is 127.0.0.1: a zero IP window lets the referral
	// through the same-IP check (the store tests cover the refusals).
	s := startServer(t, "REFERRAL_IP_WINDOW=0s")
	admin := adminToken(t, s, "e2e-referrals-admin")
	quick := map[string]any{"durationMs": 2000, "spawnIntervalMs": 1000, "visibleMs": 800, "molesAtOnce": 1,
		"goldenChance": 0, "bombChance": 0, "countdownMs": 0}
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/modes/classic", admin, quick, nil))

	referrer, referrerID := s.guest("e2e-referrer-device")
	var mine referralsView
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/referrals", referrer, nil, &mine))
	require.NotEmpty(t, mine.Code)

	var out struct {
		AccessToken string `json:"accessToken"`
		Player      struct {
			ID string `json:"id"`
		} `json:"player"`
	}
	require.Equal(t, http.StatusUnprocessableEntity, s.call(http.MethodPost, "/api/v1/auth/guest", "",
		map[string]string{"deviceId": "e2e-friend-device", "referralCode": "NOSUCHCODE"}, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/guest", "",
		map[string]string{"deviceId": "e2e-friend-device", "referralCode": mine.Code}, &out))
	friend, friendID := out.AccessToken, out.Player.ID

	ws := dial(t, s, friend)
	for i := range 3 {
		startGame(t, ws, int64(i+1), "classic")
		over := decode[overPayload](t, ws.next("game:over").D)
		require.False(t, over.Flagged)
	}
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/players/me/referrals", referrer, nil, &mine) == http.StatusOK &&
			mine.Rewarded == 1
	}, 20*time.Second, 100*time.Millisecond)
	require.Len(t, mine.Referrals, 1)
	require.Equal(t, friendID, mine.Referrals[0].PlayerID)
	require.Equal(t, "rewarded", mine.Referrals[0].Status)
	require.Equal(t, 3, mine.Referrals[0].GamesPlayed)
	for _, token := range []string{referrer, friend} {
		var badges struct {
			Earned []struct {
				Slug string `json:"slug"`
			} `json:"earned"`
		}
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/badges", token, nil, &badges))
		slugs := []string{}
		for _, b := range badges.Earned {
			slugs = append(slugs, b.Slug)
		}
		require.Contains(t, slugs, "referral")
		require.Equal(t, "Referral reward", waitInbox(t, s, token, "referral.reward").Title,
			"both players find the reward in their inbox")
	}
	require.Equal(t, "referral.reward", nextAlert(t, ws, "referral.reward")["kind"], "the connected friend hears it live")

	// A guest on the referrer's device is the referrer: not new, not referred.
	_, again := s.guest("e2e-referrer-device")
	require.Equal(t, referrerID, again)
}
