package rest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// starknetChallengeResponse carries the SNIP-12 typed data to sign.
type starknetChallengeResponse struct {
	Address   string          `json:"address"`
	Nonce     string          `json:"nonce"`
	ExpiresAt time.Time       `json:"expiresAt"`
	TypedData json.RawMessage `json:"typedData"`
}

// stellarChallengeResponse carries the SEP-53 message to sign.
type stellarChallengeResponse struct {
	Address   string    `json:"address"`
	Nonce     string    `json:"nonce"`
	ExpiresAt time.Time `json:"expiresAt"`
	Message   string    `json:"message"`
}

// starknetChallenge issues a single-use SNIP-12 challenge for an address.
func (a *api) starknetChallenge(w http.ResponseWriter, r *http.Request) error {
	req, err := a.readWalletChallenge(w, r)
	if err != nil {
		return err
	}
	c, err := a.Wallets.Prover.NewStarknetChallenge(r.Context(), req.Address)
	if err != nil {
		return walletError(err)
	}
	writeJSON(w, http.StatusOK, starknetChallengeResponse{Address: c.Address, Nonce: c.Nonce,
		ExpiresAt: c.ExpiresAt.UTC(), TypedData: c.TypedData})
	return nil
}

// stellarChallenge issues a single-use SEP-53 challenge for an address.
func (a *api) stellarChallenge(w http.ResponseWriter, r *http.Request) error {
	req, err := a.readWalletChallenge(w, r)
	if err != nil {
		return err
	}
	c, err := a.Wallets.Prover.NewStellarChallenge(r.Context(), req.Address)
	if err != nil {
		return walletError(err)
	}
	writeJSON(w, http.StatusOK, stellarChallengeResponse{Address: c.Address, Nonce: c.Nonce,
		ExpiresAt: c.ExpiresAt.UTC(), Message: c.Message})
	return nil
}

func (a *api) readWalletChallenge(w http.ResponseWriter, r *http.Request) (walletChallengeRequest, error) {
	body, err := jsonBody(w, r, a.Config.MaxBodyBytes)
	if err != nil {
		return walletChallengeRequest{}, err
	}
	return decodeWalletChallenge(body)
}

// starknetVerify checks a signed challenge and signs the wallet's owner in.
func (a *api) starknetVerify(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeStarknetVerify)
	if err != nil {
		return err
	}
	addr, err := a.Wallets.Prover.ProveStarknet(r.Context(), req.Address, req.Felts)
	if err != nil {
		return walletError(err)
	}
	return a.signInWallet(w, r, persistence.ChainStarknet, addr, req.ReferralCode)
}

// stellarVerify checks a signed challenge and signs the wallet's owner in.
func (a *api) stellarVerify(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeStellarVerify)
	if err != nil {
		return err
	}
	addr, err := a.Wallets.Prover.ProveStellar(r.Context(), req.Address, req.Signature)
	if err != nil {
		return walletError(err)
	}
	return a.signInWallet(w, r, persistence.ChainStellar, addr, req.ReferralCode)
}
