package merkle_test

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/merkle"
)

// This file re-derives the documented encoding from starknet.go's Poseidon
// and math/big alone, without the package's helpers, the way a Cairo
// contract or a third party would: if the package drifts from its doc, the
// two disagree.

func bigFelt(t testing.TB, hexDigits string) *felt.Felt {
	t.Helper()
	v, ok := new(big.Int).SetString(hexDigits, 16)
	require.True(t, ok, "hex %q", hexDigits)
	return new(felt.Felt).SetBigInt(v)
}

func independentLeaf(t testing.TB, l merkle.Leaf) *felt.Felt {
	t.Helper()
	player := bigFelt(t, strings.ReplaceAll(l.Player.String(), "-", ""))
	rank := new(felt.Felt).SetBigInt(new(big.Int).SetUint64(l.Rank))
	score := new(felt.Felt).SetBigInt(new(big.Int).SetUint64(l.Score))
	return curve.PoseidonArray(rank, player, score)
}

func independentNode(a, b *felt.Felt) *felt.Felt {
	if a.BigInt(new(big.Int)).Cmp(b.BigInt(new(big.Int))) > 0 {
		a, b = b, a
	}
	return curve.Poseidon(a, b)
}

// independentProcessProof is OpenZeppelin's process_proof: fold siblings.
func independentProcessProof(t testing.TB, l merkle.Leaf, proof []string) string {
	t.Helper()
	computed := independentLeaf(t, l)
	for _, s := range proof {
		computed = independentNode(computed, bigFelt(t, strings.TrimPrefix(s, "0x")))
	}
	return computed.String()
}

// independentRoot builds the root recursively: the left subtree holds the
// largest power of two strictly below n, which is the shape that pairing
// left to right and promoting an odd last node produces.
func independentRoot(t testing.TB, leaves []merkle.Leaf) string {
	t.Helper()
	return independentSubtree(t, leaves).String()
}

func independentSubtree(t testing.TB, leaves []merkle.Leaf) *felt.Felt {
	if len(leaves) == 1 {
		return independentLeaf(t, leaves[0])
	}
	split := 1
	for split*2 < len(leaves) {
		split *= 2
	}
	return independentNode(independentSubtree(t, leaves[:split]), independentSubtree(t, leaves[split:]))
}

// randomStandings makes n players with random ids and scores, ranked by
// score with ties sharing a rank, from a fixed seed.
func randomStandings(n int, seed uint64) []merkle.Leaf {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	leaves := make([]merkle.Leaf, n)
	for i := range leaves {
		var id uuid.UUID
		for j := range id {
			id[j] = byte(rng.UintN(256))
		}
		leaves[i] = merkle.Leaf{Player: id, Score: rng.Uint64N(500)}
	}
	slices.SortStableFunc(leaves, func(a, b merkle.Leaf) int { return int(b.Score) - int(a.Score) })
	for i := range leaves {
		leaves[i].Rank = uint64(i + 1)
		if i > 0 && leaves[i].Score == leaves[i-1].Score {
			leaves[i].Rank = leaves[i-1].Rank
		}
	}
	return leaves
}

func TestIndependentVerifier_RandomThousand(t *testing.T) {
	leaves := randomStandings(1000, 42)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	root := tree.Root()
	require.Equal(t, independentRoot(t, leaves), root)
	for i, l := range leaves {
		proof, err := tree.Proof(i)
		require.NoError(t, err)
		require.Equal(t, root, independentProcessProof(t, l, proof), "leaf %d", i)
		require.True(t, merkle.Verify(merkle.LeafV1, root, l, proof), "leaf %d", i)
		h, err := tree.LeafHash(i)
		require.NoError(t, err)
		require.Equal(t, independentLeaf(t, l).String(), h)
	}
}

func TestVerify_RejectsTampering(t *testing.T) {
	leaves := randomStandings(1000, 7)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	root := tree.Root()
	for _, i := range []int{0, 1, 500, 998, 999} {
		leaf := leaves[i]
		proof, err := tree.Proof(i)
		require.NoError(t, err)
		require.True(t, merkle.Verify(merkle.LeafV1, root, leaf, proof))
		for name, c := range tamperings(t, leaves, i, proof, root) {
			t.Run(name, func(t *testing.T) {
				require.False(t, merkle.Verify(merkle.LeafV1, c.root, c.leaf, c.proof))
				require.NotEqual(t, c.root, independentProcessProof(t, c.leaf, c.proof))
			})
		}
	}
}

