package auth

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Wallet proof failures, mapped once to client answers by the gateway.
var (
	// ErrBadAddress: the address is not an account of the chain.
	ErrBadAddress = errors.New("bad wallet address")
	// ErrChallengeExpired: no outstanding challenge for the wallet (never
	// issued, expired or already used: a replay); ask for a new one.
	ErrChallengeExpired = errors.New("wallet challenge expired or used")
	// ErrInvalidSignature: the signature does not prove control of the wallet
	// (another key, another message, another chain id).
	ErrInvalidSignature = errors.New("invalid wallet signature")
	// ErrMalformedSignature: the signature is not what the chain's
	// signatures look like (a StarkNet felt at or above the field prime, too
	// many felts); refused before the challenge is used.
	ErrMalformedSignature = errors.New("malformed wallet signature")
	// ErrAccountNotDeployed: the StarkNet account contract does not exist yet.
	ErrAccountNotDeployed = errors.New("wallet account not deployed")
	// ErrChainUnavailable: the chain node cannot be asked now, or sign-in on
	// that chain is not configured.
	ErrChainUnavailable = errors.New("chain unavailable")
)

// Statement is the human sentence in every sign-in message.
const Statement = "Sign in to ProofStell"

// WalletConfig is what the prover needs from config. The chains' own
// settings (StarkNet chain id, Stellar network passphrase) belong to the
// WalletChains cmd builds.
type WalletConfig struct {
	// Origin is where players reach this service, "https://host[:port]"
	// (config.HTTP.PublicURL, validated at start). Every signed message
	// names it, so a signature phished on another site's challenge is
	// visibly not for this one.
	Origin string
	// NonceTTL is how long a challenge stays valid (config.Auth.WalletNonceTTL).
	NonceTTL time.Duration
}

// WalletProver issues single-use wallet challenges and checks the signed
// answers. The signed message is never taken from the client: it is rebuilt
// from the stored challenge, so a client cannot choose what it proves.
type WalletProver struct {
	cfg    WalletConfig
	domain string // the host[:port] of cfg.Origin
	nonces persistence.NonceStore
	chains WalletChains
	now    func() time.Time
	random io.Reader
}

// NewWalletProver builds a prover. A nil member of chains (StarkNet when no
// RPC is configured) makes that chain's calls fail with ErrChainUnavailable.
func NewWalletProver(cfg WalletConfig, nonces persistence.NonceStore, chains WalletChains,
	now func() time.Time, random io.Reader,
) *WalletProver {
	return &WalletProver{cfg: cfg, domain: originHost(cfg.Origin), nonces: nonces, chains: chains, now: now, random: random}
}

// originHost is the host[:port] of origin, or origin itself when it is not
// a URL (config validation keeps that from happening).
func originHost(origin string) string {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return origin
	}
	return u.Host
}

// newChallenge draws a 128-bit nonce and stores the challenge for the wallet.
// Times are whole seconds: that is what the signed messages carry.
func (p *WalletProver) newChallenge(ctx context.Context, chain persistence.Chain, address string) (persistence.WalletChallenge, error) {
	var b [16]byte
	if _, err := io.ReadFull(p.random, b[:]); err != nil {
		return persistence.WalletChallenge{}, fmt.Errorf("draw wallet nonce: %w", err)
	}
	at := p.now().UTC().Truncate(time.Second)
	c := persistence.WalletChallenge{Nonce: "0x" + hex.EncodeToString(b[:]), IssuedAt: at, ExpiresAt: at.Add(p.cfg.NonceTTL)}
	if err := p.nonces.PutChallenge(ctx, chain, address, c); err != nil {
		return persistence.WalletChallenge{}, fmt.Errorf("issue %s challenge: %w", chain, err)
	}
	return c, nil
}

// takeChallenge consumes the wallet's challenge. It is consumed before the
// signature is checked, so every challenge gets exactly one attempt.
func (p *WalletProver) takeChallenge(ctx context.Context, chain persistence.Chain, address string) (persistence.WalletChallenge, error) {
	c, err := p.nonces.TakeChallenge(ctx, chain, address)
	if errors.Is(err, persistence.ErrNotFound) {
		return c, fmt.Errorf("%s %s: %w", chain, address, ErrChallengeExpired)
	}
	if err != nil {
		return c, fmt.Errorf("take %s challenge: %w", chain, err)
	}
	if !p.now().Before(c.ExpiresAt) {
		return c, fmt.Errorf("%s %s: expired at %s: %w", chain, address, c.ExpiresAt, ErrChallengeExpired)
	}
	return c, nil
}

// signIn is the message for addr's challenge c, the same for every chain.
func (p *WalletProver) signIn(addr string, c persistence.WalletChallenge) SignIn {
	return SignIn{Address: addr, Nonce: c.Nonce, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt,
		Domain: p.domain, Origin: p.cfg.Origin, Statement: Statement}
}

// StellarChallenge is what a Stellar wallet signs (SEP-53).
type StellarChallenge struct {
	Address   string
	Nonce     string
	ExpiresAt time.Time
	Message   string
}

// NewStellarChallenge issues a challenge for a G… address.
func (p *WalletProver) NewStellarChallenge(ctx context.Context, address string) (StellarChallenge, error) {
	sl := p.chains.Stellar
	if sl == nil {
		return StellarChallenge{}, fmt.Errorf("stellar challenge: not configured: %w", ErrChainUnavailable)
	}
	addr, err := sl.NormalizeAddress(address)
	if err != nil {
		return StellarChallenge{}, fmt.Errorf("stellar challenge: %w: %w", ErrBadAddress, err)
	}
	c, err := p.newChallenge(ctx, persistence.ChainStellar, addr)
	if err != nil {
		return StellarChallenge{}, err
	}
	return StellarChallenge{Address: addr, Nonce: c.Nonce, ExpiresAt: c.ExpiresAt, Message: sl.Message(p.signIn(addr, c))}, nil
}

// ProveStellar consumes the address's challenge and checks signatureB64 is
// its SEP-53 signature; it returns the normalized address.
func (p *WalletProver) ProveStellar(ctx context.Context, address, signatureB64 string) (string, error) {
	sl := p.chains.Stellar
	if sl == nil {
		return "", fmt.Errorf("stellar proof: not configured: %w", ErrChainUnavailable)
	}
	addr, err := sl.NormalizeAddress(address)
	if err != nil {
		return "", fmt.Errorf("stellar proof: %w: %w", ErrBadAddress, err)
	}
	c, err := p.takeChallenge(ctx, persistence.ChainStellar, addr)
	if err != nil {
		return "", err
	}
	if err := sl.Verify(p.signIn(addr, c), signatureB64); err != nil {
		return "", fmt.Errorf("stellar proof: %w: %w", ErrInvalidSignature, err)
	}
	return addr, nil
}
