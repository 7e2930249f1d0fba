package rest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/persistence"
)

// CodeInvalidReferralCode answers a sign-up naming a malformed or unknown
// referral code (422): the client said it was referred, so silently
// dropping the code would lose the referral without anyone knowing.
const CodeInvalidReferralCode = "invalid_referral_code"

// ReferralDeps serves referral codes and progress; a nil Store ignores
// referralCode at sign-up and answers GET /players/me/referrals with 503.
type ReferralDeps struct {
	Store persistence.ReferralStore
	// Policy is the anti-farming configuration of a sign-up.
	Policy persistence.ReferralPolicy
	// Games is how many ranked games pay a referral (shown as progress).
	Games int
	// FingerprintSecret keys the sign-in fingerprints
	// (REFERRAL_FINGERPRINT_SECRET).
	FingerprintSecret []byte
	// Enabled is the runtime switch (settings features.referrals): while
	// it reports false a sign-up's referralCode is ignored (neither
	// checked nor recorded); the fingerprints are still recorded and GET
	// /players/me/referrals still answers. nil is always on.
	Enabled func() bool
}

// referralCodePattern bounds what a sign-up may name before it reaches the
// store (codes are 10 hex characters today; matching is case-insensitive).
var referralCodePattern = regexp.MustCompile(`^[0-9A-Za-z]{4,32}$`)

var errInvalidReferralCode = &apiError{Status: http.StatusUnprocessableEntity, Code: CodeInvalidReferralCode,
	Message: "referralCode names no player"}

func (a *api) referralRoutes(authed chi.Router) {
	authed.Get("/players/me/referrals", a.handle(a.playerReferrals))
	authed.With(a.requireRole(persistence.RoleAdmin)).Get("/admin/referrals", a.handle(a.adminReferrals))
}

// checkReferralCode refuses a malformed or unknown code before a sign-up
// creates anything; "" (no code) passes.
func (a *api) checkReferralCode(ctx context.Context, code string) error {
	if code == "" || a.Referrals.Store == nil || !a.referralsOn() {
		return nil
	}
	if !referralCodePattern.MatchString(code) {
		return errInvalidReferralCode
	}
	_, err := a.Referrals.Store.ReferrerByCode(ctx, code)
	if errors.Is(err, persistence.ErrNotFound) {
		return errInvalidReferralCode
	}
	if err != nil {
		return fmt.Errorf("referral code: %w", err)
	}
	return nil
}

// referralsOn reports whether referral codes are honoured now.
func (a *api) referralsOn() bool { return a.Referrals.Enabled == nil || a.Referrals.Enabled() }

// signupTraits is what a sign-in tells the anti-farming checks.
type signupTraits struct {
	device, wallet string
}

// recordSignIn stores what a sign-in (a sign-up, a sign-in of any kind,
// a token refresh) tells: the language the player's mails are written in,
// when the request named one (?lang= or Accept-Language), and for the
// anti-farming checks its fingerprints (the client IP, the device or
// wallet it signed in with) and, for a new player, its referral. It never
// fails the sign-in: the account exists by now, so a store error is logged
// and the referral (if any) is lost.
func (a *api) recordSignIn(r *http.Request, playerID string, created bool, code string, t signupTraits) {
	a.recordLanguage(r, playerID)
	if a.Referrals.Store == nil {
		return
	}
	if !a.referralsOn() {
		code = "" // the player is created all the same, referred by no one
	}
	fps := []persistence.Fingerprint{a.fingerprint(persistence.FingerprintIP, a.clientIPs.of(r))}
	if t.device != "" {
		fps = append(fps, a.fingerprint(persistence.FingerprintDevice, t.device))
	}
	if t.wallet != "" {
		fps = append(fps, a.fingerprint(persistence.FingerprintWallet, t.wallet))
	}
	ref, err := a.Referrals.Store.RecordSignup(r.Context(), persistence.Signup{PlayerID: playerID, New: created,
		ReferralCode: code, Fingerprints: fps}, a.Referrals.Policy)
	if err != nil {
		a.logger.Warn("referral: record sign-up", slog.String("player", playerID), slog.Any("error", err))
		return
	}
	if ref != nil && ref.Status == persistence.ReferralRefused {
		a.logger.Info("referral refused", slog.String("player", playerID), slog.String("referrer", ref.ReferrerID),
			slog.String("reason", string(ref.Reason)))
	}
}

