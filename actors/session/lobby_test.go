package session

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// lobbyTimeout is the waiting timeout of the lobby tests.
const lobbyTimeout = 10 * time.Minute

func withWaitingTimeout(d *Deps) { d.Config.WaitingTimeout = lobbyTimeout }

// storeLobby stores a match lobby created age ago by creator, as a node that
// then died would have left it: waiting, no activation anywhere.
func (h *harness) storeLobby(creator string, age time.Duration) persistence.Session {
	h.t.Helper()
	s := persistence.Session{
		ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, JoinCode: RandomCode(), MaxPlayers: 4,
		CreatorID: creator, PlayerIDs: []string{creator}, State: persistence.StateWaiting, GameSeed: h.seed[:],
		CreatedAt: h.clock.Now().Add(-age),
	}
	require.NoError(h.t, h.store.CreateSession(context.Background(), s))
	return s
}

// requireLobbyClosed checks that the lobby is aborted as expired in the
// database and no longer found by its code.
func (h *harness) requireLobbyClosed(t *testing.T, lobby persistence.Session) {
	t.Helper()
	require.Eventually(t, func() bool {
		stored, err := h.store.Session(context.Background(), lobby.ID)
		require.NoError(t, err)
		return stored.State == persistence.StateAborted
	}, 5*time.Second, 5*time.Millisecond)
	stored, err := h.store.Session(context.Background(), lobby.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.AbortLobbyExpired, stored.EndReason)
	_, err = h.store.SessionIDByCode(context.Background(), lobby.JoinCode)
	require.ErrorIs(t, err, persistence.ErrNotFound, "an expired lobby can no longer be found by its code")
}

func TestSession_OrphanedLobbyExpiresFromItsCreation(t *testing.T) {
	tests := []struct {
		name string
		age  time.Duration // of the lobby when its grain is activated again
		// later moves the clock after a first, successful join (0: none).
		later time.Duration
	}{
		{name: "re-activated after its deadline", age: 13*time.Minute + 42*time.Second},
		{name: "re-activated before its deadline keeps it", age: 9 * time.Minute, later: time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, withWaitingTimeout)
			creator, late := h.createPlayer("device-lobby-c-"+tc.name), h.createPlayer("device-lobby-j-"+tc.name)
			pl := h.newProbe(late.ID, late.Username)
			lobby := h.storeLobby(creator.ID, tc.age)

			if tc.later > 0 {
				early := h.createPlayer("device-lobby-e-" + tc.name)
				pe := h.newProbe(early.ID, early.Username)
				h.send(lobby.ID, &protos.JoinSession{From: pe.ref, RequestId: 1})
				require.EqualValues(t, 1, pe.next(events.TypeAck).RequestId, "the lobby is still open")
				h.clock.Advance(tc.later) // now past creation + GAME_WAITING_TIMEOUT
			}
			h.send(lobby.ID, &protos.JoinSession{From: pl.ref, RequestId: 2})
			refused := pl.next(events.TypeAck + "|" + events.TypeError)
			require.Equal(t, events.TypeError, refused.Type, "a lobby past its deadline accepts no join")
			require.Equal(t, events.CodeSessionNotFound, decode[events.Error](t, refused).Code)
			h.requireLobbyClosed(t, lobby)
		})
	}
}

func TestSession_LiveLobbyExpiresAtItsDeadline(t *testing.T) {
	tests := []struct {
		name   string
		expire func(h *harness, id string, late *probe)
	}{
		{name: "the timer fires", expire: func(h *harness, id string, _ *probe) { h.send(id, &waitingExpired{}) }},
		{name: "a join arrives first", expire: func(h *harness, id string, late *probe) {
			h.send(id, &protos.JoinSession{From: late.ref, RequestId: 3})
			require.Equal(h.t, events.CodeSessionNotFound, decode[events.Error](h.t, late.next(events.TypeError)).Code)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, withWaitingTimeout)
			alice, bob := h.createPlayer("device-live-a-"+tc.name), h.createPlayer("device-live-b-"+tc.name)
			pa, pb := h.newProbe(alice.ID, alice.Username), h.newProbe(bob.ID, bob.Username)
			id := uuid.NewString()
			h.send(id, &protos.CreateSession{From: pa.ref, RequestId: 1, Mode: "classic", MaxPlayers: 4})
			code := decode[events.CreateAck](t, pa.next(events.TypeAck)).Code

			h.clock.Advance(lobbyTimeout - time.Second)
			h.send(id, &waitingExpired{}) // a timer firing early changes nothing
			h.send(id, &protos.JoinSession{From: pb.ref, RequestId: 2})
			require.EqualValues(t, 2, pb.next(events.TypeAck).RequestId)

			h.clock.Advance(time.Second)
			late := h.newProbe(uuid.NewString(), "late")
			tc.expire(h, id, late)
			for _, p := range []*probe{pa, pb} {
				ended := endedOf(t, p)
				require.Equal(t, events.ReasonAborted, ended.Reason)
			}
			h.requireLobbyClosed(t, persistence.Session{ID: id, JoinCode: code})
			stored, err := h.store.Session(context.Background(), id)
			require.NoError(t, err)
			require.Len(t, stored.Results, 2)
			for _, r := range stored.Results {
				require.Equal(t, persistence.AbortLobbyExpired, r.Voided)
			}
		})
	}
}

// endedOf returns the ended state change p receives, skipping others.
func endedOf(t *testing.T, p *probe) events.StateChange {
	t.Helper()
	for {
		sc := decode[events.StateChange](t, p.next(events.TypeStateChange))
		if sc.State == events.StateEnded {
			return sc
		}
	}
}
