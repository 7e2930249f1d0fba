package rest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Page bounds of GET /admin/referrals.
const (
	defaultReferralPage = 20
	maxReferralPage     = 100
)

// adminReferralJSON is one referral as support sees it.
type adminReferralJSON struct {
	ID               string     `json:"id"`
	ReferrerID       string     `json:"referrerId"`
	ReferrerUsername string     `json:"referrerUsername"`
	PlayerID         string     `json:"playerId"`
	Username         string     `json:"username"`
	Status           string     `json:"status"`
	Reason           string     `json:"reason,omitempty"`
	GamesPlayed      int        `json:"gamesPlayed"`
	CreatedAt        time.Time  `json:"createdAt"`
	RewardedAt       *time.Time `json:"rewardedAt,omitempty"`
}

// adminReferralsResponse is the body of GET /admin/referrals.
type adminReferralsResponse struct {
	Referrals  []adminReferralJSON `json:"referrals"`
	NextCursor string              `json:"nextCursor,omitempty"`
}

// adminReferrals lists every player's referrals, newest first, optionally
// of one status: support reads why sign-ups' referrals were refused.
func (a *api) adminReferrals(w http.ResponseWriter, r *http.Request) error {
	if a.Referrals.Store == nil {
		return fmt.Errorf("admin referrals: %w", errNotConfigured)
	}
	q := r.URL.Query()
	status := persistence.ReferralStatus(q.Get("status"))
	switch status {
	case "", persistence.ReferralPending, persistence.ReferralRewarded, persistence.ReferralRefused:
	default:
		return badRequest("status must be pending, rewarded or refused", "status")
	}
	limit := defaultReferralPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxReferralPage {
			return badRequest(fmt.Sprintf("limit must be 1..%d", maxReferralPage), "limit")
		}
		limit = n
	}
	page, err := a.Referrals.Store.Referrals(r.Context(), status, q.Get("cursor"), limit)
	if err != nil {
		return fmt.Errorf("admin referrals: %w", err)
	}
	out := adminReferralsResponse{Referrals: make([]adminReferralJSON, 0, len(page.Items)), NextCursor: page.Next}
	for _, ref := range page.Items {
		j := adminReferralJSON{ID: ref.ID, ReferrerID: ref.ReferrerID, ReferrerUsername: ref.ReferrerName,
			PlayerID: ref.ReferredID, Username: ref.ReferredName, Status: string(ref.Status), Reason: string(ref.Reason),
			GamesPlayed: ref.GamesCounted, CreatedAt: ref.CreatedAt.UTC()}
		if ref.RewardedAt != nil {
			at := ref.RewardedAt.UTC()
			j.RewardedAt = &at
		}
		out.Referrals = append(out.Referrals, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
