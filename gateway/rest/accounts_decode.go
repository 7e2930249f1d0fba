package rest

import (
	"errors"
	"io"
	netmail "net/mail"
	"regexp"
	"strings"

	"github.com/proofstell/proofstell/gateway/auth"
)

// Field limits of the account bodies.
const (
	maxEmail = 254
	// maxPasswordBytes caps what reaches bcrypt's pre-hash on login, where
	// the strength rule is not applied: 128 characters of up to 4 bytes.
	maxPasswordBytes = 4 * auth.MaxPasswordLen
	minEmailToken    = 16
	maxEmailToken    = 128
)

// usernamePattern is the registration rule: 3 to 30 ASCII letters, digits
// and underscores (guest names "mole_xxxxxx" fit it too).
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_]{3,30}$`)

// emailTokenPattern is the shape of a mailed token (base64url).
var emailTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// registerRequest is the body of POST /auth/register.
type registerRequest struct {
	Email        string `json:"email"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	ReferralCode string `json:"referralCode"`
}

// loginRequest is the body of POST /auth/login.
type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// emailTokenRequest is the body of POST /auth/verify-email.
type emailTokenRequest struct {
	Token string `json:"token"`
}

// emailRequest is the body of resend-verification and forgot-password.
type emailRequest struct {
	Email string `json:"email"`
}

// resetRequest is the body of POST /auth/reset-password.
type resetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// upgradeRequest is the body of POST /auth/upgrade/email; an empty
// username keeps the guest's name.
type upgradeRequest struct {
	Email    string `json:"email"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// decodeInto strictly decodes one body and runs validate on it.
func decodeInto[T any](body io.Reader, validate func(*T) error) (T, error) {
	var req T
	if err := decodeBody(body, &req); err != nil {
		return req, err
	}
	if err := validate(&req); err != nil {
		var zero T
		return zero, err
	}
	return req, nil
}

func decodeRegister(body io.Reader) (registerRequest, error) {
	return decodeInto(body, func(r *registerRequest) error {
		if err := checkEmailField(&r.Email); err != nil {
			return err
		}
		if !usernamePattern.MatchString(r.Username) {
			return invalid("username", "username must be 3 to 30 letters, digits or underscores")
		}
		return checkNewPassword(r.Password, r.Username, r.Email)
	})
}

func decodeLogin(body io.Reader) (loginRequest, error) {
	return decodeInto(body, func(r *loginRequest) error {
		if err := checkEmailField(&r.Email); err != nil {
			return err
		}
		return checkPasswordField(r.Password)
	})
}

func decodeEmailToken(body io.Reader) (emailTokenRequest, error) {
	return decodeInto(body, func(r *emailTokenRequest) error { return checkTokenField(r.Token) })
}

func decodeEmailOnly(body io.Reader) (emailRequest, error) {
	return decodeInto(body, func(r *emailRequest) error { return checkEmailField(&r.Email) })
}

func decodeReset(body io.Reader) (resetRequest, error) {
	return decodeInto(body, func(r *resetRequest) error {
		if err := checkTokenField(r.Token); err != nil {
			return err
		}
		// The identity part of the rule is checked once the account is known.
		return checkNewPassword(r.Password, "", "")
	})
}

func decodeUpgrade(body io.Reader) (upgradeRequest, error) {
	return decodeInto(body, func(r *upgradeRequest) error {
		if err := checkEmailField(&r.Email); err != nil {
			return err
		}
		if r.Username != "" && !usernamePattern.MatchString(r.Username) {
			return invalid("username", "username must be 3 to 30 letters, digits or underscores")
		}
		return checkNewPassword(r.Password, r.Username, r.Email)
	})
}

// normalizeEmail trims and lower-cases an address; accounts are keyed by
// the result.
func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// checkEmailField normalizes *email in place and requires a bare address
// (no display name, no comments) of at most 254 bytes.
func checkEmailField(email *string) error {
	e := normalizeEmail(*email)
	if len(e) < 3 || len(e) > maxEmail || !printable(e) {
		return invalid("email", "email must be a valid address")
	}
	addr, err := netmail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" || !strings.Contains(e, "@") {
		return invalid("email", "email must be a valid address")
	}
	*email = e
	return nil
}

// checkNewPassword applies the strength rule to a password being set.
func checkNewPassword(password, username, email string) error {
	if err := auth.CheckStrength(password, username, email); err != nil {
		if errors.Is(err, auth.ErrWeakPassword) {
			return &apiError{Status: 422, Code: CodeWeakPassword, Message: err.Error(),
				Details: map[string]any{"field": "password"}}
		}
		return err
	}
	return nil
}

// checkPasswordField only bounds a login password: the rule may have
// changed since it was set, and a non-matching password fails anyway.
func checkPasswordField(password string) error {
	if password == "" || len(password) > maxPasswordBytes {
		return invalid("password", "password is required")
	}
	return nil
}

func checkTokenField(token string) error {
	if len(token) < minEmailToken || len(token) > maxEmailToken || !emailTokenPattern.MatchString(token) {
		return invalid("token", "token is malformed")
	}
	return nil
}
