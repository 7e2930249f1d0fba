package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// banInPostgres bans the player in the database only, the way the admin route does:
// no cache, token or socket is involved.
func (h *harness) banInPostgres(playerID string) {
	h.t.Helper()
	yes := true
	_, err := h.store.AdminUpdate(context.Background(), persistence.SystemActor("test"), playerID, persistence.AdminUpdate{Banned: &yes}, h.clock.Now())
	require.NoError(h.t, err)
}

func TestSession_BannedPlayerCanNeitherCreateNorJoin(t *testing.T) {
	tests := []struct {
		name string
		// try sends the banned player's command and returns the session
		// that must not have been created or joined.
		try func(h *harness, banned *probe, creator *probe) string
		// wantPlayers is how many players the session holds after (0: it
		// must not exist).
		wantPlayers int
	}{
		{name: "start a solo game", try: func(h *harness, banned, _ *probe) string {
			id := uuid.NewString()
			h.send(id, &protos.CreateSession{From: banned.ref, RequestId: 1, Mode: "classic", MaxPlayers: 1})
			return id
		}},
		{name: "create a match", try: func(h *harness, banned, _ *probe) string {
			id := uuid.NewString()
			h.send(id, &protos.CreateSession{From: banned.ref, RequestId: 1, Mode: "classic", MaxPlayers: 4})
			return id
		}},
		{name: "join a match", wantPlayers: 1, try: func(h *harness, banned, creator *probe) string {
			id := uuid.NewString()
			h.send(id, &protos.CreateSession{From: creator.ref, RequestId: 9, Mode: "classic", MaxPlayers: 4})
			creator.next(events.TypeAck)
			h.send(id, &protos.JoinSession{From: banned.ref, RequestId: 1})
			return id
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			bad, good := h.createPlayer("device-ban-b-"+tc.name), h.createPlayer("device-ban-g-"+tc.name)
			pb, pg := h.newProbe(bad.ID, bad.Username), h.newProbe(bad.ID, bad.Username)
			pg.ref.PlayerId, pg.ref.Username = good.ID, good.Username
			h.banInPostgres(bad.ID)

			id := tc.try(h, pb, pg)
			refused := pb.next(events.TypeAck + "|" + events.TypeError)
			require.Equal(t, events.TypeError, refused.Type)
			require.EqualValues(t, 1, refused.RequestId)
			require.Equal(t, events.CodeAccountBanned, decode[events.Error](t, refused).Code)
			require.True(t, refused.Detach)

			stored, err := h.store.Session(context.Background(), id)
			if tc.wantPlayers == 0 {
				require.ErrorIs(t, err, persistence.ErrNotFound, "no session row for a banned player")
				return
			}
			require.NoError(t, err)
			require.Equal(t, []string{good.ID}, stored.PlayerIDs)
		})
	}
}

func TestSession_GameRunningWhenTheBanLandsIsVoided(t *testing.T) {
	tests := []struct {
		name    string
		players int
		// lostReply: the commit's reply was lost and the retry answers
		// AlreadyCommitted, which says nothing of what was voided.
		lostReply bool
	}{
		{name: "solo", players: 1},
		{name: "match: the rest keep their results", players: 2},
		{name: "solo, reply lost", players: 1, lostReply: true},
		{name: "match, reply lost", players: 2, lostReply: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(d *Deps) {
				if tc.lostReply {
					d.Results = lostReplyWriter{d.Results}
				}
			})
			probes, ids := make([]*probe, tc.players), make([]string, tc.players)
			for i := range probes {
				pl := h.createPlayer("device-banrun-" + string(rune('a'+i)) + tc.name)
				probes[i], ids[i] = h.newProbe(pl.ID, pl.Username), pl.ID
			}
			id := startGameOf(t, h, probes)
			for i, whacker := range probes { // everyone scores one mole, in turn
				var mole events.Mole
				for _, p := range probes {
					mole = decode[events.Mole](t, p.next(events.TypeMole))
				}
				h.clock.Advance(200 * time.Millisecond)
				whacker.whack(id, int64(i+1), mole.Hole, mole.MoleID)
				for _, p := range probes {
					require.EqualValues(t, 1, decode[events.Hit](t, p.next(events.TypeHit)).Score)
				}
				h.tick(id, 800*time.Millisecond)
			}
			h.banInPostgres(ids[0]) // lands while the game runs: only PostgreSQL knows
			h.tick(id, 30*time.Second)

			if tc.players == 1 {
				ended := endedOf(t, probes[0])
				require.Equal(t, events.ReasonBanned, ended.Reason)
				// A later activation tells a re-attaching connection the same
				// stored reason.
				stopActivation(t, h, id)
				probes[0].resume(id, 12)
				again := probes[0].next(events.TypeStateChange + "|" + events.TypeError)
				require.EqualValues(t, 12, again.RequestId)
				require.Equal(t, events.StateChange{GameID: id, State: events.StateEnded, Reason: events.ReasonBanned},
					decode[events.StateChange](t, again))
			} else {
				over := decode[events.Over](t, probes[1].next(events.TypeOver))
				require.Equal(t, []events.Result{{PlayerID: ids[1], Score: 1, Hits: 1}}, over.Results,
					"the banned player's result is not announced as stored")
			}
			requireVoided(t, h, id, ids)
		})
	}
}

