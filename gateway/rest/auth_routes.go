package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// tokenResponse is the body of a successful sign-in or refresh.
type tokenResponse struct {
	AccessToken  string        `json:"accessToken"`
	RefreshToken string        `json:"refreshToken"`
	ExpiresIn    int64         `json:"expiresIn"`
	Player       playerSummary `json:"player"`
}

// playerSummary identifies the signed-in player.
type playerSummary struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

// guest signs in (creating on first use) the guest account of a device.
func (a *api) guest(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeGuest)
	if err != nil {
		return err
	}
	if err := a.checkReferralCode(r.Context(), req.ReferralCode); err != nil {
		return err
	}
	p, created, err := a.guestOf(r.Context(), req.DeviceID)
	if err != nil {
		return fmt.Errorf("guest sign-in: %w", err)
	}
	a.recordSignIn(r, p.ID, created, req.ReferralCode, signupTraits{device: req.DeviceID})
	pair, err := a.tokens.Issue(r.Context(), p)
	if err != nil {
		return fmt.Errorf("guest sign-in: %w", err)
	}
	infoFrom(r.Context()).PlayerID = p.ID
	writeJSON(w, http.StatusOK, newTokenResponse(pair, p))
	return nil
}

// guestOf is the device's guest, created on first use while registration
// is open; while it is closed only a device that has a guest signs in, and
// a new device is refused 403 registration_closed.
func (a *api) guestOf(ctx context.Context, deviceID string) (persistence.Player, bool, error) {
	closed := a.registrationOpen()
	if closed == nil {
		return a.Players.GuestByDevice(ctx, deviceID)
	}
	p, err := a.Players.GuestOfDevice(ctx, deviceID)
	return p, false, signUpRefused(err, closed)
}

// signUpRefused turns the ErrNotFound of a lookup-only sign-in (no
// account to sign in, and none may be created) into the closed
// registration's refusal.
func signUpRefused(err, closed error) error {
	if errors.Is(err, persistence.ErrNotFound) {
		return closed
	}
	return err
}

// refresh rotates a refresh token into a new pair.
func (a *api) refresh(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeRefresh)
	if err != nil {
		return err
	}
	pair, p, err := a.tokens.Refresh(r.Context(), req.RefreshToken)
	if err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	a.recordSignIn(r, p.ID, false, "", signupTraits{})
	infoFrom(r.Context()).PlayerID = p.ID
	writeJSON(w, http.StatusOK, newTokenResponse(pair, p))
	return nil
}

// newTokenResponse renders a pair; expiresIn is whole seconds, as OAuth does.
func newTokenResponse(pair auth.Pair, p persistence.Player) tokenResponse {
	return tokenResponse{
		AccessToken:  pair.AccessToken,
		RefreshToken: pair.RefreshToken,
		ExpiresIn:    int64(pair.ExpiresIn.Seconds()),
		Player:       playerSummary{ID: p.ID, Username: p.Username},
	}
}
