package rest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// frozenPeriod makes n ranked standings with runs of equal scores.
func frozenPeriod(n int) []persistence.PeriodStanding {
	out := make([]persistence.PeriodStanding, n)
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i := range out {
		out[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: uuid.NewString(), Score: int64(1000 - i/3*7),
			AchievedAt: at.Add(time.Duration(i) * time.Second)}
	}
	return out
}

// productionRoot is the root the scheduler stores for st.
func productionRoot(t *testing.T, st []persistence.PeriodStanding) string {
	t.Helper()
	leaves, err := scheduler.Leaves(st)
	require.NoError(t, err)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	return tree.Root()
}

// productionTrees is the BuildProofTree cmd wires: the scheduler's leaves
// hashed by chain/merkle (tests may import chain; the gateway may not).
func productionTrees(version int, standings []persistence.PeriodStanding) (ProofTree, error) {
	leaves, err := scheduler.Leaves(standings)
	if err != nil {
		return nil, err
	}
	tree, err := merkle.Build(merkle.LeafVersion(version), leaves)
	if err != nil {
		return nil, err
	}
	return tree, nil
}

func proofPath(board, period, player string) string {
	return "/api/v1/leaderboards/" + board + "/periods/" + period + "/proof?playerId=" + player
}

// TestPeriodProof_VerifiesIndependentlyForEveryPlayer: every player of a
// 200-player period gets a proof that an independent Poseidon fold links
// to the stored root, which is itself recomputed independently; tampering
// with rank, score, player, a sibling or the sibling list breaks it.
func TestPeriodProof_VerifiesIndependentlyForEveryPlayer(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	st := frozenPeriod(200)
	root := productionRoot(t, st)
	saveFrozen(t, store, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-23", Root: root, LeafCount: len(st)}, st)

	leaves := make([]*felt.Felt, len(st))
	for i, s := range st {
		leaves[i] = indLeaf(t, s.Rank, s.PlayerID, s.Score)
	}
	require.Equal(t, root, indRoot(t, leaves).String(), "stored root matches an independent build")

	for i, s := range st {
		w := h.get(t, proofPath("daily", "2026-11-23", s.PlayerID), "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		got := decode[proofResponse](t, w)
		require.Equal(t, root, got.Root)
		require.Nil(t, got.TxHash)
		require.Equal(t, "pending", got.Status)
		require.Equal(t, s.Rank, got.Rank)
		require.Equal(t, s.Score, got.Score)
		require.Equal(t, leaves[i].String(), got.Leaf, "leaf of rank %d", s.Rank)
		require.Equal(t, root, indFold(t, leaves[i], got.Proof), "proof of rank %d", s.Rank)
		require.NotEmpty(t, got.Proof)
		require.Equal(t, 1, got.LeafVersion, "a period frozen before v2 still proves as v1")
		require.Nil(t, got.ReplayHash)
		require.Nil(t, got.ReplayURL)

		other := st[(i+1)%len(st)]
		tampered := map[string]string{
			"score":  indFold(t, indLeaf(t, s.Rank, s.PlayerID, s.Score+1), got.Proof),
			"rank":   indFold(t, indLeaf(t, other.Rank, s.PlayerID, s.Score), got.Proof),
			"player": indFold(t, indLeaf(t, s.Rank, other.PlayerID, s.Score), got.Proof),
			"sibling": indFold(t, leaves[i], append(append([]string{}, got.Proof[:len(got.Proof)-1]...),
				indNode(leaves[i], leaves[i]).String())),
			"dropped": indFold(t, leaves[i], got.Proof[:len(got.Proof)-1]),
		}
		for name, r := range tampered {
			require.NotEqual(t, root, r, "tampered %s of rank %d", name, s.Rank)
		}
	}
}

// TestPeriodProof_Errors: malformed input is 400, an unfrozen period or a
// player without a standing is 404 with its own code, a root that no
// longer matches its standings is never served.
func TestPeriodProof_Errors(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	st := frozenPeriod(3)
	saveFrozen(t, store, persistence.PeriodRoot{Mode: "classic", Board: "weekly", Period: "2026-W47", Root: productionRoot(t, st),
		LeafCount: len(st)}, st)
	saveFrozen(t, store, persistence.PeriodRoot{Mode: "classic", Board: "monthly", Period: "2026-10", Root: "0x1234",
		LeafCount: len(st)}, frozenPeriod(3))
	tests := []struct {
		name, path string
		status     int
		code       string
	}{
		{"unknown board", proofPath("yearly", "2026", st[0].PlayerID), 400, CodeBadRequest},
		{"global board never closes", proofPath("global", "all", st[0].PlayerID), 400, CodeBadRequest},
		{"bad period", proofPath("weekly", "2026-W54", st[0].PlayerID), 400, CodeBadRequest},
		{"daily key on weekly", proofPath("weekly", "2026-11-23", st[0].PlayerID), 400, CodeBadRequest},
		{"bad player", proofPath("weekly", "2026-W47", "not-a-uuid"), 400, CodeBadRequest},
		{"missing player", "/api/v1/leaderboards/weekly/periods/2026-W47/proof", 400, CodeBadRequest},
		{"not frozen", proofPath("weekly", "2026-W48", st[0].PlayerID), 404, CodePeriodNotFrozen},
		{"other board same key", proofPath("daily", "2026-11-23", st[0].PlayerID), 404, CodePeriodNotFrozen},
		{"no standing", proofPath("weekly", "2026-W47", uuid.NewString()), 404, CodeNotRanked},
		{"root mismatch", proofPath("monthly", "2026-10", st[0].PlayerID), 500, CodeInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			requireError(t, h.get(t, tc.path, ""), tc.status, tc.code)
		})
	}
	w := h.get(t, proofPath("weekly", "2026-W47", st[2].PlayerID), "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, 3, decode[proofResponse](t, w).Rank)
}

// TestTreeCache_BoundedAndRebuilt keeps at most its size of trees, evicts
// the least recently used, and serves the same tree while cached.
func TestTreeCache_BoundedAndRebuilt(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	c := newTreeCache(productionTrees, 2)
	roots := map[string]persistence.PeriodRoot{}
	for _, p := range []string{"2026-11-20", "2026-11-21", "2026-11-22"} {
		st := frozenPeriod(5)
		roots[p] = persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: p, Root: productionRoot(t, st), LeafCount: 5, LeafVersion: 1}
		saveFrozen(t, store, roots[p], st)
	}
	first, err := c.get(t.Context(), store, roots["2026-11-20"])
	require.NoError(t, err)
	again, err := c.get(t.Context(), store, roots["2026-11-20"])
	require.NoError(t, err)
	require.Same(t, first.tree, again.tree, "a cached tree is reused")
	for _, p := range []string{"2026-11-21", "2026-11-22"} {
		_, err := c.get(t.Context(), store, roots[p])
		require.NoError(t, err)
	}
	require.Len(t, c.entries, 2)
	require.Equal(t, []string{"classic/daily/2026-11-21", "classic/daily/2026-11-22"}, c.order)
	rebuilt, err := c.get(t.Context(), store, roots["2026-11-20"])
	require.NoError(t, err)
	require.NotSame(t, first.tree, rebuilt.tree, "an evicted tree is rebuilt")
	require.Equal(t, first.tree.Root(), rebuilt.tree.Root())
}

// countingPeriods counts standings reads to show concurrent misses share
// one build.
type countingPeriods struct {
	persistence.PeriodStore
	reads atomic.Int32
}

func (c *countingPeriods) PeriodStandings(ctx context.Context, key persistence.BoardKey) ([]persistence.PeriodStanding, error) {
	c.reads.Add(1)
	return c.PeriodStore.PeriodStandings(ctx, key)
}

// TestTreeCache_ConcurrentMissesBuildOnce: requests missing together wait
// for one build and get the same tree.
func TestTreeCache_ConcurrentMissesBuildOnce(t *testing.T) {
	t.Parallel()
	store := openStore(t)
	st := frozenPeriod(50)
	root := persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-20", Root: productionRoot(t, st), LeafCount: 50, LeafVersion: 1}
	saveFrozen(t, store, root, st)
	counting := &countingPeriods{PeriodStore: store}
	c := newTreeCache(productionTrees, 2)
	trees := make(chan ProofTree, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			pt, err := c.get(t.Context(), counting, root)
			assert.NoError(t, err)
			trees <- pt.tree
		})
	}
	wg.Wait()
	close(trees)
	first := <-trees
	require.NotNil(t, first)
	for tr := range trees {
		require.Same(t, first, tr)
	}
	require.Equal(t, int32(1), counting.reads.Load())
}

