package standings

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// model is the naive reference: a map of bests, sorted on demand.
type model map[string]Entry

func (m model) offer(e Entry) bool {
	if e.PlayerID == "" {
		return false
	}
	if old, ok := m[e.PlayerID]; ok && (e.Score < old.Score || e.Score == old.Score && !e.AchievedAt.Before(old.AchievedAt)) {
		return false
	}
	m[e.PlayerID] = e
	return true
}

func (m model) sorted() []Ranked {
	out := make([]Ranked, 0, len(m))
	for _, e := range m {
		out = append(out, Ranked{Entry: e})
	}
	slices.SortFunc(out, func(a, b Ranked) int { return Compare(a.Entry, b.Entry) })
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// window mirrors Range on the sorted model.
func window(all []Ranked, from, n int) []Ranked {
	from = max(from, 1)
	if n <= 0 || from > len(all) {
		return nil
	}
	return all[from-1 : min(from-1+n, len(all))]
}

// requireMatches checks every query of ix against the model.
func requireMatches(t testing.TB, ix *Index, m model, probes []Entry) {
	t.Helper()
	all := m.sorted()
	require.Equal(t, len(all), ix.Len())
	for _, want := range all {
		rank, e, ok := ix.Rank(want.PlayerID)
		require.True(t, ok)
		require.Equal(t, want.Rank, rank, "rank of %s", want.PlayerID)
		require.Equal(t, want.Entry, e)
		at, ok := ix.At(want.Rank)
		require.True(t, ok)
		require.Equal(t, want.Entry, at)
		from := max(want.Rank-2, 1)
		require.Equal(t, window(all, from, want.Rank+2-from+1), nilIfEmpty(ix.Around(want.PlayerID, 2)))
	}
	_, ok := ix.At(len(all) + 1)
	require.False(t, ok)
	require.Equal(t, window(all, 1, 7), nilIfEmpty(ix.Top(7)))
	for _, key := range probes {
		rank := 0
		for rank < len(all) && Compare(all[rank].Entry, key) <= 0 {
			rank++
		}
		require.Equal(t, window(all, rank+1, 4), nilIfEmpty(ix.After(key, 4)), "after %+v", key)
	}
}

func nilIfEmpty(r []Ranked) []Ranked {
	if len(r) == 0 {
		return nil
	}
	return r
}

var modelEpoch = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// smallEntry draws from a small space so ties and replacements are common.
func smallEntry(player, score, second int) Entry {
	return Entry{
		PlayerID:   fmt.Sprintf("p%02d", player%24),
		Username:   fmt.Sprintf("user%d", player%24),
		Score:      int64(score%16) - 3,
		AchievedAt: modelEpoch.Add(time.Duration(second%8) * time.Second),
	}
}

func TestIndex_MatchesModel(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 20; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, seed*7)) //nolint:gosec // reproducible test data
			ix, m := NewIndex(seed), model{}
			var probes []Entry
			for op := 0; op < 600; op++ {
				e := smallEntry(rng.IntN(256), rng.IntN(256), rng.IntN(256))
				require.Equal(t, m.offer(e), ix.Offer(e))
				probes = append(probes, e)
				if op%100 == 99 {
					requireMatches(t, ix, m, probes[len(probes)-20:])
				}
			}
			requireMatches(t, BuildIndex(seed, probes), m, probes[:50])
		})
	}
}

func FuzzIndex(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		ix, m := NewIndex(uint64(len(ops))), model{}
		var probes []Entry
		for i := 0; i+2 < len(ops) && i < 3*400; i += 3 {
			e := smallEntry(int(ops[i]), int(ops[i+1]), int(ops[i+2]))
			require.Equal(t, m.offer(e), ix.Offer(e))
			probes = append(probes, e)
		}
		requireMatches(t, ix, m, probes)
		built := BuildIndex(uint64(len(ops)), probes)
		requireMatches(t, built, m, probes)
		// A built index keeps working as a live one.
		for _, e := range probes {
			e.Score += 5
			require.Equal(t, m.offer(e), built.Offer(e))
		}
		requireMatches(t, built, m, probes)
	})
}
