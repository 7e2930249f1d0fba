package rest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/internal/settings"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

func TestWallets_StarknetSignIn(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	for _, kind := range []chaintest.Kind{chaintest.KindArgent, chaintest.KindBraavos, chaintest.KindGuardian, chaintest.KindLegacy} {
		acct := env.node.NewAccount(t, kind)
		w := env.starknetSignIn(t, acct)
		require.Equal(t, http.StatusOK, w.Code, "kind %d: %s", kind, w.Body.String())
		first := decode[tokenResponse](t, w)
		require.NotEmpty(t, first.AccessToken)
		require.NotEmpty(t, first.RefreshToken)
		claims, err := env.h.tokens.Verify(first.AccessToken)
		require.NoError(t, err)
		require.Equal(t, first.Player.ID, claims.PlayerID)

		again := decode[tokenResponse](t, env.starknetSignIn(t, acct))
		require.Equal(t, first.Player.ID, again.Player.ID, "kind %d: same wallet, same player", kind)
	}
}

func TestWallets_StarknetVerify_Rejects(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	argent := env.node.NewAccount(t, chaintest.KindArgent)
	guardian := env.node.NewAccount(t, chaintest.KindGuardian)
	stranger := env.node.NewAccount(t, chaintest.KindArgent)
	undeployed := env.node.UndeployedAccount(t)
	otherChain := func(doc map[string]any) { doc["domain"].(map[string]any)["chainId"] = "SN_MAIN" }
	otherNonce := func(doc map[string]any) { doc["message"].(map[string]any)["nonce"] = "0x1234" }

	tests := []struct {
		name    string
		account *chaintest.Account
		signer  *chaintest.Account
		edit    func(map[string]any)
		trim    int // signature felts dropped from the end
		status  int
		code    string
	}{
		{name: "signature by another key", account: argent, signer: stranger, status: 401, code: CodeInvalidSignature},
		{name: "signed for another chain id", account: argent, edit: otherChain, status: 401, code: CodeInvalidSignature},
		{name: "signed another nonce", account: argent, edit: otherNonce, status: 401, code: CodeInvalidSignature},
		{name: "guardian signature missing", account: guardian, trim: 2, status: 401, code: CodeInvalidSignature},
		{name: "undeployed account", account: undeployed, status: 422, code: CodeAccountNotDeployed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer := tt.signer
			if signer == nil {
				signer = tt.account
			}
			sig := signTyped(t, signer, tt.account.Address, env.starknetChallenge(t, tt.account.Address), tt.edit)
			sig = sig[:len(sig)-tt.trim]
			w := env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": tt.account.Address, "signature": sig})
			requireError(t, w, tt.status, tt.code)
		})
	}
}

func TestWallets_StarknetVerify_ChallengeIsSingleUse(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	acct := env.node.NewAccount(t, chaintest.KindArgent)
	sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	body := map[string]any{"address": upper0x(acct.Address), "signature": sig}
	// Any spelling of the address finds the challenge.
	require.Equal(t, http.StatusOK, env.post(t, "/auth/wallet/starknet/verify", "", body).Code)
	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", body), 401, CodeChallengeExpired)

	stranger := env.node.NewAccount(t, chaintest.KindArgent)
	bad := signTyped(t, stranger, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": bad}),
		401, CodeInvalidSignature)
	good := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": bad}),
		401, CodeInvalidSignature)
	// A failed attempt burns the challenge: the good signature comes too late.
	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": good}),
		401, CodeChallengeExpired)
	// No challenge was ever issued for the stranger.
	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": stranger.Address, "signature": bad}),
		401, CodeChallengeExpired)
}

func TestWallets_StarknetVerify_ExpiredChallenge(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	acct := env.node.NewAccount(t, chaintest.KindBraavos)
	sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
	env.clock.Advance(5 * time.Minute)
	// the failed attempt used the challenge

	requireError(t, env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": sig}),
		401, CodeChallengeExpired)
}

func TestWallets_StarknetVerify_NodeFaults(t *testing.T) {
	t.Parallel()
	for _, fault := range []chaintest.Fault{chaintest.FaultDown, chaintest.FaultRateLimited, chaintest.FaultWrongResult} {
		env := newWalletEnv(t)
		acct := env.node.NewAccount(t, chaintest.KindArgent)
		sig := signTyped(t, acct, acct.Address, env.starknetChallenge(t, acct.Address), nil)
		env.node.SetFault(fault)
		w := env.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": sig})
		requireError(t, w, http.StatusServiceUnavailable, CodeChainUnavailable)
	}
}

