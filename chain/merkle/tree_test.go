package merkle_test

import (
	"fmt"
	"testing"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/merkle"
)

// standings returns n distinct leaves with descending scores.
func standings(n int) []merkle.Leaf {
	leaves := make([]merkle.Leaf, n)
	for i := range leaves {
		leaves[i] = merkle.Leaf{
			Rank:   uint64(i + 1),
			Player: uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint("player-", i))),
			Score:  uint64(10_000 - i),
		}
	}
	return leaves
}

func hashOf(t testing.TB, hex string) *felt.Felt {
	t.Helper()
	f, err := new(felt.Felt).SetString(hex)
	require.NoError(t, err)
	return f
}

// sortedPair is the expected node hash written out directly in the test.
func sortedPair(t testing.TB, a, b string) string {
	t.Helper()
	x, y := hashOf(t, a), hashOf(t, b)
	if x.Cmp(y) > 0 {
		x, y = y, x
	}
	return curve.Poseidon(x, y).String()
}

func TestBuild_SmallShapes(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		root      func(l []string) string
		proofLens []int
	}{
		{"one leaf is its own root", 1, func(l []string) string { return l[0] }, []int{0}},
		{"two leaves", 2, func(l []string) string { return sortedPair(t, l[0], l[1]) }, []int{1, 1}},
		{"three leaves promote the last", 3, func(l []string) string {
			return sortedPair(t, sortedPair(t, l[0], l[1]), l[2])
		}, []int{2, 2, 1}},
		{"five leaves promote twice", 5, func(l []string) string {
			left := sortedPair(t, sortedPair(t, l[0], l[1]), sortedPair(t, l[2], l[3]))
			return sortedPair(t, left, l[4])
		}, []int{3, 3, 3, 3, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			leaves := standings(tc.n)
			tree, err := merkle.Build(merkle.LeafV1, leaves)
			require.NoError(t, err)
			hashes := make([]string, tc.n)
			for i, l := range leaves {
				hashes[i] = leafHash(t, merkle.LeafV1, l)
			}
			require.Equal(t, tc.root(hashes), tree.Root())
			for i, l := range leaves {
				proof, err := tree.Proof(i)
				require.NoError(t, err)
				require.Len(t, proof, tc.proofLens[i])
				require.True(t, merkle.Verify(merkle.LeafV1, tree.Root(), l, proof))
			}
		})
	}
}

func TestBuild_AllSizesVerify(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 6, 7, 8, 9, 16, 17, 31, 33, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			leaves := standings(n)
			tree, err := merkle.Build(merkle.LeafV1, leaves)
			require.NoError(t, err)
			require.Equal(t, n, tree.Len())
			require.Equal(t, independentRoot(t, leaves), tree.Root())
			for i, l := range leaves {
				proof, err := tree.Proof(i)
				require.NoError(t, err)
				require.Equal(t, tree.Root(), independentProcessProof(t, l, proof))
				require.True(t, merkle.Verify(merkle.LeafV1, tree.Root(), l, proof))
			}
		})
	}
}

func TestBuild_Rejects(t *testing.T) {
	dup := standings(4)
	dup[3].Player = dup[1].Player
	tests := []struct {
		name   string
		leaves []merkle.Leaf
		want   error
	}{
		{"empty", nil, merkle.ErrEmpty},
		{"duplicate player", dup, merkle.ErrDuplicatePlayer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tree, err := merkle.Build(merkle.LeafV1, tc.leaves)
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, tree)
		})
	}
}

func TestBuild_TiedRanksAllowed(t *testing.T) {
	leaves := standings(3)
	leaves[1].Rank, leaves[2].Rank = 2, 2
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	proof, err := tree.Proof(2)
	require.NoError(t, err)
	require.True(t, merkle.Verify(merkle.LeafV1, tree.Root(), leaves[2], proof))
}

func TestBuild_OrderMatters(t *testing.T) {
	leaves := standings(4)
	a, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	leaves[0], leaves[2] = leaves[2], leaves[0]
	b, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)
	require.NotEqual(t, a.Root(), b.Root())
}

func TestTree_Lookups(t *testing.T) {
	leaves := standings(5)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	require.NoError(t, err)

	i, ok := tree.IndexOf(leaves[3].Player)
	require.True(t, ok)
	require.Equal(t, 3, i)
	_, ok = tree.IndexOf(uuid.Nil)
	require.False(t, ok)

	h, err := tree.LeafHash(3)
	require.NoError(t, err)
	require.Equal(t, leafHash(t, merkle.LeafV1, leaves[3]), h)
	require.Equal(t, merkle.LeafV1, tree.Version())

	for _, bad := range []int{-1, 5} {
		_, err = tree.Proof(bad)
		require.ErrorIs(t, err, merkle.ErrIndexOutOfRange)
		_, err = tree.LeafHash(bad)
		require.ErrorIs(t, err, merkle.ErrIndexOutOfRange)
	}
}

func TestParseFelt(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0x1", true},
		{"0xABCdef", true},
		{"0x0800000000000011000000000000000000000000000000000000000000000000", true},  // p-1
		{"0x0800000000000011000000000000000000000000000000000000000000000001", false}, // p
		{"0x" + "0800000000000011000000000000000000000000000000000000000000000000"[1:] + "0", false},
		{"1", false},
		{"0x", false},
		{"0xg1", false},
		{"0x+1", false},
		{"0x" + "00000000000000000000000000000000000000000000000000000000000000001", false}, // 65 digits
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := merkle.ParseFelt(tc.in)
			require.Equal(t, tc.ok, err == nil, "err=%v", err)
		})
	}
}

func leafHash(t testing.TB, v merkle.LeafVersion, l merkle.Leaf) string {
	t.Helper()
	h, err := merkle.LeafHash(v, l)
	require.NoError(t, err)
	return h
}

func TestBuild_RefusesUnknownVersions(t *testing.T) {
	for _, v := range []merkle.LeafVersion{0, 3, -1} {
		_, err := merkle.Build(v, standings(2))
		require.ErrorIs(t, err, merkle.ErrLeafVersion)
		_, err = merkle.LeafHash(v, standings(1)[0])
		require.ErrorIs(t, err, merkle.ErrLeafVersion)
	}
}