// recordLanguage keeps the request's language as the player's mail
// language when the request named one; a client that says nothing keeps
// the language it chose before.
func (a *api) recordLanguage(r *http.Request, playerID string) {
	lang := localeOf(r.Context()).lang
	if a.Notifications.Store == nil || lang == "" ||
		(r.URL.Query().Get("lang") == "" && r.Header.Get("Accept-Language") == "") {
		return
	}
	if err := a.Notifications.Store.SetPlayerLanguage(r.Context(), playerID, lang); err != nil {
		a.logger.Warn("record mail language", slog.String("player", playerID), slog.Any("error", err))
	}
}

// fingerprint is a keyed hash (HMAC-SHA256 under Referrals.
// FingerprintSecret) of a trait, so the raw device id, IP or address is
// never stored and a leaked table cannot be reversed by hashing every IPv4
// address; the kind is part of the input so equal strings of two kinds
// never match.
func (a *api) fingerprint(kind persistence.FingerprintKind, v string) persistence.Fingerprint {
	m := hmac.New(sha256.New, a.Referrals.FingerprintSecret)
	m.Write([]byte("proofstell-referral\x00" + string(kind) + "\x00" + v))
	return persistence.Fingerprint{Kind: kind, Hash: hex.EncodeToString(m.Sum(nil))}
}

// referralJSON is one referral as its referrer sees it.
type referralJSON struct {
	PlayerID    string     `json:"playerId"`
	Username    string     `json:"username"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason,omitempty"`
	GamesPlayed int        `json:"gamesPlayed"`
	CreatedAt   time.Time  `json:"createdAt"`
	RewardedAt  *time.Time `json:"rewardedAt,omitempty"`
}

// referralsResponse is the body of GET /players/me/referrals.
type referralsResponse struct {
	Code          string         `json:"code"`
	GamesRequired int            `json:"gamesRequired"`
	RewardBadge   string         `json:"rewardBadge"`
	Rewarded      int            `json:"rewarded"`
	Referrals     []referralJSON `json:"referrals"`
}

// playerReferrals serves the caller's code, referrals and rewards.
func (a *api) playerReferrals(w http.ResponseWriter, r *http.Request) error {
	store := a.Referrals.Store
	if store == nil {
		return fmt.Errorf("referrals: %w", errNotConfigured)
	}
	id := playerID(r)
	code, err := store.ReferralCode(r.Context(), id)
	if err != nil {
		return fmt.Errorf("referral code: %w", err)
	}
	list, err := store.PlayerReferrals(r.Context(), id)
	if err != nil {
		return fmt.Errorf("referrals: %w", err)
	}
	out := referralsResponse{Code: code, GamesRequired: a.Referrals.Games, RewardBadge: persistence.ReferralBadgeSlug,
		Referrals: make([]referralJSON, 0, len(list))}
	for _, ref := range list {
		if ref.Status == persistence.ReferralRewarded {
			out.Rewarded++
		}
		j := referralJSON{PlayerID: ref.ReferredID, Username: ref.ReferredName, Status: string(ref.Status),
			Reason: string(ref.Reason), GamesPlayed: ref.GamesCounted, CreatedAt: ref.CreatedAt.UTC()}
		if ref.RewardedAt != nil {
			at := ref.RewardedAt.UTC()
			j.RewardedAt = &at
		}
		out.Referrals = append(out.Referrals, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
