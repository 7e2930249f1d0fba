package analytics

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidateClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		event string
		props map[string]any
		want  error
	}{
		{"a client event", ScreenViewed, map[string]any{"screen": "leaderboard"}, nil},
		{"optional props may be absent", TutorialCompleted, nil, nil},
		{"whole numbers", TutorialCompleted, map[string]any{"step": float64(3)}, nil},
		{"unknown name", "bought_coins", nil, ErrUnknownEvent},
		{"server events are not client events", GameFinished, map[string]any{"mode": "classic"}, ErrUnknownEvent},
		{"unknown property", ScreenViewed, map[string]any{"screen": "x", "email": "a@b"}, ErrInvalidEvent},
		{"missing required", ShareClicked, map[string]any{}, ErrInvalidEvent},
		{"wrong type", TutorialCompleted, map[string]any{"step": "3"}, ErrInvalidEvent},
		{"fractional int", TutorialCompleted, map[string]any{"step": 1.5}, ErrInvalidEvent},
		{"long string", ScreenViewed, map[string]any{"screen": string(make([]byte, MaxStringProp+1))}, ErrInvalidEvent},
		{"bool", SettingsChanged, map[string]any{"setting": "sound", "enabled": true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateClient(tt.event, tt.props)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}
}

func TestCatalogue_NamesFitEveryProvider(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, s := range Catalogue() {
		require.False(t, seen[s.Name], "duplicate %s", s.Name)
		seen[s.Name] = true
		require.Regexp(t, `^[a-z][a-z0-9_]{0,39}$`, s.Name, "GA4 event names: 40 chars, letters, digits, underscores")
		require.LessOrEqual(t, len(s.Props), 25, "GA4: at most 25 params")
		for k := range s.Props {
			require.Regexp(t, `^[a-z][a-z0-9_]{0,39}$`, k)
		}
		for _, r := range s.Required {
			require.Contains(t, s.Props, r)
		}
	}
}

func TestIdentity(t *testing.T) {
	t.Parallel()
	a, b := NewIdentity("secret-a"), NewIdentity("secret-b")
	id := "7f3c5a8e-0000-4000-8000-000000000001"
	require.Equal(t, a.Of(id), a.Of(id), "stable")
	require.Len(t, a.Of(id), 32)
	require.NotEqual(t, a.Of(id), b.Of(id), "keyed: another secret, another id")
	require.NotContains(t, a.Of(id), "7f3c5a8e")
	require.NotEqual(t, a.Of(id), a.Of("7f3c5a8e-0000-4000-8000-000000000002"))
	require.Regexp(t, `^fd[0-9a-f]{2}:`, a.Addr(id), "a unique-local IPv6")
	require.NotEqual(t, a.Addr(id), a.Addr("other"))
}

func TestEventID(t *testing.T) {
	t.Parallel()
	require.Equal(t, EventID("game.finished", "s1", GameFinished, "p"), EventID("game.finished", "s1", GameFinished, "p"))
	require.NotEqual(t, EventID("game.finished", "s1", GameFinished, "p"), EventID("game.finished", "s1", GameFlagged, "p"))
	require.NotEqual(t, EventID("game.finished", "s1", GameFinished, "p"), EventID("game.finished", "s1", GameFinished, "q"))
	require.Len(t, EventID("t", "k", "n", "p"), 36, "fits Mixpanel's 36-character $insert_id")
}
