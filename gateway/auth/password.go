package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password length bounds, in characters (runes).
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// ErrWeakPassword reports a password that breaks the strength rule (see CheckStrength).
var ErrWeakPassword = errors.New("weak password")

// dummyPassword is hashed once at start; unknown emails are compared against
// it so a login takes a bcrypt's time whether or not the account exists.
const dummyPassword = "proofstell-no-such-account-0" //nolint:gosec // G101: a public timing decoy, it opens nothing

// Passwords hashes and checks passwords with bcrypt at a configured cost.
//
// bcrypt reads at most 72 bytes, and a 128-character password can be 512
// bytes, so every password is first reduced to base64(SHA-256(password))
// (44 bytes, no NUL): all of it counts. Safe for concurrent use.
type Passwords struct {
	cost  int
	dummy []byte
}

// NewPasswords returns Passwords hashing at cost (config.Auth.BcryptCost,
// BCRYPT_SALT_ROUNDS). It computes the dummy hash, so it takes one hash's
// time.
func NewPasswords(cost int) (*Passwords, error) {
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("bcrypt cost %d outside %d..%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	p := &Passwords{cost: cost}
	dummy, err := p.Hash(dummyPassword)
	if err != nil {
		return nil, err
	}
	p.dummy = dummy
	return p, nil
}

// Hash returns the bcrypt hash of password.
func (p *Passwords) Hash(password string) ([]byte, error) {
	h, err := bcrypt.GenerateFromPassword(prehash(password), p.cost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// Compare reports whether password matches hash. A nil hash (no such
// account) is compared against the dummy hash and reports false, spending
// the same time as a real mismatch.
func (p *Passwords) Compare(hash []byte, password string) bool {
	if len(hash) == 0 {
		_ = bcrypt.CompareHashAndPassword(p.dummy, prehash(password))
		return false
	}
	return bcrypt.CompareHashAndPassword(hash, prehash(password)) == nil
}

// prehash maps any password to 44 bytes bcrypt reads whole.
func prehash(password string) []byte {
	sum := sha256.Sum256([]byte(password))
	return []byte(base64.StdEncoding.EncodeToString(sum[:]))
}

// CheckStrength enforces the password rule: 8 to 128 characters, at least
// one letter and one digit, valid UTF-8 without control characters, and not
// the username or the email's local part (ignoring case). Errors wrap
// ErrWeakPassword and say which part failed, never echoing the password.
func CheckStrength(password, username, email string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen || n > MaxPasswordLen {
		return fmt.Errorf("%w: must be %d to %d characters", ErrWeakPassword, MinPasswordLen, MaxPasswordLen)
	}
	if !utf8.ValidString(password) {
		return fmt.Errorf("%w: must be valid UTF-8", ErrWeakPassword)
	}
	var letter, digit bool
	for _, r := range password {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("%w: must not contain control characters", ErrWeakPassword)
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if !letter || !digit {
		return fmt.Errorf("%w: must contain a letter and a digit", ErrWeakPassword)
	}
	local, _, _ := strings.Cut(email, "@")
	for _, same := range []string{username, local} {
		if same != "" && strings.EqualFold(password, same) {
			return fmt.Errorf("%w: must not be your username or email", ErrWeakPassword)
		}
	}
	return nil
}
