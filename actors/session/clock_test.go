package session

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// TestSession_ClockWakesItself runs a 400 ms mode on the real clock (2×2: a
// hole rests game.HoleRest after its mole, so each mole needs its own) with the
// session's own timer: moles appear and the game ends with no tick sent by
// the test.
func TestSession_ClockWakesItself(t *testing.T) {
	h := newHarness(t, func(d *Deps) {
		d.Now = time.Now
		d.Config.TickInterval = time.Millisecond
	})
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	require.NoError(t, err)
	_, err = conn.Exec(context.Background(), `INSERT INTO game_modes (name, rows, cols, duration_ms,
		spawn_interval_ms, visible_ms, max_moles_up, hit_points, countdown_ms)
		VALUES ('blitz', 2, 2, 400, 100, 80, 1, 1, 0)`)
	require.NoError(t, err)
	require.NoError(t, conn.Close(context.Background()))

	pl := h.createPlayer("device-clock-001")
	p := h.newProbe(pl.ID, pl.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "blitz", MaxPlayers: 1})
	p.next(events.TypeAck)
	var moles int
	for {
		ev := p.next(events.TypeMole + "|" + events.TypeOver)
		if ev.Type == events.TypeOver {
			break
		}
		moles++
	}
	require.GreaterOrEqual(t, moles, 3, "a mole every 100 ms for 400 ms")
}
