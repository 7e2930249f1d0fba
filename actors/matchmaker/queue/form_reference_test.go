package queue_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/matchmaker/queue"
)

// TestForm_SameAsReference runs the indexed Form and the scan it replaced
// (formReference) on thousands of seeded random queues: solo players and
// parties of 1..wanted, wanted sizes 2..8, ages to the second (equal
// ages, gaps equal to a window) or the millisecond, some in the future,
// ratings continuous, whole, on a 0.1 grid (rounding at the window's
// edge) or far apart, windows narrow to wide, ids out of arrival order
// and sometimes repeated. The matches must be identical, field for field
// and in order.
func TestForm_SameAsReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 2026)) //nolint:gosec // reproducible queues
	for i := range 3000 {
		now, tickets, w := randomQueue(rng)
		want := formReference(now, tickets, w)
		got := queue.Form(now, tickets, w)
		require.Equal(t, matchIDs(want), matchIDs(got), "queue %d (%d tickets, window %+v)", i, len(tickets), w)
		require.Equal(t, want, got, "queue %d", i)
	}
}

// FuzzForm compares the indexed Form with formReference on any queue the
// fuzzer builds, NaN and infinite ratings and windows included: each
// 6-byte record of data is one ticket (rating, age, wanted, party, id).
func FuzzForm(f *testing.F) {
	f.Add(3.0, 1.0, 50.0, []byte{10, 0, 2, 1, 1, 0, 12, 0, 2, 1, 2, 0, 200, 5, 4, 2, 3, 0})
	f.Add(3.0, 1.0, 50.0, []byte{0, 40, 2, 1, 1, 0, 20, 0, 2, 1, 2, 0})
	f.Add(0.0, 0.0, 0.0, []byte{255, 1, 3, 1, 1, 0, 254, 1, 3, 1, 2, 0, 253, 1, 3, 1, 3, 0, 7, 1, 3, 1, 4, 0})
	f.Add(math.NaN(), math.Inf(1), -1.0, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add(1.0, 0.0, 1.0, []byte{156, 40, 2, 1, 1, 0, 255, 40, 2, 1, 2, 0, 254, 40, 2, 1, 3, 0, 254, 40, 2, 1, 4, 0})
	// The same beyond the probe, so that the index must find them: a NaN
	// rating fits any window, +Inf fits +Inf (∞ − ∞ is NaN).
	f.Add(1.0, 0.0, 1.0, pastTheProbe([]byte{156, 40, 2, 1, 1, 0}, []byte{255, 30, 2, 1, 2, 0}))
	f.Add(1.0, 0.0, 1.0, pastTheProbe([]byte{254, 40, 2, 1, 1, 0}, []byte{254, 30, 2, 1, 2, 0}))
	f.Add(1.0, 0.0, math.Inf(1), pastTheProbe([]byte{100, 40, 2, 1, 1, 0}, []byte{254, 30, 2, 1, 2, 0}))
	f.Fuzz(func(t *testing.T, start, perSecond, maxWidth float64, data []byte) {
		w := queue.Window{Start: start, PerSecond: perSecond, Max: maxWidth}
		var tickets []queue.Ticket
		for i := 0; i+6 <= len(data) && len(tickets) < 200; i += 6 {
			tickets = append(tickets, fuzzTicket(len(tickets), data[i:i+6]))
		}
		want, got := formReference(t0, tickets, w), queue.Form(t0, tickets, w)
		// %+v, not require.Equal: a NaN rating is never equal to itself.
		require.Equal(t, fmt.Sprintf("%+v", want), fmt.Sprintf("%+v", got))
	})
}

// pastTheProbe puts ten tickets of another wanted size, younger than
// anchor and older than partner, between the two records.
func pastTheProbe(anchor, partner []byte) []byte {
	data := append([]byte(nil), anchor...)
	for i := range byte(10) {
		data = append(data, 128+i*40, 35, 5, 1, 3+i, i)
	}
	return append(data, partner...)
}

// fuzzTicket decodes one ticket: rating byte 253..255 is −Inf, +Inf, NaN,
// otherwise (b − 128)/4; age in half seconds (below 32 in the future)
// plus 0..255 ms, so ages tie or not; wanted 0..9; a party of 0..9
// players; an id out of 16, so that ids collide.
func fuzzTicket(n int, b []byte) queue.Ticket {
	rating := float64(int(b[0])-128) / 4
	switch b[0] {
	case 253:
		rating = math.Inf(-1)
	case 254:
		rating = math.Inf(1)
	case 255:
		rating = math.NaN()
	}
	players := make([]string, int(b[3])%10)
	for j := range players {
		players[j] = fmt.Sprintf("p%d-%d", n, j)
	}
	age := time.Duration(int(b[1])-32)*500*time.Millisecond + time.Duration(b[5])*time.Millisecond
	return queue.Ticket{ID: fmt.Sprintf("t%d", b[4]%16), Players: players, Rating: rating,
		EnqueuedAt: t0.Add(-age), Wanted: int(b[2]) % 10}
}

// randomQueue draws one queue, its time and its window.
func randomQueue(rng *rand.Rand) (time.Time, []queue.Ticket, queue.Window) {
	n := rng.IntN(40)
	if rng.IntN(4) == 0 {
		n = 40 + rng.IntN(400)
	}
	rating := randomRatings(rng)
	w := randomWindow(rng)
	wholeSeconds, sameWanted, soloOnly := rng.IntN(2) == 0, rng.IntN(3) == 0, rng.IntN(3) == 0
	wanted := 2 + rng.IntN(7)
	tickets := make([]queue.Ticket, n)
	for i := range tickets {
		if !sameWanted {
			wanted = 2 + rng.IntN(7)
		}
		party := 1
		if !soloOnly && rng.IntN(3) == 0 {
			party = 1 + rng.IntN(wanted)
		}
		players := make([]string, party)
		for j := range players {
			players[j] = fmt.Sprintf("p%d-%d", i, j)
		}
		age := time.Duration(rng.IntN(60_000)-2_000) * time.Millisecond
		if wholeSeconds {
			age = age.Truncate(time.Second)
		}
		id := fmt.Sprintf("t%04d", rng.IntN(10_000))
		if rng.IntN(50) == 0 && i > 0 {
			id = tickets[rng.IntN(i)].ID
		}
		tickets[i] = queue.Ticket{ID: id, Players: players, Rating: rating(), EnqueuedAt: t0.Add(-age), Wanted: wanted}
	}
	return t0, tickets, w
}

// randomRatings picks how this queue's ratings are drawn.
func randomRatings(rng *rand.Rand) func() float64 {
	switch rng.IntN(4) {
	case 0: // the benchmark's population
		return func() float64 { return benchOrdinalMean + benchOrdinalSD*rng.NormFloat64() }
	case 1: // whole points: ties and gaps equal to a whole window
		return func() float64 { return float64(rng.IntN(30)) }
	case 2: // a 0.1 grid: gaps that round across the window's edge
		return func() float64 { return float64(rng.IntN(300)) * 0.1 }
	default: // far apart: mostly nothing pairs
		return func() float64 { return float64(rng.IntN(1000)) * 7.3 }
	}
}

// randomWindow draws a window: whole or fractional, narrow or wide, its
// cap sometimes below its start.
func randomWindow(rng *rand.Rand) queue.Window {
	if rng.IntN(2) == 0 {
		return queue.Window{Start: float64(rng.IntN(6)), PerSecond: float64(rng.IntN(3)), Max: float64(rng.IntN(60))}
	}
	return queue.Window{Start: rng.Float64() * 6, PerSecond: rng.Float64() * 2, Max: rng.Float64() * 60}
}

// matchIDs is each match's ticket ids, for a readable failure.
func matchIDs(ms []queue.Match) [][]string {
	ids := make([][]string, 0, len(ms))
	for _, m := range ms {
		var g []string
		for _, t := range m.Tickets {
			g = append(g, t.ID)
		}
		ids = append(ids, g)
	}
	return ids
}
