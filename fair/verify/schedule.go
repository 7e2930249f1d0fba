package verify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
)

// Constants of the protocol (FAIRNESS.md §1–3).
const (
	commitmentDomain = "proofstell/seed-commitment/v1"
	moleLabel        = "proofstell/mole/v1"
	holeRestNs       = int64(1e9) // REST: a hole stays closed 1 s after its mole
	maxMoles         = 4096
)

// Mole kinds as the schedule names them.
const (
	kindNormal = "normal"
	kindGolden = "golden"
	kindBomb   = "bomb"
)

// Mole is one mole of the recomputed schedule; offsets from the start of
// running.
type Mole struct {
	ID     int64  `json:"id"`
	Hole   int64  `json:"hole"`
	Kind   string `json:"kind"`
	UpNs   int64  `json:"upNs"`
	DownNs int64  `json:"downNs"`
}

// commitment is hex SHA-256(domain ‖ u32be(len(id)) ‖ id ‖ seed).
func commitment(sessionID string, seed []byte) string {
	h := sha256.New()
	h.Write([]byte(commitmentDomain))
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(sessionID)))) //nolint:gosec // ids are short
	h.Write([]byte(sessionID))
	h.Write(seed)
	return hex.EncodeToString(h.Sum(nil))
}

// stream is SHA-256 in counter mode over seed ‖ label ‖ u64be(index).
type stream struct {
	prefix []byte
	block  uint32
	words  []uint64
}

func newStream(seed []byte, label string, index uint64) *stream {
	p := append(append(append([]byte{}, seed...), label...), binary.BigEndian.AppendUint64(nil, index)...)
	return &stream{prefix: p}
}

func (s *stream) next() uint64 {
	if len(s.words) == 0 {
		sum := sha256.Sum256(binary.BigEndian.AppendUint32(append([]byte{}, s.prefix...), s.block))
		s.block++
		for i := 0; i < len(sum); i += 8 {
			s.words = append(s.words, binary.BigEndian.Uint64(sum[i:]))
		}
	}
	w := s.words[0]
	s.words = s.words[1:]
	return w
}

// intN is uniform in [0, n) by rejection: accept w < 2^64 − (2^64 mod n).
func (s *stream) intN(n uint64) uint64 {
	r := (math.MaxUint64 - n + 1) % n
	for {
		if w := s.next(); w <= math.MaxUint64-r {
			return w % n
		}
	}
}

func (s *stream) float64() float64 { return float64(s.next()>>11) / (1 << 53) }

// Schedule recomputes every mole from the seed and the rules (FAIRNESS.md
// §3). The rules must have passed checkRules.
func Schedule(seed []byte, m Rules) []Mole {
	var plan []Mole
	holes := m.Rows * m.Cols
	for k := int64(0); k*m.SpawnIntervalNs < m.DurationNs; k++ {
		up := k * m.SpawnIntervalNs
		busy := make(map[int64]bool)
		visible := int64(0)
		// Down is non-decreasing in id: older moles have rested too.
		for i := len(plan) - 1; i >= 0 && up < plan[i].DownNs+holeRestNs; i-- {
			busy[plan[i].Hole] = true
			if up < plan[i].DownNs {
				visible++
			}
		}
		var free []int64
		for h := range holes {
			if !busy[h] {
				free = append(free, h)
			}
		}
		if visible >= m.MolesAtOnce || len(free) == 0 || len(plan) >= maxMoles {
			continue
		}
		s := newStream(seed, moleLabel, uint64(k)) //nolint:gosec // k ≥ 0
		hole := free[s.intN(uint64(len(free)))]
		plan = append(plan, Mole{ID: int64(len(plan)) + 1, Hole: hole, Kind: kindFor(s.float64(), m), UpNs: up,
			DownNs: up + m.VisibleNs})
	}
	return plan
}

func kindFor(r float64, m Rules) string {
	switch {
	case r < m.GoldenChance:
		return kindGolden
	case r < m.GoldenChance+m.BombChance:
		return kindBomb
	}
	return kindNormal
}