// TestPeriodProof_FollowsTheRootSubmission: the proof shows where the
// chain writer's submit_root stands: pending, then submitted and accepted
// with its tx hash, or failed with the contract's reason.
func TestPeriodProof_FollowsTheRootSubmission(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	st := frozenPeriod(2)
	for _, period := range []string{"2026-11-21", "2026-11-22"} {
		saveFrozen(t, store, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: period, Root: productionRoot(t, st),
			LeafCount: len(st)}, st)
	}
	writer, err := store.AcquireLease(t.Context(), persistence.ChainWriterLease, "writer", time.Hour)
	require.NoError(t, err)
	proof := func(period string) proofResponse {
		w := h.get(t, proofPath("daily", period, st[0].PlayerID), "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		return decode[proofResponse](t, w)
	}

	accepted := &persistence.RootRef{Mode: "classic", Board: "daily", Period: "2026-11-21"}
	require.NoError(t, store.RecordSigned(t.Context(), writer, persistence.MintTx{Hash: "0xabc", Nonce: 1, Payload: []byte(`{}`)},
		persistence.TxWork{Root: accepted}))
	got := proof("2026-11-21")
	require.Equal(t, "submitted", got.Status)
	require.Equal(t, "0xabc", *got.TxHash)
	_, err = store.MarkMintTxAccepted(t.Context(), writer, "0xabc")
	require.NoError(t, err)
	got = proof("2026-11-21")
	require.Equal(t, "accepted", got.Status)
	require.Equal(t, "0xabc", *got.TxHash)
	require.Empty(t, got.Reason)

	failed := &persistence.RootRef{Mode: "classic", Board: "daily", Period: "2026-11-22"}
	_, err = store.SettleUnsent(t.Context(), writer, persistence.TxWork{Root: failed}, persistence.MintFailed,
		"leaderboard: another root already set")
	require.NoError(t, err)
	got = proof("2026-11-22")
	require.Equal(t, "failed", got.Status)
	require.Nil(t, got.TxHash)
	require.Equal(t, "leaderboard: another root already set", got.Reason)
}

