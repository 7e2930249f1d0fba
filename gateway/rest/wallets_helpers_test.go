package rest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/NethermindEth/starknet.go/typeddata"
	"github.com/google/uuid"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/starknet"
	"github.com/proofstell/proofstell/chain/stellar"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/internal/walletchains"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	pgredis "github.com/proofstell/proofstell/persistence/redis"
)

const walletChainID = "SN_SEPOLIA"

// walletEnv is a router with real Postgres, real Redis and a fake StarkNet
// node over HTTP; the prover's clock moves only when told.
type walletEnv struct {
	h     *harness
	store *postgres.Store
	node  *chaintest.Node
	clock *testclock.Clock
}

// newWalletEnv builds the env; options edit the router's deps after the
// wallet and referral deps are set.
func newWalletEnv(t *testing.T, options ...func(*Deps)) *walletEnv {
	t.Helper()
	env := &walletEnv{node: chaintest.NewNode(t, walletChainID), clock: testclock.New(testNow)}
	transport := &http.Transport{}
	t.Cleanup(transport.CloseIdleConnections)
	verifier := starknet.NewVerifier(env.node.URL, &http.Client{Transport: transport, Timeout: 2 * time.Second})
	cfg := config.Default()
	nonces := walletRedis(t)
	// The real chain code, as the binary wires it (internal/walletchains).
	chains := auth.WalletChains{Starknet: walletchains.Starknet(walletChainID, verifier),
		Stellar: walletchains.Stellar(cfg.Chain.StellarNetworkPassphrase)}
	prover := auth.NewWalletProver(auth.WalletConfig{Origin: "https://proofstell.test", NonceTTL: cfg.Auth.WalletNonceTTL},
		nonces, chains, env.clock.Now, rand.Reader)
	env.h, env.store = newDBHarness(t, func(d *Deps) {
		d.Wallets = WalletDeps{Prover: prover, Store: d.Players.(persistence.WalletStore)}
		d.Referrals = testReferralDeps(d.Players.(persistence.ReferralStore))
		for _, o := range options {
			o(d)
		}
	})
	return env
}

// walletRedis is a real Redis client on a key prefix of its own.
func walletRedis(t *testing.T) *pgredis.Client {
	t.Helper()
	c, err := pgredis.Open(context.Background(), config.Redis{URL: "redis://127.0.0.1:6379/0",
		Prefix: "pstest:wallets:" + uuid.NewString()[:8] + ":", SubscribeQueue: 16})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c
}

// post sends a JSON body, with a bearer token when token is not "".
func (e *walletEnv) post(t *testing.T, path, token string, body any) *httptest.ResponseRecorder {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	return e.h.do(t, request{Method: http.MethodPost, Path: "/api/v1" + path, Body: string(raw), Token: token})
}

// starknetChallenge asks for a challenge and returns the typed data JSON.
func (e *walletEnv) starknetChallenge(t *testing.T, address string) json.RawMessage {
	t.Helper()
	w := e.post(t, "/auth/wallet/starknet/challenge", "", map[string]string{"address": address})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	resp := decode[starknetChallengeResponse](t, w)
	require.Equal(t, testNow.Add(5*time.Minute), resp.ExpiresAt)
	require.NotEmpty(t, resp.Nonce)
	return resp.TypedData
}

// signTyped is what a wallet does with the typed data: hash it for its
// address with starknet.go and sign with its keys. edit changes the document
// first (to sign something other than what was asked).
func signTyped(t *testing.T, signer *chaintest.Account, address string, td json.RawMessage, edit func(map[string]any)) []string {
	t.Helper()
	if edit != nil {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(td, &doc))
		edit(doc)
		var err error
		td, err = json.Marshal(doc)
		require.NoError(t, err)
	}
	var parsed typeddata.TypedData
	require.NoError(t, json.Unmarshal(td, &parsed))
	h, err := parsed.GetMessageHash(address)
	require.NoError(t, err)
	sig, err := signer.Sign(h.String())
	require.NoError(t, err)
	return sig
}

// starknetSignIn runs challenge, sign and verify for acct.
func (e *walletEnv) starknetSignIn(t *testing.T, acct *chaintest.Account) *httptest.ResponseRecorder {
	t.Helper()
	sig := signTyped(t, acct, acct.Address, e.starknetChallenge(t, acct.Address), nil)
	return e.post(t, "/auth/wallet/starknet/verify", "", map[string]any{"address": acct.Address, "signature": sig})
}

// stellarChallenge asks for a challenge and returns the message to sign.
func (e *walletEnv) stellarChallenge(t *testing.T, address string) string {
	t.Helper()
	w := e.post(t, "/auth/wallet/stellar/challenge", "", map[string]string{"address": address})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	resp := decode[stellarChallengeResponse](t, w)
	require.Contains(t, resp.Message, address)
	require.Contains(t, resp.Message, resp.Nonce)
	return resp.Message
}

// sep53 is what a Stellar wallet returns for message.
func sep53(t *testing.T, kp *keypair.Full, message string) string {
	t.Helper()
	h := stellar.Hash(message)
	sig, err := kp.Sign(h[:])
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(sig)
}

// upper0x spells a StarkNet address without zero padding, in capitals.
func upper0x(addr string) string {
	return "0x" + strings.ToUpper(strings.TrimLeft(addr[2:], "0"))
}