// lostReplyWriter commits through the real writer but reports a commit as
// AlreadyCommitted, as the retry of a commit whose reply was lost does.
type lostReplyWriter struct{ ResultWriter }

func (w lostReplyWriter) Submit(r persistence.GameResult, done func(persistence.CommitOutcome, error)) error {
	return w.ResultWriter.Submit(r, func(o persistence.CommitOutcome, err error) {
		if o == persistence.Committed || o == persistence.CommittedVoided {
			o = persistence.AlreadyCommitted
		}
		done(o, err)
	})
}

// startGameOf creates a game for the probes (solo, or a match the others
// join, which starts once full) and runs its countdown.
func startGameOf(t *testing.T, h *harness, probes []*probe) string {
	t.Helper()
	if len(probes) == 1 {
		return startSolo(t, h, probes[0])
	}
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: probes[0].ref, RequestId: 1, Mode: "classic", MaxPlayers: int32(len(probes))})
	probes[0].next(events.TypeAck)
	for _, p := range probes[1:] {
		h.send(id, &protos.JoinSession{From: p.ref, RequestId: 1})
		p.next(events.TypeAck)
	}
	for _, p := range probes {
		countdownOf(t, p)
	}
	h.tick(id, 3*time.Second)
	return id
}

// requireVoided checks the stored game: the banned player (ids[0]) is
// voided with no score and on no board, live or stored; the others keep
// their results.
func requireVoided(t *testing.T, h *harness, id string, ids []string) {
	t.Helper()
	ctx := context.Background()
	stored, err := h.store.Session(ctx, id)
	require.NoError(t, err)
	wantState, wantReason := persistence.StateFinished, ""
	if len(ids) == 1 {
		wantState, wantReason = persistence.StateAborted, persistence.AbortBanned
	}
	require.Equal(t, wantState, stored.State)
	require.Equal(t, wantReason, stored.EndReason)
	for _, r := range stored.Results {
		if r.PlayerID == ids[0] {
			require.Equal(t, persistence.AbortBanned, r.Voided)
			require.Zero(t, r.Score)
			continue
		}
		require.Empty(t, r.Voided)
		require.EqualValues(t, 1, r.Score)
	}
	for _, key := range []string{"global/all", "daily/2026-11-24"} {
		var stored []string
		board, period, _ := strings.Cut(key, "/")
		require.NoError(t, h.store.EachStanding(ctx, persistence.BoardKey{Mode: "classic", Board: board, Period: period}, func(s persistence.Standing) error {
			stored = append(stored, s.PlayerID)
			return nil
		}))
		require.ElementsMatch(t, ids[1:], stored, "stored board %s", key)
		if len(ids) > 1 {
			require.Eventually(t, func() bool { return len(h.rec.appliedTo("classic/"+key)) == len(ids)-1 }, 5*time.Second, 5*time.Millisecond)
		}
		for _, e := range h.rec.appliedTo("classic/" + key) {
			require.NotEqual(t, ids[0], e.PlayerID, "live board %s", key)
		}
	}
	st, err := h.store.Stats(ctx, ids[0])
	require.NoError(t, err)
	require.Zero(t, st, "no stats for the banned player")
}
