package rest

import (
	"encoding/json"
	"io"

	"github.com/proofstell/proofstell/persistence"
)

// Field bounds of wallet bodies: addresses are at most 66 (StarkNet) or 56
// (Stellar) characters, a StarkNet signature a few felts, a Stellar one 88
// base64 characters. Contents are checked by the chain packages; felt
// spelling by parseStarknetSignature.
const (
	maxWalletAddress   = 80
	maxSignatureFelts  = 16
	maxSignatureString = 128
)

// walletChallengeRequest is the body of POST /auth/wallet/{chain}/challenge.
type walletChallengeRequest struct {
	Address string `json:"address"`
}

// starknetVerifyRequest is the body of POST /auth/wallet/starknet/verify;
// Signature is a felt list or {r, s} (parseStarknetSignature), Felts its
// felts.
type starknetVerifyRequest struct {
	Address   string          `json:"address"`
	Signature json.RawMessage `json:"signature"`
	Felts     []string        `json:"-"`
	// ReferralCode is honoured when the wallet's player is created now.
	ReferralCode string `json:"referralCode"`
}

// stellarVerifyRequest is the body of POST /auth/wallet/stellar/verify.
type stellarVerifyRequest struct {
	Address      string `json:"address"`
	Signature    string `json:"signature"`
	ReferralCode string `json:"referralCode"`
}

// linkWalletRequest is the body of POST /players/me/wallets; the signature
// is a felt list for StarkNet and a base64 string for Stellar.
type linkWalletRequest struct {
	Chain             persistence.Chain `json:"chain"`
	Address           string            `json:"address"`
	Signature         json.RawMessage   `json:"signature"`
	StarknetSignature []string          `json:"-"`
	StellarSignature  string            `json:"-"`
}

// decodeWalletChallenge reads a challenge request.
func decodeWalletChallenge(body io.Reader) (walletChallengeRequest, error) {
	var req walletChallengeRequest
	if err := decodeBody(body, &req); err != nil {
		return walletChallengeRequest{}, err
	}
	return req, checkWalletAddress(req.Address)
}

// decodeStarknetVerify reads a StarkNet verify request.
func decodeStarknetVerify(body io.Reader) (starknetVerifyRequest, error) {
	var req starknetVerifyRequest
	if err := decodeBody(body, &req); err != nil {
		return starknetVerifyRequest{}, err
	}
	if err := checkWalletAddress(req.Address); err != nil {
		return starknetVerifyRequest{}, err
	}
	felts, err := parseStarknetSignature(req.Signature)
	if err != nil {
		return starknetVerifyRequest{}, err
	}
	req.Felts = felts
	return req, nil
}

// decodeStellarVerify reads a Stellar verify request.
func decodeStellarVerify(body io.Reader) (stellarVerifyRequest, error) {
	var req stellarVerifyRequest
	if err := decodeBody(body, &req); err != nil {
		return stellarVerifyRequest{}, err
	}
	if err := checkWalletAddress(req.Address); err != nil {
		return stellarVerifyRequest{}, err
	}
	return req, checkSignatureString(req.Signature)
}

// decodeLinkWallet reads a link request and its chain's signature shape.
func decodeLinkWallet(body io.Reader) (linkWalletRequest, error) {
	var req linkWalletRequest
	if err := decodeBody(body, &req); err != nil {
		return linkWalletRequest{}, err
	}
	if !req.Chain.Valid() {
		return linkWalletRequest{}, invalid("chain", "chain must be starknet or stellar")
	}
	if err := checkWalletAddress(req.Address); err != nil {
		return linkWalletRequest{}, err
	}
	if req.Chain == persistence.ChainStarknet {
		felts, err := parseStarknetSignature(req.Signature)
		if err != nil {
			return linkWalletRequest{}, err
		}
		req.StarknetSignature = felts
		return req, nil
	}
	if json.Unmarshal(req.Signature, &req.StellarSignature) != nil {
		return linkWalletRequest{}, invalid("signature", "signature must be a base64 string")
	}
	return req, checkSignatureString(req.StellarSignature)
}

func checkWalletAddress(addr string) error {
	if addr == "" || len(addr) > maxWalletAddress || !printable(addr) {
		return invalid("address", "address is required")
	}
	return nil
}

func checkSignatureString(sig string) error {
	if sig == "" || len(sig) > maxSignatureString || !printable(sig) {
		return invalid("signature", "signature must be a base64 string")
	}
	return nil
}