// TestPeriodProof_V2LinksTheReplay: a v2 period's proof carries the game
// that set the standing, its replay hash (zeros for a game without a
// replay) and the replay's URL, and its leaf is the independently derived
// v2 leaf over exactly that hash.
func TestPeriodProof_V2LinksTheReplay(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	st := frozenPeriod(5)
	for i := range st {
		st[i].SessionID = uuid.NewString()
		if i != 2 { // rank 3's game had no replay
			sum := sha256.Sum256([]byte(st[i].SessionID))
			st[i].ReplayHash = sum[:]
		}
	}
	leaves, err := scheduler.Leaves(st)
	require.NoError(t, err)
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	saveFrozen(t, store, persistence.PeriodRoot{Mode: "classic", Board: "daily", Period: "2026-11-25", Root: tree.Root(),
		LeafCount: len(st), LeafVersion: 2}, st)

	for _, s := range st {
		w := h.get(t, proofPath("daily", "2026-11-25", s.PlayerID), "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		got := decode[proofResponse](t, w)
		require.Equal(t, 2, got.LeafVersion)
		require.Equal(t, s.SessionID, *got.SessionID)
		require.Equal(t, "/api/v1/sessions/"+s.SessionID+"/replay", *got.ReplayURL)
		want := strings.Repeat("0", 64)
		if s.ReplayHash != nil {
			want = hex.EncodeToString(s.ReplayHash)
		}
		require.Equal(t, want, *got.ReplayHash, "rank %d", s.Rank)
		hi, lo := indFelt(t, want[:32]), indFelt(t, want[32:])
		tag := new(felt.Felt).SetBytes([]byte("proofstell/leaf/v2"))
		leaf := curve.PoseidonArray(tag, new(felt.Felt).SetUint64(uint64(s.Rank)),
			indFelt(t, strings.ReplaceAll(s.PlayerID, "-", "")), new(felt.Felt).SetUint64(uint64(s.Score)), hi, lo)
		require.Equal(t, leaf.String(), got.Leaf, "rank %d", s.Rank)
		require.Equal(t, tree.Root(), indFold(t, leaf, got.Proof), "rank %d", s.Rank)
		require.NotEqual(t, tree.Root(), indFold(t, indLeaf(t, s.Rank, s.PlayerID, s.Score), got.Proof),
			"a v1 leaf never proves in a v2 period")
	}
}
