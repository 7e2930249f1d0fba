package rest

import (
	"crypto/rand"
	"io"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/persistence"
)

// Error codes of the account routes; stable like those in errors.go.
const (
	// CodeInvalidCredentials is the one answer to every failed login, so
	// it never tells an unknown email from a wrong password.
	CodeInvalidCredentials = "invalid_credentials" //nolint:gosec // G101: an error code, not a credential
	// CodeAccountLocked: too many failed logins; Retry-After says when to retry.
	CodeAccountLocked = "account_locked"
	// CodeUsernameTaken: usernames are public, so saying so reveals nothing.
	CodeUsernameTaken = "username_taken"
	// CodeAlreadyRegistered: the signed-in player has email credentials already.
	CodeAlreadyRegistered = "already_registered"
	// CodeWeakPassword: the password breaks auth.CheckStrength.
	CodeWeakPassword = "weak_password"
	// CodeInvalidEmailToken: unknown, already used or wrong-purpose token.
	CodeInvalidEmailToken = "invalid_token"
	// CodeEmailTokenExpired: the link expired; ask for a new one.
	CodeEmailTokenExpired = "token_expired"
)

// Default lifetimes of mailed tokens.
const (
	DefaultVerifyTTL = 24 * time.Hour
	DefaultResetTTL  = time.Hour
)

// MailQueue takes a mail for asynchronous delivery (*mail.Queue). It must
// not block: handlers answer the same whether or not a mail was sent.
type MailQueue interface {
	Enqueue(m mail.Message) error
}

// AccountDeps is what the email and password account routes need. The
// routes are mounted only when Store, Lockout, Passwords, Letters and Mail
// are all set.
type AccountDeps struct {
	Store     persistence.AccountStore
	Lockout   persistence.Lockout
	Passwords *auth.Passwords
	Letters   *mail.Letters
	Mail      MailQueue
	// VerifyTTL and ResetTTL bound mailed links; 0 means the defaults.
	VerifyTTL time.Duration
	ResetTTL  time.Duration
	// Random makes email tokens; nil means crypto/rand.
	Random io.Reader
}

// enabled reports whether every required dependency is wired.
func (d AccountDeps) enabled() bool {
	return d.Store != nil && d.Lockout != nil && d.Passwords != nil && d.Letters != nil && d.Mail != nil
}

func (d AccountDeps) random() io.Reader {
	if d.Random == nil {
		return rand.Reader
	}
	return d.Random
}

func (d AccountDeps) verifyTTL() time.Duration { return orDefault(d.VerifyTTL, DefaultVerifyTTL) }

func (d AccountDeps) resetTTL() time.Duration { return orDefault(d.ResetTTL, DefaultResetTTL) }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// accountPublicRoutes registers registration, login, verification and
// password reset. See accounts_register.go for the no-enumeration rules.
func (a *api) accountPublicRoutes(r chi.Router) {
	if !a.Accounts.enabled() {
		return
	}
	r.Post("/auth/register", a.handle(a.register))
	r.Post("/auth/login", a.handle(a.login))
	r.Post("/auth/verify-email", a.handle(a.verifyEmail))
	r.Post("/auth/resend-verification", a.handle(a.resendVerification))
	r.Post("/auth/forgot-password", a.handle(a.forgotPassword))
	r.Post("/auth/reset-password", a.handle(a.resetPassword))
}

// accountRoutes registers the signed-in guest's upgrade to an email account.
func (a *api) accountRoutes(r chi.Router) {
	if !a.Accounts.enabled() {
		return
	}
	r.Post("/auth/upgrade/email", a.handle(a.upgradeEmail))
}

// statusResponse is the body of an accepted request that returns no data.
type statusResponse struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// checkEmail is the answer that is identical whether or not an account
// exists for the address.
var checkEmail = statusResponse{Status: "check_email",
	Message: "if the address belongs to an account, a mail is on its way"}

// writeAccepted answers 202 with checkEmail.
func writeAccepted(w http.ResponseWriter) {
	writeJSON(w, http.StatusAccepted, checkEmail)
}
