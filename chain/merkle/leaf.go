package merkle

import (
	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/google/uuid"
)

// Leaf is one frozen standing of a closed period: the (rank, player, score)
// triple the contract's verifier is asked to accept.
type Leaf struct {
	// Rank is the 1-based position on the board at period close.
	Rank uint64
	// Player identifies the player; encoded as a 128-bit big-endian felt.
	Player uuid.UUID
	// Score is the player's final score for the period.
	Score uint64
}

// PlayerFelt returns the player's UUID as the felt the leaf encoding uses
// (its 16 bytes read big-endian), so callers can show the exact contract input.
func PlayerFelt(player uuid.UUID) string {
	return playerFelt(player).String()
}

// LeafHash returns the leaf's hash as it appears at the bottom of the tree
// and as the contract's verifier recomputes it.
func LeafHash(l Leaf) string {
	h := hashLeaf(l)
	return h.String()
}

func playerFelt(player uuid.UUID) *felt.Felt {
	return new(felt.Felt).SetBytes(player[:])
}

func hashLeaf(l Leaf) felt.Felt {
	rank := new(felt.Felt).SetUint64(l.Rank)
	score := new(felt.Felt).SetUint64(l.Score)
	return *curve.PoseidonArray(rank, playerFelt(l.Player), score)
}

// hashPair is the sorted-pair node hash (OpenZeppelin PoseidonCHasher).
func hashPair(a, b *felt.Felt) felt.Felt {
	if a.Cmp(b) > 0 {
		a, b = b, a
	}
	return *curve.Poseidon(a, b)
}
