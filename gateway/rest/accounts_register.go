package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/persistence"
)

// register creates an email account and signs it in (201, the /auth/guest
// token shape) and mails a verification link.
//
// No enumeration: a taken email answers 202 "check your mail" and mails the
// address's owner instead of saying it is taken. That the status differs
// from a new account's 201 is unavoidable while registration signs in at
// once; the auth rate limit bounds probing, the mailbox owner is told, and
// the password is hashed on both paths so the timing matches. A taken
// username is a plain 409: usernames are public anyway.
func (a *api) register(w http.ResponseWriter, r *http.Request) error {
	if err := a.registrationOpen(); err != nil {
		return err
	}
	req, err := readBody(a, w, r, decodeRegister)
	if err != nil {
		return err
	}
	if err := a.checkReferralCode(r.Context(), req.ReferralCode); err != nil {
		return err
	}
	hash, err := a.Accounts.Passwords.Hash(req.Password)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	acct, err := a.Accounts.Store.CreateAccount(r.Context(),
		persistence.NewAccount{Username: req.Username, Email: req.Email, PasswordHash: hash})
	if err != nil {
		return a.accountConflict(w, r, "register", req.Email, err)
	}
	a.mailVerification(r.Context(), acct)
	a.recordSignIn(r, acct.Player.ID, true, req.ReferralCode, signupTraits{})
	return a.signedIn(w, r, http.StatusCreated, acct.Player)
}

// upgradeEmail turns the signed-in player (a guest, or a wallet account
// without email) into an email account: same id, history kept. It answers
// like register, with 200 and fresh tokens carrying the possibly new name.
func (a *api) upgradeEmail(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeUpgrade)
	if err != nil {
		return err
	}
	if req.Username == "" { // the decoder checked against the new name only
		claims, _ := claimsFrom(r.Context())
		if err := checkNewPassword(req.Password, claims.Username, req.Email); err != nil {
			return err
		}
	}
	hash, err := a.Accounts.Passwords.Hash(req.Password)
	if err != nil {
		return fmt.Errorf("upgrade to email: %w", err)
	}
	acct, err := a.Accounts.Store.UpgradeGuest(r.Context(), playerID(r),
		persistence.NewAccount{Username: req.Username, Email: req.Email, PasswordHash: hash})
	if err != nil {
		return a.accountConflict(w, r, "upgrade to email", req.Email, err)
	}
	a.mailVerification(r.Context(), acct)
	return a.signedIn(w, r, http.StatusOK, acct.Player)
}

// accountConflict answers a failed create or upgrade; see register.
func (a *api) accountConflict(w http.ResponseWriter, r *http.Request, op, email string, err error) error {
	switch {
	case errors.Is(err, persistence.ErrEmailTaken):
		a.mailAccountExists(r.Context(), email)
		writeAccepted(w)
		return nil
	case errors.Is(err, persistence.ErrUsernameTaken):
		return &apiError{Status: http.StatusConflict, Code: CodeUsernameTaken, Message: "username is taken",
			Details: map[string]any{"field": "username"}}
	case errors.Is(err, persistence.ErrAlreadyRegistered):
		return newError(http.StatusConflict, CodeAlreadyRegistered, "this account already has an email")
	}
	return fmt.Errorf("%s: %w", op, err)
}

// signedIn issues tokens for p and answers with status.
func (a *api) signedIn(w http.ResponseWriter, r *http.Request, status int, p persistence.Player) error {
	pair, err := a.tokens.Issue(r.Context(), p)
	if err != nil {
		return fmt.Errorf("sign in %s: %w", p.ID, err)
	}
	infoFrom(r.Context()).PlayerID = p.ID
	writeJSON(w, status, newTokenResponse(pair, p))
	return nil
}

// mailVerification mails acct a verification link. Failures are logged,
// not returned: the account exists and the player can ask again.
func (a *api) mailVerification(ctx context.Context, acct persistence.Account) {
	ttl := a.Accounts.verifyTTL()
	token, err := a.newEmailToken(ctx, acct.Player.ID, persistence.PurposeVerifyEmail, ttl)
	if err != nil {
		a.logger.WarnContext(ctx, "verification token not created", slog.String("player_id", acct.Player.ID), slog.Any("error", err))
		return
	}
	a.enqueueMail(ctx, a.Accounts.Letters.Verification(acct.Email, acct.Player.Username, token, ttl))
}

// mailAccountExists tells the owner of email that someone tried to
// register it again.
func (a *api) mailAccountExists(ctx context.Context, email string) {
	acct, err := a.Accounts.Store.AccountByEmail(ctx, email)
	if err != nil {
		a.logger.WarnContext(ctx, "account-exists mail not sent", slog.Any("error", err))
		return
	}
	a.enqueueMail(ctx, a.Accounts.Letters.AccountExists(acct.Email, acct.Player.Username))
}

// enqueueMail hands m to the mail queue; the recipient is never logged.
func (a *api) enqueueMail(ctx context.Context, m mail.Message) {
	if err := a.Accounts.Mail.Enqueue(m); err != nil {
		a.logger.WarnContext(ctx, "mail not queued", slog.String("kind", m.Kind), slog.Any("error", err))
	}
}
