package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// verifyEmail consumes a verification token and marks the email verified.
func (a *api) verifyEmail(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeEmailToken)
	if err != nil {
		return err
	}
	now := a.now()
	tok, err := a.Accounts.Store.ConsumeEmailToken(r.Context(), hashEmailToken(req.Token), persistence.PurposeVerifyEmail, now)
	if err != nil {
		return emailTokenError("verify email", err)
	}
	if err := a.Accounts.Store.MarkEmailVerified(r.Context(), tok.PlayerID, now); err != nil {
		return fmt.Errorf("verify email: %w", err)
	}
	writeJSON(w, http.StatusOK, statusResponse{Status: "verified", Message: "email verified"})
	return nil
}

// resendVerification mails a new verification link to an unverified
// account. It always answers 202: whether the address has an account is not
// revealed. Only the lookup can fail the request (it runs for every address).
func (a *api) resendVerification(w http.ResponseWriter, r *http.Request) error {
	return a.mailIfAccount(w, r, func(ctx context.Context, acct persistence.Account) {
		if acct.EmailVerifiedAt.IsZero() {
			a.mailVerification(ctx, acct)
		}
	})
}

// forgotPassword mails a password reset link. Always 202, like
// resendVerification.
func (a *api) forgotPassword(w http.ResponseWriter, r *http.Request) error {
	return a.mailIfAccount(w, r, func(ctx context.Context, acct persistence.Account) {
		ttl := a.Accounts.resetTTL()
		token, err := a.newEmailToken(ctx, acct.Player.ID, persistence.PurposeResetPassword, ttl)
		if err != nil {
			a.logger.WarnContext(ctx, "reset token not created", slog.String("player_id", acct.Player.ID), slog.Any("error", err))
			return
		}
		a.enqueueMail(ctx, a.Accounts.Letters.PasswordReset(acct.Email, acct.Player.Username, token, ttl))
	})
}

// mailIfAccount decodes an {"email"} body, runs send for its account if
// there is one, and answers 202 either way. Mail goes out asynchronously,
// so both cases take about one database lookup.
func (a *api) mailIfAccount(w http.ResponseWriter, r *http.Request, send func(context.Context, persistence.Account)) error {
	req, err := readBody(a, w, r, decodeEmailOnly)
	if err != nil {
		return err
	}
	acct, err := a.Accounts.Store.AccountByEmail(r.Context(), req.Email)
	switch {
	case err == nil:
		send(r.Context(), acct)
	case !errors.Is(err, persistence.ErrNotFound):
		return fmt.Errorf("account mail: %w", err)
	}
	writeAccepted(w)
	return nil
}

// resetPassword sets a new password with a reset token. The token is
// checked before the password (a weak password does not burn it) and
// consumed atomically before the write. The reset also proves the mailbox
// (email verified), lifts a login lockout, and revokes every refresh token
// (in SetPassword).
func (a *api) resetPassword(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeReset)
	if err != nil {
		return err
	}
	ctx, now, hash := r.Context(), a.now(), hashEmailToken(req.Token)
	tok, err := a.Accounts.Store.EmailToken(ctx, hash, persistence.PurposeResetPassword, now)
	if err != nil {
		return emailTokenError("reset password", err)
	}
	acct, err := a.Accounts.Store.AccountByPlayer(ctx, tok.PlayerID)
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if err := checkNewPassword(req.Password, acct.Player.Username, acct.Email); err != nil {
		return err
	}
	newHash, err := a.Accounts.Passwords.Hash(req.Password)
	if err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	if _, err := a.Accounts.Store.ConsumeEmailToken(ctx, hash, persistence.PurposeResetPassword, now); err != nil {
		return emailTokenError("reset password", err)
	}
	if err := a.Accounts.Store.SetPassword(ctx, acct.Player.ID, newHash); err != nil {
		return fmt.Errorf("reset password: %w", err)
	}
	a.afterReset(ctx, acct)
	writeJSON(w, http.StatusOK, statusResponse{Status: "password_reset", Message: "password changed; sign in again"})
	return nil
}

// afterReset does the follow-ups of a reset. Access tokens issued before it
// are revoked at once (watermark), so a stolen session dies with the old
// password rather than at its token's expiry; the refresh tokens went in
// SetPassword. The rest is best effort.
func (a *api) afterReset(ctx context.Context, acct persistence.Account) {
	if rev := a.Security.Revocation; rev != nil {
		if err := rev.LogoutAll(ctx, acct.Player.ID, auth.ReasonLogoutAll); err != nil {
			a.logger.ErrorContext(ctx, "access tokens not revoked after password reset", slog.Any("error", err))
		}
	}
	if err := a.Accounts.Store.MarkEmailVerified(ctx, acct.Player.ID, a.now()); err != nil {
		a.logger.WarnContext(ctx, "email not marked verified after reset", slog.Any("error", err))
	}
	if err := a.Accounts.Lockout.Reset(ctx, lockSubject(acct.Email)); err != nil {
		a.logger.WarnContext(ctx, "lockout not reset after password reset", slog.Any("error", err))
	}
}

// emailTokenError maps a token lookup failure to its client error.
func emailTokenError(op string, err error) error {
	switch {
	case errors.Is(err, persistence.ErrExpired):
		return &apiError{Status: http.StatusBadRequest, Code: CodeEmailTokenExpired,
			Message: "the link has expired; ask for a new one", Details: map[string]any{"field": "token"}}
	case errors.Is(err, persistence.ErrNotFound):
		return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidEmailToken,
			Message: "the link is invalid or was already used", Details: map[string]any{"field": "token"}}
	}
	return fmt.Errorf("%s: %w", op, err)
}
