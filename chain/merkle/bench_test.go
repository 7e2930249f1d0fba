package merkle_test

import (
	"testing"

	"github.com/proofstell/proofstell/chain/merkle"
)

const millionPlayers = 1_000_000

// BenchmarkBuild1M measures building the tree for a 1,000,000-player period
// (one leaf hash and about one node hash per player).
func BenchmarkBuild1M(b *testing.B) {
	leaves := randomStandings(millionPlayers, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := merkle.Build(merkle.LeafV1, leaves); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProof1M measures serving one player's proof from a built
// 1,000,000-leaf tree (the cost of the REST proof endpoint after the build).
func BenchmarkProof1M(b *testing.B) {
	tree, err := merkle.Build(merkle.LeafV1, randomStandings(millionPlayers, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := tree.Proof(i % millionPlayers); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}

// BenchmarkVerify1M measures checking one proof (20 node hashes) the way
// the contract does, e.g. for a server-side self-check before publishing.
func BenchmarkVerify1M(b *testing.B) {
	leaves := randomStandings(millionPlayers, 1)
	tree, err := merkle.Build(merkle.LeafV1, leaves)
	if err != nil {
		b.Fatal(err)
	}
	proof, err := tree.Proof(123_456)
	if err != nil {
		b.Fatal(err)
	}
	root := tree.Root()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if !merkle.Verify(merkle.LeafV1, root, leaves[123_456], proof) {
			b.Fatal("valid proof rejected")
		}
	}
}
