package rest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// errorMessage is the code and message of an error response, without the
// per-request id.
func errorMessage(t *testing.T, body string) (string, string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	require.NoError(t, jsonUnmarshal(body, &e))
	return e.Error.Code, e.Error.Message
}

func TestAccounts_LoginErrorsAreGeneric(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	h.register(t, "frank@example.com", "frank", goodPassword)
	wrong := h.login(t, "frank@example.com", "not4thepassword")
	unknown := h.login(t, "nobody@example.com", "not4thepassword")
	requireError(t, wrong, http.StatusUnauthorized, CodeInvalidCredentials)
	requireError(t, unknown, http.StatusUnauthorized, CodeInvalidCredentials)
	wc, wm := errorMessage(t, wrong.Body.String())
	uc, um := errorMessage(t, unknown.Body.String())
	require.Equal(t, [2]string{wc, wm}, [2]string{uc, um}, "unknown email and wrong password look the same")
}

// TestAccounts_LoginTimingHidesUnknownEmail fails if an unknown email skipped
// the bcrypt comparison: at cost 8 a comparison takes milliseconds (tens under -race),
// a database miss well under one.
func TestAccounts_LoginTimingHidesUnknownEmail(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, 8)
	h.register(t, "gina@example.com", "gina", goodPassword)
	fastest := func(email string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			requireError(t, h.login(t, email, "wrong4password"), http.StatusUnauthorized, CodeInvalidCredentials)
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := fastest("gina@example.com"), fastest("nobody@example.com")
	require.Greater(t, unknown, known/3, "unknown %s vs known %s: the dummy comparison ran", unknown, known)
}

func TestAccounts_Lockout(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	h.register(t, "hank@example.com", "hank", goodPassword)

	// A success resets the count: 4 failures, a success, 4 failures.
	for round := range 2 {
		for range 4 {
			requireError(t, h.login(t, "hank@example.com", "bad4guess"), http.StatusUnauthorized, CodeInvalidCredentials)
		}
		if round == 0 {
			require.Equal(t, http.StatusOK, h.login(t, "hank@example.com", goodPassword).Code)
		}
	}
	requireError(t, h.login(t, "HANK@example.com", "bad4guess"), http.StatusUnauthorized, CodeInvalidCredentials)
	w := h.login(t, "hank@example.com", goodPassword)
	requireError(t, w, http.StatusLocked, CodeAccountLocked)
	require.Equal(t, "900", w.Header().Get("Retry-After"), "900 seconds, not 900 ms")

	// Unknown addresses lock the same way, so a lock reveals no account.
	for range 5 {
		requireError(t, h.login(t, "ghost@example.com", "bad4guess"), http.StatusUnauthorized, CodeInvalidCredentials)
	}
	requireError(t, h.login(t, "ghost@example.com", "bad4guess"), http.StatusLocked, CodeAccountLocked)
	require.True(t, strings.Contains(h.logs.String(), "security: sign-in locked"))
	require.NotContains(t, h.logs.String(), "hank@example.com")

	// A password reset lifts the lock.
	require.Equal(t, http.StatusAccepted, h.post(t, "/auth/forgot-password", "", map[string]string{"email": "hank@example.com"}).Code)
	token := mailTokenOf(t, h)
	require.Equal(t, http.StatusOK, h.post(t, "/auth/reset-password", "", map[string]string{"token": token, "password": "fresh4start"}).Code)
	require.Equal(t, http.StatusOK, h.login(t, "hank@example.com", "fresh4start").Code)
}

// brokenLockout is a lockout store that is down.
type brokenLockout struct{}

func (brokenLockout) Locked(context.Context, string) (time.Duration, error) {
	return 0, errors.New("redis down")
}

func (brokenLockout) Fail(context.Context, string) (time.Duration, error) {
	return 0, errors.New("redis down")
}

func (brokenLockout) Reset(context.Context, string) error { return errors.New("redis down") }

func TestAccounts_LoginFailsClosedWithoutLockout(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	h.register(t, "ivan@example.com", "ivan", goodPassword)
	deps := h.deps
	deps.Accounts.Lockout = brokenLockout{}
	broken := &acctHarness{harness: &harness{handler: NewRouter(deps), tokens: h.tokens, logs: h.logs}}
	w := broken.login(t, "ivan@example.com", goodPassword)
	require.GreaterOrEqual(t, w.Code, 500, "no sign-in while failures cannot be counted: %s", w.Body.String())
	require.NotContains(t, w.Body.String(), "accessToken")
}
