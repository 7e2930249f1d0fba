package ws

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestFloodGuard_Refuse(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	type step struct {
		at     time.Duration
		answer bool
		flood  bool
	}
	tests := []struct {
		name  string
		limit int
		steps []step
	}{
		{name: "first refusals answered, later ones silent", limit: 10, steps: []step{
			{0, true, false}, {0, true, false}, {0, true, false}, {0, false, false}, {0, false, false},
		}},
		{name: "one more than the limit in a window floods", limit: 4, steps: []step{
			{0, true, false}, {time.Millisecond, true, false}, {2 * time.Millisecond, true, false},
			{3 * time.Millisecond, false, false}, {4 * time.Millisecond, false, true},
		}},
		{name: "a new window starts the count again", limit: 2, steps: []step{
			{0, true, false}, {500 * time.Millisecond, true, false},
			{time.Second, true, false}, {1500 * time.Millisecond, true, false},
			{2 * time.Second, true, false}, {2100 * time.Millisecond, true, false},
			{2200 * time.Millisecond, true, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := floodGuard{limit: tt.limit, window: time.Second}
			for i, s := range tt.steps {
				answer, flood := g.refuse(t0.Add(s.at))
				require.Equal(t, s.answer, answer, "step %d answer", i)
				require.Equal(t, s.flood, flood, "step %d flood", i)
			}
		})
	}
}
