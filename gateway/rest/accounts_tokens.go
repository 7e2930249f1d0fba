package rest

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// emailTokenBytes is the entropy of a mailed token.
const emailTokenBytes = 32

// newEmailToken stores a fresh token for playerID and returns the token to
// mail; only its SHA-256 is stored.
func (a *api) newEmailToken(ctx context.Context, playerID string, purpose persistence.TokenPurpose, ttl time.Duration) (string, error) {
	var b [emailTokenBytes]byte
	if _, err := io.ReadFull(a.Accounts.random(), b[:]); err != nil {
		return "", fmt.Errorf("email token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	err := a.Accounts.Store.CreateEmailToken(ctx, persistence.EmailToken{
		Hash: hashEmailToken(token), PlayerID: playerID, Purpose: purpose, ExpiresAt: a.now().Add(ttl),
	})
	if err != nil {
		return "", fmt.Errorf("email token: %w", err)
	}
	return token, nil
}

// hashEmailToken is how a mailed token is stored and looked up.
func hashEmailToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// lockSubject keys the login lockout by the hashed normalized email, so
// unknown addresses lock exactly like real ones and Redis holds no address.
func lockSubject(email string) string {
	sum := sha256.Sum256([]byte("login:" + email))
	return hex.EncodeToString(sum[:16])
}
