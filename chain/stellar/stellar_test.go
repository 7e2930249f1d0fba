package stellar_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/stellar"
)

// sign is what a SEP-53 wallet does: ed25519 over the prefixed digest.
func sign(t *testing.T, kp *keypair.Full, message string) string {
	t.Helper()
	h := stellar.Hash(message)
	sig, err := kp.Sign(h[:])
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(sig)
}

func challenge(address string) stellar.Challenge {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return stellar.Challenge{Address: address, Domain: "proofstell.test", URI: "https://proofstell.test", NetworkPassphrase: "Test SDF Network ; September 2015",
		Nonce: "a1b2c3", IssuedAt: at, ExpiresAt: at.Add(5 * time.Minute)}
}

func TestHash_IsSEP53(t *testing.T) {
	t.Parallel()
	want := sha256.Sum256([]byte("Stellar Signed Message:\nHello, World!"))
	require.Equal(t, want, stellar.Hash("Hello, World!"))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	kp := keypair.MustRandom()
	other := keypair.MustRandom()
	msg := stellar.Message(challenge(kp.Address()))
	require.Contains(t, msg, kp.Address())
	require.Contains(t, msg, "Nonce: a1b2c3")
	require.Contains(t, msg, "Network: Test SDF Network ; September 2015")
	otherNonce := challenge(kp.Address())
	otherNonce.Nonce = "ffff"
	tests := []struct {
		name string
		sig  string
		want error
	}{
		{"own key", sign(t, kp, msg), nil},
		{"other key", sign(t, other, msg), stellar.ErrInvalidSignature},
		{"other message", sign(t, kp, stellar.Message(otherNonce)), stellar.ErrInvalidSignature},
		{"raw message without SEP-53 prefix", rawSign(kp, msg), stellar.ErrInvalidSignature},
		{"not base64", "%%%", stellar.ErrInvalidSignature},
		{"short", base64.StdEncoding.EncodeToString([]byte("short")), stellar.ErrInvalidSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := stellar.Verify(kp.Address(), msg, tt.sig)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

// rawSign signs the message bytes themselves, as a non-SEP-53 signer would.
func rawSign(kp *keypair.Full, msg string) string {
	sig, err := kp.Sign([]byte(msg))
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func TestNormalizeAddress(t *testing.T) {
	t.Parallel()
	kp := keypair.MustRandom()
	got, err := stellar.NormalizeAddress(kp.Address())
	require.NoError(t, err)
	require.Equal(t, kp.Address(), got)
	for _, bad := range []string{"", "G123", kp.Seed(), flipLast(kp.Address()), "0xabc"} {
		_, err := stellar.NormalizeAddress(bad)
		require.ErrorIs(t, err, stellar.ErrBadAddress, bad)
	}
}

// flipLast changes the last character, breaking the checksum.
func flipLast(s string) string {
	last := byte('A')
	if s[len(s)-1] == 'A' {
		last = 'B'
	}
	return s[:len(s)-1] + string(last)
}

func TestMessage_NamesTheOrigin(t *testing.T) {
	t.Parallel()
	kp := keypair.MustRandom()
	c := challenge(kp.Address())
	c.Domain, c.URI = "play.example.com:8443", "https://play.example.com:8443"
	msg := stellar.Message(c)
	require.True(t, strings.HasPrefix(msg, "play.example.com:8443 wants you to sign in with your Stellar account:\n"+
		kp.Address()+"\n\nURI: https://play.example.com:8443\nNetwork: "), msg)
}
