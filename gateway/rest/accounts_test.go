package rest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/proofstell/proofstell/gateway/mail/mailtest"
	"github.com/proofstell/proofstell/persistence"
)

const (
	goodPassword = "whack4moles"
	subjVerify   = "Confirm your ProofStell email"
	subjReset    = "Reset your ProofStell password"
	subjExists   = "Your ProofStell account"
)

func TestAccounts_RegisterVerifyLogin(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	reg, m := h.register(t, "Alice@Example.com", "alice_01", goodPassword)
	require.NotEmpty(t, reg.AccessToken)
	require.NotEmpty(t, reg.RefreshToken)
	require.Equal(t, "alice_01", reg.Player.Username)
	claims, err := h.tokens.Verify(reg.AccessToken)
	require.NoError(t, err)
	require.Equal(t, reg.Player.ID, claims.PlayerID)

	requireMailTo(t, m, "alice@example.com", subjVerify)
	require.Contains(t, m.Data, "https://play.example.com/verify-email?token=")
	token := mailtest.Token(t, m)
	acct, err := h.store.AccountByPlayer(t.Context(), reg.Player.ID)
	require.NoError(t, err)
	require.True(t, acct.EmailVerifiedAt.IsZero())
	require.NotContains(t, string(acct.PasswordHash), goodPassword)

	w := h.post(t, "/auth/verify-email", "", map[string]string{"token": token})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	acct, err = h.store.AccountByPlayer(t.Context(), reg.Player.ID)
	require.NoError(t, err)
	require.False(t, acct.EmailVerifiedAt.IsZero())
	requireError(t, h.post(t, "/auth/verify-email", "", map[string]string{"token": token}),
		http.StatusBadRequest, CodeInvalidEmailToken)

	w = h.login(t, "ALICE@example.COM", goodPassword)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, reg.Player.ID, decode[tokenResponse](t, w).Player.ID)
	require.NotContains(t, h.logs.String(), "alice@example.com", "emails are never logged")
}

func TestAccounts_RegisterValidation(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"short username", `{"email":"a@example.com","username":"ab","password":"whack4moles"}`, 422, CodeValidationFailed},
		{"long username", `{"email":"a@example.com","username":"` + strings.Repeat("a", 31) + `","password":"whack4moles"}`, 422, CodeValidationFailed},
		{"username charset", `{"email":"a@example.com","username":"al-ice","password":"whack4moles"}`, 422, CodeValidationFailed},
		{"bad email", `{"email":"not-an-email","username":"alice","password":"whack4moles"}`, 422, CodeValidationFailed},
		{"display-name email", `{"email":"Al <a@example.com>","username":"alice","password":"whack4moles"}`, 422, CodeValidationFailed},
		{"short password", `{"email":"a@example.com","username":"alice","password":"wh4ck"}`, 422, CodeWeakPassword},
		{"password without digit", `{"email":"a@example.com","username":"alice","password":"whackmoles"}`, 422, CodeWeakPassword},
		{"password is username", `{"email":"a@example.com","username":"alice2026","password":"ALICE2026"}`, 422, CodeWeakPassword},
		{"password is email local part", `{"email":"bobby2026@example.com","username":"alice","password":"BOBBY2026"}`, 422, CodeWeakPassword},
		{"unknown field", `{"email":"a@example.com","username":"alice","password":"whack4moles","role":"admin"}`, 400, CodeBadRequest},
		{"two values", `{"email":"a@example.com","username":"alice","password":"whack4moles"} {}`, 400, CodeBadRequest},
	}
	for _, tc := range tests {
		w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/register", Body: tc.body})
		requireError(t, w, tc.status, tc.code)
		require.NotContains(t, w.Body.String(), "whack4moles", tc.name)
	}
	require.Zero(t, h.inbox.Pending())
}

func TestAccounts_RegisterTaken_NoEmailEnumeration(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	h.register(t, "owner@example.com", "owner", goodPassword)

	w := h.post(t, "/auth/register", "", map[string]string{"email": "OWNER@example.com", "username": "intruder", "password": "other4pass"})
	require.Equal(t, http.StatusAccepted, w.Code, w.Body.String())
	require.Equal(t, checkEmail, decode[statusResponse](t, w))
	require.NotContains(t, w.Body.String(), "owner", "nothing about the existing account is returned")
	m := h.inbox.Next(t)
	requireMailTo(t, m, "owner@example.com", subjExists)
	require.NotContains(t, m.Data, "token=", "the owner gets no usable link")

	w = h.post(t, "/auth/register", "", map[string]string{"email": "new@example.com", "username": "OWNER", "password": goodPassword})
	requireError(t, w, http.StatusConflict, CodeUsernameTaken)
	w = h.login(t, "owner@example.com", "other4pass")
	requireError(t, w, http.StatusUnauthorized, CodeInvalidCredentials)
}

