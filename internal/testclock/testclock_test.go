package testclock

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClock_MovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	c := New(start)
	require.True(t, c.Now().Equal(start))
	require.True(t, c.Advance(1500*time.Millisecond).Equal(start.Add(1500*time.Millisecond)))
	require.True(t, c.Now().Equal(start.Add(1500*time.Millisecond)))
	c.Set(start)
	require.True(t, c.Now().Equal(start))
}
