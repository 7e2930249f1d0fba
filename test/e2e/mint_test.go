package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/NethermindEth/starknet.go/typeddata"
	"github.com/stellar/go-stellar-sdk/keypair"
	"github.com/stellar/go-stellar-sdk/network"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/chain/stellar"
)

// TestServer_AwardedBadgeIsMinted drives the whole minting path through the
// real binary: a player signs in with a StarkNet wallet, an admin awards a
// mintable badge, the award writes a mint request, and the chain writer
// (a cluster singleton) mints the NFT on the fake StarkNet node with a
// signed INVOKE v3; the player sees the mint accepted, over REST and in a
// mint:status event on its socket.
func TestServer_AwardedBadgeIsMinted(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	relayer := node.NewAccount(t, chaintest.KindArgent)
	wallet := node.NewAccount(t, chaintest.KindArgent)
	s := startServer(t, "STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA",
		"STARKNET_ACCOUNT_ADDRESS="+relayer.Address, "STARKNET_PRIVATE_KEY="+relayer.PrivateKey(),
		"MINT_CONTRACT_ADDRESS="+chaintest.BadgeContract)

	player := starknetSignIn(t, s, wallet)
	ws := dial(t, s, player.AccessToken)
	// An answer from the player actor: it is subscribed to the player's
	// events (mint:status) from its start.
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "global"})
	require.Equal(t, "ack", ws.answerTo(1).T)
	admin := adminToken(t, s, "e2e-mint-admin")
	awardMintable(t, s, admin, player.Player.ID)
	accepted := waitMinted(t, s, player.AccessToken)
	owner, ok := node.OwnerOf(accepted.TokenID)
	require.True(t, ok, "token %s exists on chain", accepted.TokenID)
	require.Equal(t, wallet.Address, owner, "minted to the player's wallet")
	for status := ""; status != "accepted"; {
		status = decode[map[string]string](t, ws.next("mint:status").D)["status"]
	}
}

// TestServer_StellarWalletLinkedAfterAward_MintedOnSoroban: a guest earns
// a mintable badge with no wallet (nothing to mint to), then links a
// Stellar wallet; the link queues the mint and the Stellar chain writer
// mints it through the Soroban badge contract on the fake Soroban node.
func TestServer_StellarWalletLinkedAfterAward_MintedOnSoroban(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	node := chaintest.NewSorobanNode(t, network.TestNetworkPassphrase)
	relayer, wallet := keypair.MustRandom(), keypair.MustRandom()
	node.FundAccount(relayer.Address())
	node.SetSorobanMinter(relayer.Address())
	s := startServer(t, "STELLAR_RPC_URL="+node.URL, "STELLAR_NETWORK_PASSPHRASE="+network.TestNetworkPassphrase,
		"STELLAR_SECRET_KEY="+relayer.Seed(), "SOROBAN_BADGE_CONTRACT_ID="+chaintest.SorobanBadgeContract)

	token, playerID := s.guest("e2e-stellar-player")
	admin := adminToken(t, s, "e2e-stellar-admin")
	awardMintable(t, s, admin, playerID)
	var none struct {
		Mints []mint `json:"mints"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/mints", token, nil, &none))
	require.Empty(t, none.Mints, "no wallet, nothing to mint to yet")

	var challenge struct {
		Message string `json:"message"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/stellar/challenge", "",
		map[string]string{"address": wallet.Address()}, &challenge))
	digest := stellar.Hash(challenge.Message)
	sig, err := wallet.Sign(digest[:])
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/players/me/wallets", token,
		map[string]any{"chain": "stellar", "address": wallet.Address(), "signature": base64.StdEncoding.EncodeToString(sig)}, nil))

	accepted := waitMinted(t, s, token)
	owner, ok := node.OwnerOf(accepted.TokenID)
	require.True(t, ok, "token %s exists on the Soroban contract", accepted.TokenID)
	require.Equal(t, wallet.Address(), owner, "minted to the linked Stellar wallet")
	require.Len(t, node.Txs(), 1)
}

// mint is a mint request as the API shows it.
type mint struct {
	Status  string `json:"status"`
	TokenID string `json:"tokenId"`
	TxHash  string `json:"txHash"`
}

// awardMintable has admin award the seeded mintable badge classic-30 to
// playerID.
func awardMintable(t *testing.T, s *server, admin, playerID string) {
	t.Helper()
	awardBadge(t, s, admin, playerID, "classic-30") // seeded as mintable
}

// awardBadge has the admin award the seeded badge slug to the player.
func awardBadge(t *testing.T, s *server, admin, playerID, slug string) {
	t.Helper()
	var badges struct {
		Badges []struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
		} `json:"badges"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/badges", "", nil, &badges))
	var badgeID string
	for _, b := range badges.Badges {
		if b.Slug == slug {
			badgeID = b.ID
		}
	}
	require.NotEmpty(t, badgeID)
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/admin/badges/"+badgeID+"/award", admin,
		map[string]string{"playerId": playerID}, nil))
}

// waitMinted waits until the player's only mint is accepted by the chain
// writer and returns it.
func waitMinted(t *testing.T, s *server, token string) mint {
	t.Helper()
	var accepted mint
	require.Eventually(t, func() bool {
		var out struct {
			Mints []mint `json:"mints"`
		}
		if s.call(http.MethodGet, "/api/v1/players/me/mints", token, nil, &out) != http.StatusOK || len(out.Mints) != 1 {
			return false
		}
		accepted = out.Mints[0]
		return accepted.Status == "accepted"
	}, 30*time.Second, 100*time.Millisecond, "the chain writer mints the badge")
	require.NotEmpty(t, accepted.TxHash)
	return accepted
}

// starknetSignIn signs in with a StarkNet account of the fake node.
func starknetSignIn(t *testing.T, s *server, account *chaintest.Account) tokenPair {
	t.Helper()
	var pair tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "",
		signedChallenge(t, s, account), &pair))
	return pair
}

// signedChallenge asks for a sign-in challenge and returns the verify body
// the wallet would send: the SNIP-12 message hashed for its address and
// signed with its real key.
func signedChallenge(t *testing.T, s *server, account *chaintest.Account) map[string]any {
	t.Helper()
	var challenge struct {
		TypedData json.RawMessage `json:"typedData"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/challenge", "",
		map[string]string{"address": account.Address}, &challenge))
	signature, err := signTypedData(account, challenge.TypedData)
	require.NoError(t, err)
	return map[string]any{"address": account.Address, "signature": signature}
}

// signTypedData signs SNIP-12 typed data (JSON) as account's wallet does:
// the message hash for the account's address, signed with its keys. It
// returns an error rather than failing the test so a browser's fake wallet
// can call it from its own goroutine.
func signTypedData(account *chaintest.Account, typedData []byte) ([]string, error) {
	var doc typeddata.TypedData
	if err := json.Unmarshal(typedData, &doc); err != nil {
		return nil, fmt.Errorf("read typed data: %w", err)
	}
	hash, err := doc.GetMessageHash(account.Address)
	if err != nil {
		return nil, fmt.Errorf("hash typed data: %w", err)
	}
	return account.Sign(hash.String())
}

// adminToken makes a guest an admin the way an operator would (in the
// database) and signs it in again: the role is read at issue time.
func adminToken(t *testing.T, s *server, device string) string {
	t.Helper()
	_, id := s.guest(device)
	s.exec(`UPDATE players SET role = 'admin' WHERE id = $1`, id)
	token, _ := s.guest(device)
	return token
}
