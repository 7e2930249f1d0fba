package rest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/persistence"
)

// MintDeps is what the mint routes need. A nil Store answers them with 500
// (not configured), like the other optional slices.
type MintDeps struct {
	// Store reads the mint requests that badge awards queue.
	Store persistence.MintStore
}

// mintJSON is one mint request as its player sees it.
type mintJSON struct {
	ID        string    `json:"id"`
	BadgeID   string    `json:"badgeId"`
	Chain     string    `json:"chain"`
	Recipient string    `json:"recipient"`
	TokenID   string    `json:"tokenId"`
	Status    string    `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	TxHash    string    `json:"txHash,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// mintsResponse is the body of GET /players/me/mints.
type mintsResponse struct {
	Mints []mintJSON `json:"mints"`
}

// mintRoutes registers the caller's own mints on the authenticated group.
// deps is passed in (routes calls a.mintRoutes(r, a.Mints)) so this slice
// builds before Deps gains its Mints field.
func (a *api) mintRoutes(authed chi.Router, deps MintDeps) {
	authed.Get("/players/me/mints", a.handle(func(w http.ResponseWriter, r *http.Request) error {
		return myMints(w, r, deps.Store)
	}))
}

// myMints answers the caller's mint requests, newest first.
func myMints(w http.ResponseWriter, r *http.Request, store persistence.MintStore) error {
	if store == nil {
		return fmt.Errorf("my mints: %w", errNotConfigured)
	}
	mints, err := store.PlayerMints(r.Context(), playerID(r))
	if err != nil {
		return fmt.Errorf("my mints: %w", err)
	}
	out := make([]mintJSON, 0, len(mints))
	for _, m := range mints {
		out = append(out, newMintJSON(m))
	}
	writeJSON(w, http.StatusOK, mintsResponse{Mints: out})
	return nil
}

// newMintJSON renders a mint request.
func newMintJSON(m persistence.MintRequest) mintJSON {
	return mintJSON{ID: m.ID, BadgeID: m.BadgeID, Chain: string(m.Chain), Recipient: m.Recipient,
		TokenID: m.TokenID, Status: string(m.Status), Reason: m.Reason, TxHash: m.TxHash,
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}