type claim struct {
	root  string
	leaf  merkle.Leaf
	proof []string
}

func tamperings(t testing.TB, leaves []merkle.Leaf, i int, proof []string, root string) map[string]claim {
	t.Helper()
	leaf := leaves[i]
	other := leaves[(i+1)%len(leaves)]
	with := func(f func(c *claim)) claim {
		c := claim{root: root, leaf: leaf, proof: slices.Clone(proof)}
		f(&c)
		return c
	}
	flip := func(s string) string {
		f := bigFelt(t, strings.TrimPrefix(s, "0x"))
		return f.Add(f, new(felt.Felt).SetUint64(1)).String()
	}
	return map[string]claim{
		"rank+1":          with(func(c *claim) { c.leaf.Rank++ }),
		"score+1":         with(func(c *claim) { c.leaf.Score++ }),
		"other player":    with(func(c *claim) { c.leaf.Player = other.Player }),
		"sibling changed": with(func(c *claim) { c.proof[0] = flip(c.proof[0]) }),
		"top changed":     with(func(c *claim) { c.proof[len(c.proof)-1] = flip(c.proof[len(c.proof)-1]) }),
		"sibling dropped": with(func(c *claim) { c.proof = c.proof[1:] }),
		"extra sibling":   with(func(c *claim) { c.proof = append(c.proof, root) }),
		"root changed":    with(func(c *claim) { c.root = flip(c.root) }),
		"reordered":       with(func(c *claim) { c.proof[0], c.proof[1] = c.proof[1], c.proof[0] }),
	}
}

func TestVerify_MalformedInput(t *testing.T) {
	leaves := randomStandings(4, 1)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	proof, err := tree.Proof(0)
	require.NoError(t, err)
	require.False(t, merkle.Verify(merkle.LeafV1, "nope", leaves[0], proof))
	require.False(t, merkle.Verify(merkle.LeafV1, tree.Root(), leaves[0], []string{proof[0], "12"}))
}

// independentLeafV2 spells the v2 leaf from the doc: the tag's ASCII bytes,
// rank, player, score, then the replay hash's hex halves.
func independentLeafV2(t testing.TB, l merkle.Leaf) *felt.Felt {
	t.Helper()
	tag := new(big.Int).SetBytes([]byte("proofstell/leaf/v2"))
	hexHash := hex.EncodeToString(l.ReplayHash[:])
	player := bigFelt(t, strings.ReplaceAll(l.Player.String(), "-", ""))
	return curve.PoseidonArray(new(felt.Felt).SetBigInt(tag), new(felt.Felt).SetUint64(l.Rank), player,
		new(felt.Felt).SetUint64(l.Score), bigFelt(t, "0"+hexHash[:32]), bigFelt(t, "0"+hexHash[32:]))
}

// TestIndependentVerifier_V2 re-derives v2 leaves and folds their proofs;
// a v2 proof never verifies as v1, nor with another game's replay.
func TestIndependentVerifier_V2(t *testing.T) {
	leaves := randomStandings(257, 99)
	for i := range leaves {
		leaves[i].ReplayHash = sha256.Sum256(leaves[i].Player[:])
	}
	leaves[3].ReplayHash = [32]byte{} // a standing whose game has no replay
	tree, err := merkle.Build(merkle.LeafV2, leaves)
	require.NoError(t, err)
	root := tree.Root()
	for i, l := range leaves {
		proof, err := tree.Proof(i)
		require.NoError(t, err)
		computed := independentLeafV2(t, l)
		h, err := tree.LeafHash(i)
		require.NoError(t, err)
		require.Equal(t, computed.String(), h, "leaf %d", i)
		for _, s := range proof {
			computed = independentNode(computed, bigFelt(t, strings.TrimPrefix(s, "0x")))
		}
		require.Equal(t, root, computed.String(), "leaf %d", i)
		require.True(t, merkle.Verify(merkle.LeafV2, root, l, proof))
		require.False(t, merkle.Verify(merkle.LeafV1, root, l, proof))
		other := l
		other.ReplayHash[31] ^= 1
		require.False(t, merkle.Verify(merkle.LeafV2, root, other, proof))
	}
}
