package e2e

import (
	"context"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
)

// TestServer_ChallengeEndFreezesCommitsAndRewards drives a challenge to its
// end through the real binary: an admin schedules a short challenge whose
// reward is the mintable daily-champion badge, a player with a StarkNet
// wallet plays its one attempt, and the node's game clock (DEV_CLOCK_FILE)
// moves past its end. The scheduler's end job freezes its board, the
// chain writer commits the board's Merkle root on the fake StarkNet node
// (board "challenge", period the challenge id), the player gets a proof
// that verifies against that root and leads to the attempt's replay, which
// both verifiers accept, and the badge worker awards the reward,
// which is minted to the player's wallet.
func TestServer_ChallengeEndFreezesCommitsAndRewards(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a short game")
	}
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	relayer := node.NewAccount(t, chaintest.KindArgent)
	wallet := node.NewAccount(t, chaintest.KindArgent)
	clockFile := filepath.Join(t.TempDir(), "clock")
	s := startServer(t, "DEV_CLOCK_FILE="+clockFile,
		"STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA",
		"STARKNET_ACCOUNT_ADDRESS="+relayer.Address, "STARKNET_PRIVATE_KEY="+relayer.PrivateKey(),
		"MINT_CONTRACT_ADDRESS="+chaintest.BadgeContract, "LEADERBOARD_CONTRACT_ADDRESS="+chaintest.LeaderboardContract)

	admin := adminToken(t, s, "e2e-challenge-end-admin")
	reward := badgeIDBySlug(t, s, "daily-champion")
	now := time.Now().UTC()
	var created struct {
		ID string `json:"id"`
	}
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/admin/challenges", admin, map[string]any{
		"id": "e2e-final", "title": "The final", "mode": "classic", "maxAttempts": 1, "rewardBadge": reward, "rewardTop": 1,
		"overrides": map[string]any{"durationMs": 3000, "spawnIntervalMs": 500, "visibleMs": 900, "countdownMs": 0},
		"startsAt":  now.Format(time.RFC3339Nano), "endsAt": now.Add(10 * time.Minute).Format(time.RFC3339Nano),
	}, &created))
	require.Equal(t, "e2e-final", created.ID)

	player := starknetSignIn(t, s, wallet)
	ws := dial(t, s, player.AccessToken)
	ws.send("game:start", 1, map[string]string{"challengeId": created.ID})
	ack := decode[struct {
		SessionID string `json:"sessionId"`
	}](t, ws.next("ack").D)
	hits, _ := playLikeAPerson(t, ws, ack.SessionID)
	require.Positive(t, hits)
	_, ok := node.Root("challenge", created.ID)
	require.False(t, ok, "no root while the challenge runs")

	// Past its end on the node's clock.
	require.NoError(t, os.WriteFile(clockFile, []byte((11*time.Minute).String()), 0o600))
	ended := nextChallengeEvent(t, ws, "challenge:ended", created.ID)
	require.Len(t, ended.Winners, 1)

	var onChain string
	require.Eventually(t, func() bool {
		onChain, ok = node.Root("challenge", created.ID)
		return ok
	}, 30*time.Second, 100*time.Millisecond, "the chain writer commits the challenge board's root")
	var proof periodProof
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/leaderboards/challenge/periods/"+created.ID+"/proof?mode=classic&playerId="+
			player.Player.ID, "", nil, &proof) == http.StatusOK && proof.Status == "accepted"
	}, 30*time.Second, 100*time.Millisecond)
	require.Equal(t, 1, proof.Rank)
	require.Equal(t, "challenge", proof.ChainBoard)
	require.Equal(t, feltHex(t, proof.Root), feltHex(t, onChain), "the proof's root is the one on chain")
	// From the root on chain through the proof to the replay and its whacks.
	proof.Root = onChain
	followProofToReplay(t, s, proof, player.Player.ID, ack.SessionID)

	var rewardMint mintJSONView
	require.Eventually(t, func() bool {
		var out struct {
			Mints []mintJSONView `json:"mints"`
		}
		if s.call(http.MethodGet, "/api/v1/players/me/mints", player.AccessToken, nil, &out) != http.StatusOK {
			return false
		}
		for _, m := range out.Mints {
			if m.BadgeID == reward {
				rewardMint = m
			}
		}
		return rewardMint.Status == "accepted"
	}, 30*time.Second, 100*time.Millisecond, "the reward badge is awarded and minted")
	owner, ok := node.OwnerOf(rewardMint.TokenID)
	require.True(t, ok)
	require.Equal(t, wallet.Address, owner, "minted to the winner's wallet")
	var results int
	queryRow(t, s, `SELECT count(*) FROM challenge_results WHERE challenge_id = $1 AND won`, []any{created.ID}, &results)
	require.Equal(t, 1, results)
}

// mintJSONView is the part of a /players/me/mints entry the test reads.
type mintJSONView struct {
	BadgeID string `json:"badgeId"`
	TokenID string `json:"tokenId"`
	Status  string `json:"status"`
}

// badgeIDBySlug finds a catalogue badge's id.
func badgeIDBySlug(t *testing.T, s *server, slug string) string {
	t.Helper()
	var badges struct {
		Badges []struct {
			ID   string `json:"id"`
			Slug string `json:"slug"`
		} `json:"badges"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/badges", "", nil, &badges))
	for _, b := range badges.Badges {
		if b.Slug == slug {
			return b.ID
		}
	}
	t.Fatalf("no badge %q in the catalogue", slug)
	return ""
}

// queryRow reads one row from the node's database.
func queryRow(t *testing.T, s *server, sql string, args []any, dest ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	require.NoError(t, conn.QueryRow(ctx, sql, args...).Scan(dest...))
}

// feltHex normalises a felt's hex spelling (leading zeros differ between
// the API and the fake node).
func feltHex(t *testing.T, hex string) string {
	t.Helper()
	n, ok := new(big.Int).SetString(strings.TrimPrefix(hex, "0x"), 16)
	require.True(t, ok, "felt %q", hex)
	return "0x" + n.Text(16)
}
