package members

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/bench/internal/loopback"
)

func TestParseUnlabelled(t *testing.T) {
	t.Parallel()
	text := strings.Join([]string{
		"# HELP proofstell_cluster_members Members in this node's view.",
		"# TYPE proofstell_cluster_members gauge",
		"proofstell_cluster_members 3",
		`proofstell_sessions_finished_total{state="finished"} 7`,
		"proofstell_sessions_active 12",
		"go_gc_duration_seconds_sum 1.5e-03",
		"broken_line",
		"",
	}, "\n")
	got, err := parseUnlabelled(strings.NewReader(text))
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"proofstell_cluster_members": 3, "proofstell_sessions_active": 12, "go_gc_duration_seconds_sum": 0.0015}, got)
}

func TestGrewByOne(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		before, after []float64
		want          int
	}{
		{name: "one grew", before: []float64{1, 2, 3}, after: []float64{1, 3, 3}, want: 1},
		{name: "none grew", before: []float64{1, 2, 3}, after: []float64{1, 2, 3}, want: -1},
		{name: "two grew", before: []float64{1, 2, 3}, after: []float64{2, 3, 3}, want: -1},
		{name: "one grew, one shrank", before: []float64{1, 2, 3}, after: []float64{1, 3, 2}, want: -1},
		{name: "grew by two", before: []float64{0, 0}, after: []float64{2, 0}, want: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, grewByOne(tc.before, tc.after))
		})
	}
}

func TestCluster_Owner(t *testing.T) {
	t.Parallel()
	c := &Cluster{}
	for i := range 3 {
		c.members = append(c.members, &Member{Index: i, Remote: fmt.Sprintf("127.0.0.1:%d", 7100+i)})
	}
	require.Equal(t, -1, c.Owner("s-1", nil))
	hosts := map[int]int{}
	for n := range 300 {
		id := fmt.Sprintf("session-%d", n)
		owner := c.Owner(id, c.All())
		require.Contains(t, c.All(), owner)
		require.Equal(t, owner, c.Owner(id, c.All()), "placement is stable")
		other := c.Owner(id, without(c.All(), owner))
		require.NotEqual(t, owner, other, "without its owner a session lands elsewhere")
		require.Equal(t, owner, c.Owner(id, []int{owner}), "a lone member owns everything")
		hosts[owner]++
	}
	require.Len(t, hosts, 3, "every member hosts some sessions")
}

func without(all []int, x int) []int {
	var out []int
	for _, i := range all {
		if i != x {
			out = append(out, i)
		}
	}
	return out
}

func TestServices_CheckAndURL(t *testing.T) {
	t.Parallel()
	ok := Services{PostgresURL: "postgres://postgres@127.0.0.1:5432/postgres", RedisURL: "redis://127.0.0.1:6379/0", Database: "proofstell_bench_x_1"}
	require.NoError(t, ok.Check(context.Background()))
	u, err := ok.DatabaseURL()
	require.NoError(t, err)
	require.Equal(t, "postgres://postgres@127.0.0.1:5432/proofstell_bench_x_1?sslmode=disable", u)

	remote := ok
	remote.RedisURL = "redis://10.1.2.3:6379/0"
	require.ErrorIs(t, remote.Check(context.Background()), loopback.ErrNotLoopback)
	bad := ok
	bad.Database = `x"; DROP`
	_, err = bad.DatabaseURL()
	require.Error(t, err)
	require.Error(t, Services{RedisPrefix: "*"}.deleteRedisKeys(context.Background()))
}
