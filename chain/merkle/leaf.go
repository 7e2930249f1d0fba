package merkle

import (
	"fmt"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/NethermindEth/starknet.go/curve"
	"github.com/google/uuid"
)

// LeafVersion names a leaf encoding. A period's root is built with one
// version for good: its proofs verify only with that version's leaves.
type LeafVersion int

// Leaf encodings (package doc, "Leaf encoding").
const (
	// LeafV1 hashes (rank, player, score): the periods frozen before the
	// replay hash joined the leaf.
	LeafV1 LeafVersion = 1
	// LeafV2 hashes a domain tag, (rank, player, score) and the replay hash
	// of the game that set the standing.
	LeafV2 LeafVersion = 2
)

// LeafV2Tag is the Cairo short string 'proofstell/leaf/v2' (its ASCII bytes
// read as one big-endian integer), the first felt of every v2 leaf: no v1
// leaf or internal node hashes the same sponge input.
const LeafV2Tag = "0x70726f6f667374656c6c2f6c6561662f7632"

// Valid reports whether v is a leaf encoding this package knows.
func (v LeafVersion) Valid() bool { return v == LeafV1 || v == LeafV2 }

// Leaf is one frozen standing of a closed period: the (rank, player, score)
// triple the contract's verifier is asked to accept and, from v2 on, the
// replay of the game that set it.
type Leaf struct {
	// Rank is the 1-based position on the board at period close.
	Rank uint64
	// Player identifies the player; encoded as a 128-bit big-endian felt.
	Player uuid.UUID
	// Score is the player's final score for the period.
	Score uint64
	// ReplayHash is the SHA-256 of the replay's canonical bytes (the
	// replayHash of GET /sessions/{id}/replay) of the game that set the
	// standing; all zero when that game has no replay (unranked, legacy).
	// Hashed by v2 only, as two 128-bit felts.
	ReplayHash [32]byte
}

// PlayerFelt returns the player's UUID as the felt the leaf encoding uses
// (its 16 bytes read big-endian), so callers can show the exact contract input.
func PlayerFelt(player uuid.UUID) string {
	return playerFelt(player).String()
}

// ReplayFelts returns the replay hash as the two felts a v2 leaf hashes:
// its first 16 bytes and its last 16 bytes, each read big-endian.
func ReplayFelts(hash [32]byte) (high, low string) {
	h, l := replayFelts(hash)
	return h.String(), l.String()
}

// LeafHash returns the leaf's hash under version as it appears at the
// bottom of the tree and as the contract's verifier recomputes it.
func LeafHash(version LeafVersion, l Leaf) (string, error) {
	if !version.Valid() {
		return "", fmt.Errorf("leaf hash: %w", errVersion(version))
	}
	h := hashLeaf(version, l)
	return h.String(), nil
}

func playerFelt(player uuid.UUID) *felt.Felt {
	return new(felt.Felt).SetBytes(player[:])
}

func replayFelts(hash [32]byte) (high, low *felt.Felt) {
	return new(felt.Felt).SetBytes(hash[:16]), new(felt.Felt).SetBytes(hash[16:])
}

// leafV2Tag is LeafV2Tag as a felt.
var leafV2Tag = new(felt.Felt).SetBytes([]byte("proofstell/leaf/v2"))

// hashLeaf hashes l under a valid version (callers check it).
func hashLeaf(version LeafVersion, l Leaf) felt.Felt {
	rank := new(felt.Felt).SetUint64(l.Rank)
	score := new(felt.Felt).SetUint64(l.Score)
	if version == LeafV1 {
		return *curve.PoseidonArray(rank, playerFelt(l.Player), score)
	}
	high, low := replayFelts(l.ReplayHash)
	return *curve.PoseidonArray(leafV2Tag, rank, playerFelt(l.Player), score, high, low)
}

// hashPair is the sorted-pair node hash (OpenZeppelin PoseidonCHasher).
func hashPair(a, b *felt.Felt) felt.Felt {
	if a.Cmp(b) > 0 {
		a, b = b, a
	}
	return *curve.Poseidon(a, b)
}
