// Package stellar proves ownership of a Stellar account for wallet sign-in
// with SEP-53 message signing: the wallet signs
// sha256("Stellar Signed Message:\n" + message) with the account's ed25519
// key. The message text is built here, server-side, from the challenge; the
// client only returns the signature. It is the only package tree that
// imports go-stellar-sdk.
package stellar

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
)

// Sentinel errors returned (wrapped) by this package.
var (
	// ErrBadAddress: the address is not a Stellar account id (G… strkey).
	ErrBadAddress = errors.New("bad stellar address")
	// ErrInvalidSignature: the signature is malformed or not by the account's key.
	ErrInvalidSignature = errors.New("invalid stellar signature")
)

// sep53Prefix is prepended to every signed message (SEP-53), so a message
// signature can never be replayed as a transaction signature.
const sep53Prefix = "Stellar Signed Message:\n"

// Challenge is what a player signs; the server keeps only the nonce and
// rebuilds the text from it.
type Challenge struct {
	Address           string // normalized G… account id
	Domain            string // who asks: the public host[:port]
	URI               string // the public origin, e.g. https://play.example.com
	NetworkPassphrase string
	Nonce             string
	IssuedAt          time.Time
	ExpiresAt         time.Time
}

// Message returns the text the wallet signs. Every field is on its own line
// so a wallet shows the player what they approve.
func Message(c Challenge) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s wants you to sign in with your Stellar account:\n%s\n\n", c.Domain, c.Address)
	fmt.Fprintf(&b, "URI: %s\nNetwork: %s\nNonce: %s\n", c.URI, c.NetworkPassphrase, c.Nonce)
	fmt.Fprintf(&b, "Issued At: %s\nExpiration Time: %s", c.IssuedAt.UTC().Format(time.RFC3339),
		c.ExpiresAt.UTC().Format(time.RFC3339))
	return b.String()
}

// NormalizeAddress checks s is a G… account id (checksum included) and
// returns it. Strkeys have one spelling, so validation is normalization.
func NormalizeAddress(s string) (string, error) {
	kp, err := keypair.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("address %.80q: %w", s, ErrBadAddress)
	}
	return kp.Address(), nil
}

// Hash is the SEP-53 digest of message.
func Hash(message string) [32]byte {
	return sha256.Sum256([]byte(sep53Prefix + message))
}

// Verify checks that signatureB64 (standard base64 of the 64-byte ed25519
// signature) is address's SEP-53 signature of message.
func Verify(address, message, signatureB64 string) error {
	kp, err := keypair.ParseAddress(address)
	if err != nil {
		return fmt.Errorf("verify: %w", ErrBadAddress)
	}
	sig, err := base64.StdEncoding.DecodeString(signatureB64)
	if err != nil || len(sig) != 64 {
		return fmt.Errorf("verify %s: %w: not base64 of 64 bytes", address, ErrInvalidSignature)
	}
	h := Hash(message)
	if err := kp.Verify(h[:], sig); err != nil {
		return fmt.Errorf("verify %s: %w", address, ErrInvalidSignature)
	}
	return nil
}
