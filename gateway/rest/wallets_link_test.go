package rest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// walletsBody is the body of GET /players/me/wallets.
type walletsBody struct {
	Wallets []walletResponse `json:"wallets"`
}

func TestWallets_LinkUpgradesGuestAndKeepsItsID(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	guest := signIn(t, env.h, "device-wallet-link-1")
	acct := env.node.NewAccount(t, chaintest.KindGuardian)
	kp := keypair.MustRandom()

	sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	w := env.post(t, "/players/me/wallets", guest.AccessToken, map[string]any{"chain": "starknet", "address": acct.Address, "signature": sig})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	require.Equal(t, acct.Address, decode[walletResponse](t, w).Address)

	stellarSig := sep53(t, kp, env.stellarChallenge(t, kp.Address()))
	w = env.post(t, "/players/me/wallets", guest.AccessToken, map[string]any{"chain": "stellar", "address": kp.Address(), "signature": stellarSig})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())

	list := decode[walletsBody](t, env.h.get(t, "/api/v1/players/me/wallets", guest.AccessToken))
	require.Len(t, list.Wallets, 2)

	// Signing in with either wallet is signing in as the former guest.
	viaStark := decode[tokenResponse](t, env.starknetSignIn(t, acct))
	require.Equal(t, guest.Player.ID, viaStark.Player.ID)
	w = env.post(t, "/auth/wallet/stellar/verify", "", map[string]string{"address": kp.Address(),
		"signature": sep53(t, kp, env.stellarChallenge(t, kp.Address()))})
	require.Equal(t, guest.Player.ID, decode[tokenResponse](t, w).Player.ID)
}

func TestWallets_LinkRejects(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	owner := signIn(t, env.h, "device-wallet-owner")
	rival := signIn(t, env.h, "device-wallet-rival")
	acct := env.node.NewAccount(t, chaintest.KindArgent)
	stranger := env.node.NewAccount(t, chaintest.KindArgent)
	link := func(token string, signer *chaintest.Account) *httptest.ResponseRecorder {
		sig := signTyped(t, signer, acct.Address, env.starknetChallenge(t, acct.Address), nil)
		return env.post(t, "/players/me/wallets", token, map[string]any{"chain": "starknet", "address": acct.Address, "signature": sig})
	}
	require.Equal(t, http.StatusCreated, link(owner.AccessToken, acct).Code)
	require.Equal(t, http.StatusCreated, link(owner.AccessToken, acct).Code, "relinking is idempotent")
	requireError(t, link(rival.AccessToken, acct), http.StatusConflict, CodeWalletTaken)
	requireError(t, link(rival.AccessToken, stranger), http.StatusUnauthorized, CodeInvalidSignature)
	requireError(t, link("", acct), http.StatusUnauthorized, CodeUnauthorized)
	require.Empty(t, decode[walletsBody](t, env.h.get(t, "/api/v1/players/me/wallets", rival.AccessToken)).Wallets)

	requireError(t, env.post(t, "/players/me/wallets", owner.AccessToken,
		map[string]any{"chain": "bitcoin", "address": acct.Address, "signature": []string{"0x1"}}), 422, CodeValidationFailed)
	requireError(t, env.post(t, "/players/me/wallets", owner.AccessToken,
		map[string]any{"chain": "starknet", "address": acct.Address, "signature": "0x1"}), 422, CodeValidationFailed)
	requireError(t, env.post(t, "/players/me/wallets", owner.AccessToken,
		map[string]any{"chain": "stellar", "address": acct.Address, "signature": []string{"0x1"}}), 422, CodeValidationFailed)
}
