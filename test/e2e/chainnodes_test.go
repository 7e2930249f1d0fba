package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// chainEnv configures the server for a fake StarkNet node and, when
// soroban is not nil, a fake Stellar RPC with a relayer it knows.
func chainEnv(starknet *chaintest.Node, soroban *chaintest.SorobanNode, passphrase string) []string {
	env := []string{"STARKNET_RPC_URL=" + starknet.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA"}
	if soroban != nil {
		relayer := keypair.MustRandom()
		soroban.FundAccount(relayer.Address())
		env = append(env, "STELLAR_RPC_URL="+soroban.URL, "STELLAR_NETWORK_PASSPHRASE="+passphrase,
			"STELLAR_SECRET_KEY="+relayer.Seed(), "SOROBAN_BADGE_CONTRACT_ID="+chaintest.SorobanBadgeContract)
	}
	return env
}

// waitExit waits for a server that must refuse to start and returns its
// output.
func (s *server) waitExit() (string, error) {
	s.t.Helper()
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return s.logs.String(), err
	case <-time.After(30 * time.Second):
		s.t.Fatalf("server did not exit:\n%s", s.logs.String())
		return "", nil
	}
}

// A StarkNet node of another spec version and a Stellar RPC of another
// network are configuration errors no retry fixes: the node refuses to
// start and says what it expected and what it found.
func TestServer_ChainNodeMismatch_RefusesToStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	t.Run("starknet spec version", func(t *testing.T) {
		t.Parallel()
		node := chaintest.NewNode(t, "SN_SEPOLIA")
		node.SetSpecVersion("0.8.1")
		logs, err := launchServer(t, chainEnv(node, nil, "")...).waitExit()
		require.Error(t, err, "exits non-zero")
		require.Contains(t, logs, `JSON-RPC spec version is "0.8.1", want 0.9.x`)
	})
	t.Run("stellar passphrase", func(t *testing.T) {
		t.Parallel()
		soroban := chaintest.NewSorobanNode(t, network.PublicNetworkPassphrase)
		logs, err := launchServer(t, chainEnv(chaintest.NewNode(t, "SN_SEPOLIA"), soroban, network.TestNetworkPassphrase)...).waitExit()
		require.Error(t, err, "exits non-zero")
		require.Contains(t, logs, `getNetwork passphrase is "Public Global Stellar Network ; September 2015", `+
			`STELLAR_NETWORK_PASSPHRASE is "Test SDF Network ; September 2015"`)
	})
}

// readiness is the body of /health/ready.
type readiness struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status   string `json:"status"`
		Optional bool   `json:"optional"`
	} `json:"checks"`
}

func (s *server) readiness() (int, readiness) {
	s.t.Helper()
	resp, err := s.client.Get(s.base + "/api/v1/health/ready") //nolint:noctx // a test's own server
	require.NoError(s.t, err)
	defer func() { _ = resp.Body.Close() }()
	var r readiness
	require.NoError(s.t, json.NewDecoder(resp.Body).Decode(&r))
	return resp.StatusCode, r
}

// Readiness reports each chain node: a node that turns to another spec
// version or falls behind shows as down (optional: games go on) and the
// log says what is wrong; healed, it is ok again.
func TestServer_Readiness_ReportsChainNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	soroban := chaintest.NewSorobanNode(t, network.TestNetworkPassphrase)
	// Both checks log "readiness check failed": no rate limit between them.
	s := startServer(t, append(chainEnv(node, soroban, network.TestNetworkPassphrase), "LOG_RATE_INTERVAL=0")...)
	code, r := s.readiness()
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "ok", r.Checks["starknet"].Status)
	require.Equal(t, "ok", r.Checks["stellar"].Status)

	node.SetSpecVersion("0.10.0")
	soroban.SetUnhealthy(true)
	code, r = s.readiness()
	require.Equal(t, http.StatusOK, code, "chain nodes are optional")
	require.Equal(t, "down", r.Checks["starknet"].Status)
	require.True(t, r.Checks["starknet"].Optional)
	require.Equal(t, "down", r.Checks["stellar"].Status)
	// The log names what is wrong (JSON lines; the output pipe lags the reply).
	require.Eventually(t, func() bool {
		logs := s.logs.String()
		return strings.Contains(logs, `JSON-RPC spec version is \"0.10.0\", want 0.9.x`) &&
			strings.Contains(logs, "since last known ledger closed is too high")
	}, 10*time.Second, 20*time.Millisecond, "readiness logs both causes")

	node.SetSpecVersion(chaintest.SpecVersion)
	soroban.SetUnhealthy(false)
	_, r = s.readiness()
	require.Equal(t, "ok", r.Checks["starknet"].Status)
	require.Equal(t, "ok", r.Checks["stellar"].Status)
}

// Both sign-in messages name the public origin: PUBLIC_URL when set, else
// the listener's own address (never a fixed localhost:3000).
func TestServer_WalletMessagesNameThePublicOrigin(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	for _, public := range []string{"", "https://play.example.com"} {
		t.Run(fmt.Sprintf("PUBLIC_URL=%q", public), func(t *testing.T) {
			t.Parallel()
			node := chaintest.NewNode(t, "SN_SEPOLIA")
			env := chainEnv(node, nil, "")
			if public != "" {
				env = append(env, "PUBLIC_URL="+public)
			}
			s := startServer(t, env...)
			origin := public
			if origin == "" {
				origin = s.base // http://127.0.0.1:<port>, from HTTP_ADDR
			}
			var stellarChallenge struct {
				Message string `json:"message"`
			}
			require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/stellar/challenge", "",
				map[string]string{"address": keypair.MustRandom().Address()}, &stellarChallenge))
			host := strings.TrimPrefix(strings.TrimPrefix(origin, "http://"), "https://")
			require.True(t, strings.HasPrefix(stellarChallenge.Message, host+" wants you to sign in"), stellarChallenge.Message)
			require.Contains(t, stellarChallenge.Message, "\nURI: "+origin+"\n")

			var starknetChallenge struct {
				TypedData struct {
					Message map[string]any `json:"message"`
				} `json:"typedData"`
			}
			require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/challenge", "",
				map[string]string{"address": node.NewAccount(t, chaintest.KindArgent).Address}, &starknetChallenge))
			require.Equal(t, origin, starknetChallenge.TypedData.Message["origin"])
		})
	}
}
