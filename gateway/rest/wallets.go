package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

// Stable error codes of wallet sign-in and linking.
const (
	CodeBadAddress         = "bad_address"
	CodeChallengeExpired   = "challenge_expired"
	CodeInvalidSignature   = "invalid_signature"
	CodeAccountNotDeployed = "account_not_deployed"
	CodeWalletTaken        = "wallet_taken"
	CodeChainUnavailable   = "chain_unavailable"
)

// WalletDeps is what the StarkNet and Stellar wallet sign-in and linking
// routes need. A nil Prover leaves the routes unmounted.
type WalletDeps struct {
	// Prover issues challenges and checks signatures (auth.NewWalletProver).
	Prover *auth.WalletProver
	// Store keeps wallet ownership (*postgres.Store).
	Store persistence.WalletStore
}

// walletPublicRoutes registers the public StarkNet and Stellar wallet sign-in routes.
func (a *api) walletPublicRoutes(r chi.Router) {
	if a.Wallets.Prover == nil {
		return
	}
	r.Post("/auth/wallet/starknet/challenge", a.handle(a.starknetChallenge))
	r.Post("/auth/wallet/starknet/verify", a.handle(a.starknetVerify))
	r.Post("/auth/wallet/stellar/challenge", a.handle(a.stellarChallenge))
	r.Post("/auth/wallet/stellar/verify", a.handle(a.stellarVerify))
}

// walletRoutes registers the signed-in wallet linking routes.
func (a *api) walletRoutes(r chi.Router) {
	if a.Wallets.Prover == nil {
		return
	}
	r.Post("/players/me/wallets", a.handle(a.linkWallet))
	r.Get("/players/me/wallets", a.handle(a.listWallets))
}

// walletResponse is one linked wallet.
type walletResponse struct {
	Chain    string    `json:"chain"`
	Address  string    `json:"address"`
	LinkedAt time.Time `json:"linkedAt"`
}

func newWalletResponse(w persistence.Wallet) walletResponse {
	return walletResponse{Chain: string(w.Chain), Address: w.Address, LinkedAt: w.LinkedAt.UTC()}
}

// signInWallet signs the wallet's owner in, creating the player on first
// sign-in (referred by code, when set), and answers with a token pair like
// /auth/guest.
func (a *api) signInWallet(w http.ResponseWriter, r *http.Request, chain persistence.Chain, address, code string) error {
	if err := a.checkReferralCode(r.Context(), code); err != nil {
		return err
	}
	p, created, err := a.walletPlayer(r.Context(), chain, address)
	if err != nil {
		return walletError(err)
	}
	a.recordSignIn(r, p.ID, created, code, signupTraits{wallet: string(chain) + ":" + address})
	pair, err := a.tokens.Issue(r.Context(), p)
	if err != nil {
		return err
	}
	infoFrom(r.Context()).PlayerID = p.ID
	writeJSON(w, http.StatusOK, newTokenResponse(pair, p))
	return nil
}

// walletPlayer is the wallet's player, created on its first sign-in while
// registration is open; while it is closed only a wallet some player owns
// signs in, and a new one is refused 403 registration_closed.
func (a *api) walletPlayer(ctx context.Context, chain persistence.Chain, address string) (persistence.Player, bool, error) {
	closed := a.registrationOpen()
	if closed == nil {
		return a.Wallets.Store.SignInWallet(ctx, chain, address)
	}
	p, err := a.Wallets.Store.WalletPlayer(ctx, chain, address)
	return p, false, signUpRefused(err, closed)
}

// linkWallet proves a further wallet and binds it to the signed-in player;
// a guest that links a wallet keeps its id and history.
func (a *api) linkWallet(w http.ResponseWriter, r *http.Request) error {
	req, err := readBody(a, w, r, decodeLinkWallet)
	if err != nil {
		return err
	}
	address, err := a.proveLink(r, req)
	if err != nil {
		return walletError(err)
	}
	wallet, err := a.Wallets.Store.LinkWallet(r.Context(), playerID(r), req.Chain, address)
	if err != nil {
		return walletError(err)
	}
	writeJSON(w, http.StatusCreated, newWalletResponse(wallet))
	return nil
}

// proveLink checks the link request's proof for its chain.
func (a *api) proveLink(r *http.Request, req linkWalletRequest) (string, error) {
	if req.Chain == persistence.ChainStarknet {
		return a.Wallets.Prover.ProveStarknet(r.Context(), req.Address, req.StarknetSignature)
	}
	return a.Wallets.Prover.ProveStellar(r.Context(), req.Address, req.StellarSignature)
}

// listWallets lists the signed-in player's wallets.
func (a *api) listWallets(w http.ResponseWriter, r *http.Request) error {
	ws, err := a.Wallets.Store.Wallets(r.Context(), playerID(r))
	if err != nil {
		return err
	}
	out := make([]walletResponse, len(ws))
	for i, wl := range ws {
		out[i] = newWalletResponse(wl)
	}
	writeJSON(w, http.StatusOK, map[string]any{"wallets": out})
	return nil
}

// walletError gives wallet failures their stable codes; anything else is
// left to classify.
func walletError(err error) error {
	switch {
	case errors.Is(err, auth.ErrBadAddress):
		return &apiError{Status: http.StatusUnprocessableEntity, Code: CodeBadAddress,
			Message: "address is not an account of this chain", Details: map[string]any{"field": "address"}}
	case errors.Is(err, auth.ErrChallengeExpired):
		return newError(http.StatusUnauthorized, CodeChallengeExpired, "no valid challenge for this wallet; request a new one")
	case errors.Is(err, auth.ErrInvalidSignature):
		return newError(http.StatusUnauthorized, CodeInvalidSignature, "signature does not prove control of this wallet")
	case errors.Is(err, auth.ErrMalformedSignature):
		return invalid("signature", "signature felts must be below the StarkNet field prime (2^251 + 17·2^192 + 1)")
	case errors.Is(err, auth.ErrAccountNotDeployed):
		return newError(http.StatusUnprocessableEntity, CodeAccountNotDeployed, "wallet account is not deployed on this chain")
	case errors.Is(err, auth.ErrChainUnavailable):
		// Wrapped so the cause reaches the log; the client sees only the message.
		return fmt.Errorf("%w: %w", newError(http.StatusServiceUnavailable, CodeChainUnavailable,
			"chain temporarily unavailable; try again"), err)
	case errors.Is(err, persistence.ErrConflict):
		return newError(http.StatusConflict, CodeWalletTaken, "wallet belongs to another account")
	default:
		return err
	}
}
