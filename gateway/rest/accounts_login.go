package rest

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// invalidCredentials is the one answer to every failed login.
var invalidCredentials = newError(http.StatusUnauthorized, CodeInvalidCredentials, "email or password is incorrect")

// login signs in with email and password.
//
// Unknown email and wrong password are indistinguishable: both answer
// invalidCredentials, both run one bcrypt comparison (against a dummy hash
// when there is no account) and both count towards the lockout, which is
// keyed by the address whether or not an account has it. A locked address
// answers 423 account_locked with Retry-After, before any password check.
// If the lockout store fails the login fails (closed): no unlimited guessing
// while Redis is down.
func (a *api) login(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeLogin)
	if err != nil {
		return err
	}
	ctx, subject := r.Context(), lockSubject(req.Email)
	left, err := a.Accounts.Lockout.Locked(ctx, subject)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if left > 0 {
		return accountLocked(w, left)
	}
	acct, err := a.Accounts.Store.AccountByEmail(ctx, req.Email)
	if err != nil && !errors.Is(err, persistence.ErrNotFound) {
		return fmt.Errorf("login: %w", err)
	}
	if !a.Accounts.Passwords.Compare(acct.PasswordHash, req.Password) {
		return a.loginFailed(r, subject)
	}
	if err := a.Accounts.Lockout.Reset(ctx, subject); err != nil {
		a.logger.WarnContext(ctx, "lockout not reset", slog.Any("error", err))
	}
	a.recordSignIn(r, acct.Player.ID, false, "", signupTraits{})
	return a.signedIn(w, r, http.StatusOK, acct.Player)
}

// loginFailed counts the failure and answers invalidCredentials; the
// failure that locks is logged as a security event (by hashed subject).
func (a *api) loginFailed(r *http.Request, subject string) error {
	lockedFor, err := a.Accounts.Lockout.Fail(r.Context(), subject)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	if lockedFor > 0 {
		a.logger.WarnContext(r.Context(), "security: sign-in locked after repeated failures",
			slog.String("subject", subject), slog.Duration("locked_for", lockedFor),
			slog.String("request_id", requestID(r.Context())))
	}
	return invalidCredentials
}

// accountLocked sets Retry-After (whole seconds, rounded up) and returns
// the 423 error.
func accountLocked(w http.ResponseWriter, left time.Duration) error {
	secs := int64(math.Ceil(left.Seconds()))
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	return &apiError{Status: http.StatusLocked, Code: CodeAccountLocked,
		Message: "too many failed sign-ins; try again later", Details: map[string]any{"retryAfterSeconds": secs}}
}