func TestAccounts_ResendVerification_NoEnumeration(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	_, first := h.register(t, "carol@example.com", "carol", goodPassword)

	unknown := h.post(t, "/auth/resend-verification", "", map[string]string{"email": "nobody@example.com"})
	known := h.post(t, "/auth/resend-verification", "", map[string]string{"email": "carol@example.com"})
	for _, w := range []*struct{ code int }{{unknown.Code}, {known.Code}} {
		require.Equal(t, http.StatusAccepted, w.code)
	}
	require.Equal(t, unknown.Body.String(), known.Body.String(), "same answer for unknown and known addresses")
	// One worker sends in order: a mail for the unknown address would come first.
	m := h.inbox.Next(t)
	requireMailTo(t, m, "carol@example.com", subjVerify)
	require.NotEqual(t, mailtest.Token(t, first), mailtest.Token(t, m))

	require.Equal(t, http.StatusOK, h.post(t, "/auth/verify-email", "", map[string]string{"token": mailtest.Token(t, m)}).Code)
	requireError(t, h.post(t, "/auth/verify-email", "", map[string]string{"token": mailtest.Token(t, first)}),
		http.StatusBadRequest, CodeInvalidEmailToken)
	require.Equal(t, http.StatusAccepted, h.post(t, "/auth/resend-verification", "", map[string]string{"email": "carol@example.com"}).Code)
	require.Equal(t, http.StatusAccepted, h.post(t, "/auth/forgot-password", "", map[string]string{"email": "carol@example.com"}).Code)
	requireMailTo(t, h.inbox.Next(t), "carol@example.com", subjReset) // a verified address gets no second verification mail
}

func TestAccounts_ForgotAndResetPassword(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	reg, _ := h.register(t, "dave@example.com", "dave_2026", goodPassword)

	unknown := h.post(t, "/auth/forgot-password", "", map[string]string{"email": "ghost@example.com"})
	known := h.post(t, "/auth/forgot-password", "", map[string]string{"email": "dave@example.com"})
	require.Equal(t, http.StatusAccepted, unknown.Code)
	require.Equal(t, unknown.Body.String(), known.Body.String())
	m := h.inbox.Next(t)
	requireMailTo(t, m, "dave@example.com", subjReset)
	require.Contains(t, m.Data, "https://play.example.com/reset-password?token=")
	token := mailtest.Token(t, m)

	w := h.post(t, "/auth/reset-password", "", map[string]string{"token": token, "password": "DAVE_2026"})
	requireError(t, w, http.StatusUnprocessableEntity, CodeWeakPassword)
	w = h.post(t, "/auth/reset-password", "", map[string]string{"token": token, "password": "new4password"})
	require.Equal(t, http.StatusOK, w.Code, "a weak password did not burn the token: %s", w.Body.String())
	requireError(t, h.post(t, "/auth/reset-password", "", map[string]string{"token": token, "password": "newer4password"}),
		http.StatusBadRequest, CodeInvalidEmailToken)

	requireError(t, h.login(t, "dave@example.com", goodPassword), http.StatusUnauthorized, CodeInvalidCredentials)
	require.Equal(t, http.StatusOK, h.login(t, "dave@example.com", "new4password").Code)
	w = h.post(t, "/auth/refresh", "", map[string]string{"refreshToken": reg.RefreshToken})
	require.Equal(t, http.StatusUnauthorized, w.Code, "the reset revoked the old session: %s", w.Body.String())
	w = h.get(t, "/api/v1/players/me", reg.AccessToken)
	require.Equal(t, http.StatusUnauthorized, w.Code, "the reset revoked the old access token at once: %s", w.Body.String())

	require.Equal(t, http.StatusAccepted, h.post(t, "/auth/forgot-password", "", map[string]string{"email": "dave@example.com"}).Code)
	late := mailtest.Token(t, h.inbox.Next(t))
	h.clock.Advance(DefaultResetTTL)
	requireError(t, h.post(t, "/auth/reset-password", "", map[string]string{"token": late, "password": "late4password"}),
		http.StatusBadRequest, CodeEmailTokenExpired)
}

func TestAccounts_UpgradeGuestKeepsHistory(t *testing.T) {
	t.Parallel()
	h := newAcctHarness(t, bcrypt.MinCost)
	guest := signIn(t, h.harness, "device-upgrade-1")
	playGame(t, h.store, testNow.Add(-time.Hour), persistence.KindSolo, map[string]int64{guest.Player.ID: 17})
	body := map[string]string{"email": "erin@example.com", "username": "erin", "password": goodPassword}

	requireError(t, h.post(t, "/auth/upgrade/email", "", body), http.StatusUnauthorized, CodeUnauthorized)
	w := h.post(t, "/auth/upgrade/email", guest.AccessToken, body)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	up := decode[tokenResponse](t, w)
	require.Equal(t, guest.Player.ID, up.Player.ID, "same player")
	require.Equal(t, "erin", up.Player.Username)
	requireMailTo(t, h.inbox.Next(t), "erin@example.com", subjVerify)

	w = h.login(t, "erin@example.com", goodPassword)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, guest.Player.ID, decode[tokenResponse](t, w).Player.ID)
	st, err := h.store.Stats(t.Context(), guest.Player.ID)
	require.NoError(t, err)
	require.Equal(t, int64(17), st.BestScore, "history kept")

	requireError(t, h.post(t, "/auth/upgrade/email", up.AccessToken,
		map[string]string{"email": "erin2@example.com", "password": goodPassword}), http.StatusConflict, CodeAlreadyRegistered)
	other := signIn(t, h.harness, "device-upgrade-2")
	requireError(t, h.post(t, "/auth/upgrade/email", other.AccessToken,
		map[string]string{"email": "x@example.com", "username": "ERIN", "password": goodPassword}), http.StatusConflict, CodeUsernameTaken)
	w = h.post(t, "/auth/upgrade/email", other.AccessToken, map[string]string{"email": "Erin@example.com", "password": goodPassword})
	require.Equal(t, http.StatusAccepted, w.Code, "taken email: same answer as register")
	requireMailTo(t, h.inbox.Next(t), "erin@example.com", subjExists)
}

func TestAccounts_RoutesNeedTheirDeps(t *testing.T) {
	t.Parallel()
	h, _ := newDBHarness(t, nil)
	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/login", Body: `{"email":"a@example.com","password":"x"}`})
	requireError(t, w, http.StatusNotFound, CodeNotFound)
}
