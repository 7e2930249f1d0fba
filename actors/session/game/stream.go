package game

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
)

// Stream is a deterministic generator keyed by a seed, a label and an index:
// block j is SHA-256(seed ‖ label ‖ u64be(index) ‖ u32be(j)), j = 0, 1, …,
// read as consecutive big-endian uint64 words (four per block). Each index
// gets its own independent stream, so a draw for mole i never depends on how
// many words mole i−1 consumed. Not safe for concurrent use.
type Stream struct {
	prefix []byte // seed ‖ label ‖ u64be(index)
	block  uint32 // next block number
	buf    [sha256.Size]byte
	next   int // next unread byte of buf; len(buf) when empty
}

// NewStream starts the stream for (seed, label, index).
func NewStream(seed Seed, label string, index uint64) *Stream {
	prefix := make([]byte, 0, SeedSize+len(label)+8)
	prefix = append(prefix, seed[:]...)
	prefix = append(prefix, label...)
	prefix = binary.BigEndian.AppendUint64(prefix, index)
	return &Stream{prefix: prefix, next: sha256.Size}
}

// Uint64 returns the next word.
func (s *Stream) Uint64() uint64 {
	if s.next == len(s.buf) {
		h := sha256.New()
		h.Write(s.prefix)
		var j [4]byte
		binary.BigEndian.PutUint32(j[:], s.block)
		h.Write(j[:])
		h.Sum(s.buf[:0])
		s.block++
		s.next = 0
	}
	w := binary.BigEndian.Uint64(s.buf[s.next:])
	s.next += 8
	return w
}

// IntN returns a uniform integer in [0, n) without modulo bias: a word w is
// accepted when w < 2^64 − (2^64 mod n) and answered as w mod n; otherwise
// the next word is tried. n must be positive.
func (s *Stream) IntN(n uint64) uint64 {
	if n == 0 {
		panic("game: IntN of 0")
	}
	// (2^64 − n) mod n == 2^64 mod n, computed without 65-bit arithmetic.
	reject := (math.MaxUint64 - n + 1) % n
	limit := uint64(math.MaxUint64) - reject // accept w ≤ limit, i.e. w < 2^64 − reject
	for {
		if w := s.Uint64(); w <= limit {
			return w % n
		}
	}
}

// Float64 returns a uniform float in [0, 1): the next word's top 53 bits
// times 2^−53, which every IEEE-754 double arithmetic computes exactly.
func (s *Stream) Float64() float64 {
	return float64(s.Uint64()>>11) / (1 << 53)
}
