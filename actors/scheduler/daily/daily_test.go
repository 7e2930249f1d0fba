package daily_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/scheduler/daily"
	"github.com/proofstell/proofstell/persistence"
)

// catalogue is the seeded modes (migration 002) plus a practice and a
// retired mode, which a daily never plays.
func catalogue() []persistence.Mode {
	mode := func(name string, spawn, visible int, golden, bomb float64, ranked, active bool) persistence.Mode {
		return persistence.Mode{Name: name, Level: "normal", Rows: 3, Cols: 3, Duration: 30 * time.Second,
			SpawnInterval: time.Duration(spawn) * time.Millisecond, Visible: time.Duration(visible) * time.Millisecond,
			MaxMolesUp: 1, HitPoints: 1, GoldenChance: golden, GoldenPoints: 5, BombChance: bomb, BombPenalty: 3,
			Countdown: 3 * time.Second, MaxPlayers: 8, Active: active, Ranked: ranked, Version: 1}
	}
	return []persistence.Mode{
		mode("frenzy", 600, 900, 0.1, 0.1, true, true),
		mode("classic", 1000, 800, 0, 0, true, true),
		mode("classic-hard", 700, 550, 0, 0, true, true),
		mode("practice", 1000, 800, 0, 0, false, true),
		mode("retired", 1000, 800, 0, 0, true, false),
	}
}

var (
	secret = []byte("a-server-secret-of-32-characters")
	day    = time.Date(2026, 12, 6, 15, 4, 5, 0, time.UTC)
)

func generate(t *testing.T, date time.Time, key []byte, modes []persistence.Mode) persistence.Challenge {
	t.Helper()
	c, err := daily.Generate(date, key, modes)
	require.NoError(t, err)
	return c
}

func TestGenerate_shape(t *testing.T) {
	t.Parallel()
	c := generate(t, day, secret, catalogue())
	require.Equal(t, "daily-2026-12-06", c.ID)
	require.Equal(t, persistence.ChallengeDaily, c.Kind)
	require.Equal(t, "Daily challenge — 6 December", c.Title)
	require.Equal(t, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), c.StartsAt)
	require.Equal(t, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), c.EndsAt)
	require.Equal(t, daily.MaxAttempts, c.MaxAttempts)
	require.Equal(t, daily.RewardTop, c.RewardTop)
	require.Empty(t, c.RewardBadge, "the store names the reward: the catalogue's daily-champion (persistence.DailyRewardBadge)")
	require.Equal(t, c.Mode, c.Rules.Name)
	require.Contains(t, []string{"classic", "classic-hard", "frenzy"}, c.Mode, "an active ranked mode")
	require.NotEmpty(t, c.Description)
	require.Equal(t, c.Rules, c.Overrides.Apply(modeNamed(t, c.Mode)), "the rules are the mode's with the overrides")
}

func TestGenerate_deterministic(t *testing.T) {
	t.Parallel()
	a := generate(t, day, secret, catalogue())
	shuffled := catalogue()
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	b := generate(t, day.Add(8*time.Hour), secret, shuffled)
	require.Equal(t, a, b, "same day and secret: same challenge, whatever the time of day and catalogue order")
	local := day.In(time.FixedZone("UTC+1", 3600))
	require.Equal(t, a, generate(t, local, secret, catalogue()), "the UTC day counts")
}

func TestGenerate_secretChangesTheRules(t *testing.T) {
	t.Parallel()
	base := generate(t, day, secret, catalogue())
	for _, other := range []string{"another-secret-of-32-characters!", "a-server-secret-of-32-characters?", ""} {
		c := generate(t, day, []byte(other), catalogue())
		require.NotEqual(t, base.Rules, c.Rules, "secret %q", other)
	}
}

func TestGenerate_daysDiffer(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for i := range 30 {
		c := generate(t, day.AddDate(0, 0, i), secret, catalogue())
		key := fmt.Sprintf("%+v", c.Rules)
		require.NotContains(t, seen, key, "%s has the rules of %s", c.ID, seen[key])
		seen[key] = c.ID
	}
}

func TestGenerate_rulesAlwaysValidAndWithinBounds(t *testing.T) {
	t.Parallel()
	modes := catalogue()
	picked := map[string]int{}
	for i := range 2000 {
		key := fmt.Appendf(nil, "secret-%d", i%7)
		c := generate(t, day.AddDate(0, 0, i), key, modes)
		picked[c.Mode]++
		require.NoError(t, c.Rules.Check(), c.ID)
		m := modeNamed(t, c.Mode)
		within(t, c.Rules.Duration, m.Duration, daily.DurationSpread, time.Second)
		within(t, c.Rules.SpawnInterval, m.SpawnInterval, daily.PaceSpread, 10*time.Millisecond)
		within(t, c.Rules.Visible, m.Visible, daily.PaceSpread, 10*time.Millisecond)
		require.LessOrEqual(t, c.Rules.GoldenChance, m.GoldenChance*(1+daily.ChanceSpread))
		require.LessOrEqual(t, c.Rules.BombChance, m.BombChance*(1+daily.ChanceSpread))
		require.LessOrEqual(t, c.Rules.GoldenChance+c.Rules.BombChance, daily.MaxChances)
		require.Equal(t, m.Rows, c.Rules.Rows)
		require.Equal(t, m.MaxMolesUp, c.Rules.MaxMolesUp)
	}
	require.Len(t, picked, 3, "every ranked active mode gets days: %v", picked)
}

func TestGenerate_extremeModesStayValid(t *testing.T) {
	t.Parallel()
	tiny := catalogue()[1]
	tiny.Name, tiny.Duration, tiny.SpawnInterval, tiny.Visible = "tiny", 2*time.Second, 50*time.Millisecond, time.Millisecond
	huge := catalogue()[0]
	huge.Name, huge.Duration, huge.SpawnInterval, huge.Visible = "huge", time.Hour, time.Hour, time.Hour
	huge.GoldenChance, huge.BombChance = 0.6, 0.4
	for i := range 200 {
		for _, m := range []persistence.Mode{tiny, huge} {
			c := generate(t, day.AddDate(0, 0, i), secret, []persistence.Mode{m})
			require.NoError(t, c.Rules.Check(), "%s %s", m.Name, c.ID)
		}
	}
}

func TestGenerate_noRankedMode(t *testing.T) {
	t.Parallel()
	_, err := daily.Generate(day, secret, catalogue()[3:])
	require.ErrorIs(t, err, daily.ErrNoRankedMode)
	_, err = daily.Generate(day, secret, nil)
	require.ErrorIs(t, err, daily.ErrNoRankedMode)
}

// within checks got is base scaled by at most ±spread, give or take a
// rounding step.
func within(t *testing.T, got, base time.Duration, spread float64, step time.Duration) {
	t.Helper()
	lo := time.Duration(float64(base)*(1-spread)) - step
	hi := time.Duration(float64(base)*(1+spread)) + step
	require.True(t, got >= lo && got <= hi, "%s not within ±%g of %s", got, spread, base)
}

func modeNamed(t *testing.T, name string) persistence.Mode {
	t.Helper()
	for _, m := range catalogue() {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("no mode %s", name)
	return persistence.Mode{}
}
