package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/bench/cluster/internal/members"
)

func TestClassOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		size, player int
		pl           members.Placement
		want         string
	}{
		{size: 1, player: 0, pl: members.Placement{Host: 0}, want: classSingle},
		{size: 3, player: 1, pl: members.Placement{Host: 1}, want: classSame},
		{size: 3, player: 1, pl: members.Placement{Host: 2}, want: classCross},
		{size: 3, player: 1, pl: members.Placement{Host: -1, Predicted: 1}, want: classUnclassified},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, classOf(tc.size, tc.player, tc.pl), "%+v", tc)
	}
}

func TestWhacker_MatchesRepliesByID(t *testing.T) {
	t.Parallel()
	sent := time.Unix(100, 0)
	w := &whacker{sent: map[int64]time.Time{7: sent}}
	_, ok := w.judged(8, sent.Add(time.Millisecond))
	require.False(t, ok, "a reply to no whack of ours")
	rtt, ok := w.judged(7, sent.Add(3*time.Millisecond))
	require.True(t, ok)
	require.Equal(t, 3*time.Millisecond, rtt)
	_, ok = w.judged(7, sent.Add(4*time.Millisecond))
	require.False(t, ok, "each whack is judged once")

	var res gameResult
	w.count("game:hit", time.Millisecond, &res)
	w.count("game:miss", 2*time.Millisecond, &res)
	w.count("error", 0, &res)
	require.Equal(t, []time.Duration{time.Millisecond, 2 * time.Millisecond}, res.RTT)
	require.Equal(t, [3]int{1, 1, 1}, [3]int{res.Hits, res.Misses, res.Rejected})
}