func TestWallets_BadAddress(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	stark := "0x0800000000000000000000000000000000000000000000000000000000000000"
	requireError(t, env.post(t, "/auth/wallet/starknet/challenge", "", map[string]string{"address": "0xnope"}), 422, CodeBadAddress)
	requireError(t, env.post(t, "/auth/wallet/starknet/challenge", "", map[string]string{"address": stark}), 422, CodeBadAddress)
	requireError(t, env.post(t, "/auth/wallet/stellar/challenge", "", map[string]string{"address": "GABC"}), 422, CodeBadAddress)
	requireError(t, env.post(t, "/auth/wallet/stellar/challenge", "", map[string]string{"address": keypair.MustRandom().Seed()}),
		422, CodeBadAddress)
	requireError(t, env.post(t, "/auth/wallet/starknet/challenge", "", map[string]string{"address": ""}), 422, CodeValidationFailed)
}

func TestWallets_Stellar(t *testing.T) {
	t.Parallel()
	env := newWalletEnv(t)
	kp, other := keypair.MustRandom(), keypair.MustRandom()
	verify := func(sig string) *httptest.ResponseRecorder {
		return env.post(t, "/auth/wallet/stellar/verify", "", map[string]string{"address": kp.Address(), "signature": sig})
	}
	requireError(t, verify(sep53(t, other, env.stellarChallenge(t, kp.Address()))), 401, CodeInvalidSignature)
	// The failed attempt used the challenge up.
	requireError(t, verify("bm90IGEgc2lnbmF0dXJl"), 401, CodeChallengeExpired)

	msg := env.stellarChallenge(t, kp.Address())
	sig := sep53(t, kp, msg)
	w := verify(sig)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	first := decode[tokenResponse](t, w)
	// Replaying the accepted signature finds no challenge.
	requireError(t, verify(sig), 401, CodeChallengeExpired)

	again := verify(sep53(t, kp, env.stellarChallenge(t, kp.Address())))
	require.Equal(t, first.Player.ID, decode[tokenResponse](t, again).Player.ID)

	// An old signed message is worthless after another sign-in.
	requireError(t, verify(sep53(t, kp, msg)), 401, CodeChallengeExpired)
	env.stellarChallenge(t, kp.Address())
	requireError(t, verify("%%%"), 401, CodeInvalidSignature)
}

// TestWallets_RegistrationClosed: closed registration refuses the first
// sign-in of a wallet (StarkNet and Stellar) with 403 registration_closed
// and creates nothing; a wallet a player owns still signs in.
func TestWallets_RegistrationClosed(t *testing.T) {
	t.Parallel()
	var holder *settings.Holder
	env := newWalletEnv(t, func(d *Deps) {
		holder = settings.NewHolder(settingsDefaults(), d.Players.(*postgres.Store), nil)
		d.Settings = SettingsDeps{Holder: holder, Store: d.Players.(*postgres.Store)}
	})
	known, fresh := env.node.NewAccount(t, chaintest.KindArgent), env.node.NewAccount(t, chaintest.KindArgent)
	w := env.starknetSignIn(t, known)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	first := decode[tokenResponse](t, w)
	kp := keypair.MustRandom()
	stellarVerify := func() *httptest.ResponseRecorder {
		return env.post(t, "/auth/wallet/stellar/verify", "", map[string]string{"address": kp.Address(),
			"signature": sep53(t, kp, env.stellarChallenge(t, kp.Address()))})
	}

	setRegistration(t, env.store, holder, false)
	requireError(t, env.starknetSignIn(t, fresh), http.StatusForbidden, CodeRegistrationClosed)
	requireError(t, stellarVerify(), http.StatusForbidden, CodeRegistrationClosed)
	_, err := env.store.WalletPlayer(t.Context(), persistence.ChainStellar, kp.Address())
	require.ErrorIs(t, err, persistence.ErrNotFound, "nothing was created")
	w = env.starknetSignIn(t, known)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, first.Player.ID, decode[tokenResponse](t, w).Player.ID, "a linked wallet still signs in")

	setRegistration(t, env.store, holder, true)
	require.Equal(t, http.StatusOK, env.starknetSignIn(t, fresh).Code)
	require.Equal(t, http.StatusOK, stellarVerify().Code)
}
