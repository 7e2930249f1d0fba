package merkle

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/NethermindEth/juno/core/felt"
	"github.com/google/uuid"
)

// Errors Build and Proof return; callers map them once at their edge.
var (
	// ErrEmpty means a period had no standings; there is no root to submit.
	ErrEmpty = errors.New("merkle: no leaves")
	// ErrDuplicatePlayer means the standings list a player twice, which
	// would make "the proof for player X" ambiguous.
	ErrDuplicatePlayer = errors.New("merkle: duplicate player")
	// ErrIndexOutOfRange means a proof was asked for a leaf the tree lacks.
	ErrIndexOutOfRange = errors.New("merkle: leaf index out of range")
	// ErrLeafVersion means a leaf encoding this package does not know.
	ErrLeafVersion = errors.New("merkle: unknown leaf version")
)

func errVersion(v LeafVersion) error { return fmt.Errorf("version %d: %w", v, ErrLeafVersion) }

// parallelThreshold is the level width below which hashing stays on one
// goroutine; spawning workers for a handful of hashes costs more than it saves.
const parallelThreshold = 4096

// Tree is an immutable Merkle tree over one period's standings. It keeps
// every level so proofs are answered without rehashing; it is safe for
// concurrent readers.
type Tree struct {
	levels  [][]felt.Felt // levels[0] are leaf hashes, the last level is the root
	index   map[uuid.UUID]int
	version LeafVersion
}

// Build hashes the standings in the order given with the version's leaf
// encoding and returns the tree. It rejects an unknown version, an empty
// list and duplicate players (see the package doc for the encodings and the
// odd-node rule).
func Build(version LeafVersion, leaves []Leaf) (*Tree, error) {
	if !version.Valid() {
		return nil, fmt.Errorf("build tree: %w", errVersion(version))
	}
	if len(leaves) == 0 {
		return nil, ErrEmpty
	}
	index := make(map[uuid.UUID]int, len(leaves))
	for i, l := range leaves {
		if prev, dup := index[l.Player]; dup {
			return nil, fmt.Errorf("build tree: player %s at %d and %d: %w", l.Player, prev, i, ErrDuplicatePlayer)
		}
		index[l.Player] = i
	}
	level := make([]felt.Felt, len(leaves))
	parallelFor(len(leaves), func(i int) { level[i] = hashLeaf(version, leaves[i]) })
	return &Tree{levels: levelsFrom(level), index: index, version: version}, nil
}

// levelsFrom hashes a leaf level up to the root, keeping every level.
func levelsFrom(level []felt.Felt) [][]felt.Felt {
	levels := [][]felt.Felt{level}
	for len(level) > 1 {
		level = nextLevel(level)
		levels = append(levels, level)
	}
	return levels
}

// nextLevel pairs adjacent nodes and promotes an odd last node unchanged.
func nextLevel(level []felt.Felt) []felt.Felt {
	next := make([]felt.Felt, (len(level)+1)/2)
	pairs := len(level) / 2
	parallelFor(pairs, func(i int) { next[i] = hashPair(&level[2*i], &level[2*i+1]) })
	if len(level)%2 == 1 {
		next[pairs] = level[len(level)-1]
	}
	return next
}

// parallelFor runs fn(0..n-1) across the CPUs in contiguous chunks.
func parallelFor(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < parallelThreshold || workers < 2 {
		for i := range n {
			fn(i)
		}
		return
	}
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for start := 0; start < n; start += chunk {
		end := min(start+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := start; i < end; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// Version is the leaf encoding the tree was built with.
func (t *Tree) Version() LeafVersion { return t.version }

// Len is the number of leaves, i.e. standings, in the tree.
func (t *Tree) Len() int { return len(t.levels[0]) }

// Root is the value the chain writer submits with submit_root.
func (t *Tree) Root() string {
	top := t.levels[len(t.levels)-1]
	return top[0].String()
}

// LeafHash returns the hash of the leaf at index, for the proof response.
func (t *Tree) LeafHash(index int) (string, error) {
	if index < 0 || index >= t.Len() {
		return "", fmt.Errorf("leaf hash %d of %d: %w", index, t.Len(), ErrIndexOutOfRange)
	}
	return t.levels[0][index].String(), nil
}

// IndexOf finds a player's leaf so a proof can be served by player id.
func (t *Tree) IndexOf(player uuid.UUID) (int, bool) {
	i, ok := t.index[player]
	return i, ok
}

// Proof returns the siblings from the leaf at index up to the root, the
// array a Cairo verifier folds with the sorted-pair hash.
func (t *Tree) Proof(index int) ([]string, error) {
	if index < 0 || index >= t.Len() {
		return nil, fmt.Errorf("proof for leaf %d of %d: %w", index, t.Len(), ErrIndexOutOfRange)
	}
	proof := make([]string, 0, len(t.levels)-1)
	for _, level := range t.levels[:len(t.levels)-1] {
		if sibling := index ^ 1; sibling < len(level) {
			proof = append(proof, level[sibling].String())
		}
		index /= 2
	}
	return proof, nil
}
