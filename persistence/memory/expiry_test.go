package memory

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/testclock"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/contracttest"
)

// start is the test clocks' origin.
var start = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// TestEngine_ExpiriesFollowTheClock: every entry lives exactly its lifetime
// on the injected clock, which Redis proves with PTTLs on its own.
func TestEngine_ExpiriesFollowTheClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		write func(t *testing.T, e *Engine)
		life  time.Duration
		live  func(t *testing.T, e *Engine) bool
	}{
		{name: "wallet challenge", life: 5 * time.Minute,
			write: func(t *testing.T, e *Engine) {
				require.NoError(t, e.PutChallenge(t.Context(), persistence.ChainStellar, "G1", contracttest.ChallengeAt("n")))
			},
			live: func(t *testing.T, e *Engine) bool {
				_, err := e.TakeChallenge(t.Context(), persistence.ChainStellar, "G1")
				return err == nil
			}},
		{name: "denied token", life: time.Hour,
			write: func(t *testing.T, e *Engine) { require.NoError(t, e.Deny(t.Context(), "jti", start.Add(time.Hour))) },
			live:  func(t *testing.T, e *Engine) bool { return verdict(t, e, "jti", "", "").Denied }},
		{name: "watermark", life: 15 * time.Minute,
			write: func(t *testing.T, e *Engine) {
				require.NoError(t, e.SetNotBefore(t.Context(), "p", start, 15*time.Minute))
			},
			live: func(t *testing.T, e *Engine) bool { return !verdict(t, e, "", "p", "").NotBefore.IsZero() }},
		{name: "family", life: 15 * time.Minute,
			write: func(t *testing.T, e *Engine) { require.NoError(t, e.RevokeFamily(t.Context(), "f", 15*time.Minute)) },
			live:  func(t *testing.T, e *Engine) bool { return verdict(t, e, "", "", "f").FamilyRevoked }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, age := range []time.Duration{tt.life - time.Millisecond, tt.life} {
				clock := testclock.New(start)
				e := newEngine(t, clock.Now)
				tt.write(t, e)
				clock.Advance(age)
				require.Equal(t, age < tt.life, tt.live(t, e), "after %s", age)
			}
		})
	}
}

func verdict(t *testing.T, e *Engine, jti, player, family string) persistence.RevocationVerdict {
	t.Helper()
	v, err := e.Revoked(t.Context(), persistence.RevocationQuery{TokenID: jti, PlayerID: player, FamilyID: family})
	require.NoError(t, err)
	return v
}

// TestLockout_WindowIsFixedFromFirstFailure: later failures do not extend
// the window, its end forgets them, and a lock ends after its duration.
func TestLockout_WindowIsFixedFromFirstFailure(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	l, err := NewLockout(newEngine(t, clock.Now), 3, 10*time.Minute, 15*time.Minute)
	require.NoError(t, err)
	ctx := t.Context()
	fail := func() time.Duration {
		locked, err := l.Fail(ctx, "dave")
		require.NoError(t, err)
		return locked
	}
	require.Zero(t, fail())
	clock.Advance(9 * time.Minute)
	require.Zero(t, fail())
	clock.Advance(time.Minute) // ten minutes after the first failure
	require.Zero(t, fail(), "the window ended: counting starts again")
	require.Zero(t, fail())
	require.Equal(t, 15*time.Minute, fail())
	clock.Advance(15*time.Minute - time.Millisecond)
	left, err := l.Locked(ctx, "dave")
	require.NoError(t, err)
	require.Equal(t, time.Millisecond, left)
	clock.Advance(time.Millisecond)
	left, err = l.Locked(ctx, "dave")
	require.NoError(t, err)
	require.Zero(t, left, "the lock is over")
}

// TestEngine_RestoreRaisesWatermarks: a restore never lowers a watermark a
// logout raised meanwhile.
func TestEngine_RestoreRaisesWatermarks(t *testing.T) {
	t.Parallel()
	clock := testclock.New(start)
	e := newEngine(t, clock.Now)
	require.NoError(t, e.SetNotBefore(t.Context(), "p", start, 15*time.Minute))
	require.NoError(t, e.Restore(t.Context(), persistence.RevocationState{
		Watermarks: []persistence.Watermark{{PlayerID: "p", At: start.Add(-time.Minute)}}}, 15*time.Minute))
	require.Equal(t, start, verdict(t, e, "", "p", "").NotBefore)
}
