package population_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/bench/internal/population"
)

func TestDraw_Reproducible(t *testing.T) {
	t.Parallel()
	require.Equal(t, population.Draw(500, 7), population.Draw(500, 7))
	require.NotEqual(t, population.Draw(500, 7), population.Draw(500, 8))
}

func TestDraw_LooksLikeRatedPlayers(t *testing.T) {
	t.Parallel()
	rs := population.Draw(10_000, 1)
	var sum, sumSq, sigma float64
	for _, r := range rs {
		o := r.Ordinal()
		sum += o
		sumSq += o * o
		sigma += r.Sigma
		require.Positive(t, r.Sigma)
		require.LessOrEqual(t, r.Matches, 150)
	}
	n := float64(len(rs))
	mean, sd := sum/n, math.Sqrt(sumSq/n-(sum/n)*(sum/n))
	t.Logf("ordinal mean %.2f sd %.2f, mean sigma %.2f", mean, sd, sigma/n)
	// Players who have played shed most of the prior's 25/3: the ordinals
	// sit above 0 and spread wider than true skill alone.
	require.Greater(t, mean, 0.0)
	require.Less(t, sigma/n, 25.0/3)
	require.Greater(t, sd, 25.0/6)
}
