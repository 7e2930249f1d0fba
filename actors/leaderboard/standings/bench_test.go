package standings

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

const benchPlayers = 1_000_000

// benchIndex builds a board of n players with clustered scores, as real
// boards have: many ties, broken by time.
func benchIndex(tb testing.TB, n int) (*Index, []string) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // reproducible test data
	ix := NewIndex(42)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("player-%07d", i)
		ix.Offer(Entry{
			PlayerID:   ids[i],
			Username:   ids[i],
			Score:      int64(rng.IntN(5000)),
			AchievedAt: time.Unix(int64(rng.IntN(86400)), 0),
		})
	}
	return ix, ids
}

var (
	sharedIndex *Index
	sharedIDs   []string
)

func shared(b *testing.B) (*Index, []string) {
	b.Helper()
	if sharedIndex == nil {
		sharedIndex, sharedIDs = benchIndex(b, benchPlayers)
	}
	return sharedIndex, sharedIDs
}

func BenchmarkIndex_Build(b *testing.B) {
	for b.Loop() {
		benchIndex(b, benchPlayers)
	}
}

func BenchmarkIndex_Rank(b *testing.B) {
	ix, ids := shared(b)
	rng := rand.New(rand.NewPCG(3, 4)) //nolint:gosec // reproducible test data
	b.ReportAllocs()
	for b.Loop() {
		ix.Rank(ids[rng.IntN(len(ids))])
	}
}

func BenchmarkIndex_Around(b *testing.B) {
	ix, ids := shared(b)
	rng := rand.New(rand.NewPCG(5, 6)) //nolint:gosec // reproducible test data
	b.ReportAllocs()
	for b.Loop() {
		ix.Around(ids[rng.IntN(len(ids))], 10)
	}
}

func BenchmarkIndex_Offer(b *testing.B) {
	ix, ids := benchIndex(b, benchPlayers)
	rng := rand.New(rand.NewPCG(7, 8)) //nolint:gosec // reproducible test data
	score := int64(5000)
	b.ReportAllocs()
	for b.Loop() {
		score++ // always an improvement, so every offer moves a node
		ix.Offer(Entry{PlayerID: ids[rng.IntN(len(ids))], Score: score, AchievedAt: time.Unix(90000, 0)})
	}
}

func BenchmarkIndex_Top(b *testing.B) {
	ix, _ := shared(b)
	b.ReportAllocs()
	for b.Loop() {
		ix.Top(10)
	}
}

func BenchmarkBuildIndex(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // reproducible test data
	entries := make([]Entry, benchPlayers)
	for i := range entries {
		id := fmt.Sprintf("player-%07d", i)
		entries[i] = Entry{PlayerID: id, Username: id, Score: int64(rng.IntN(5000)), AchievedAt: time.Unix(int64(rng.IntN(86400)), 0)}
	}
	b.ReportAllocs()
	for b.Loop() {
		BuildIndex(42, entries)
	}
}
