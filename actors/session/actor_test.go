package session

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck"),
		goleak.IgnoreAnyFunction("github.com/asynkron/protoactor-go/actor.(*ActorSystem).Shutdown"),
		goleak.IgnoreTopFunction("github.com/lithammer/shortuuid/v4.init"))
}

// startSolo creates a classic solo game and runs its countdown.
func startSolo(t *testing.T, h *harness, p *probe) string {
	t.Helper()
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "classic", MaxPlayers: 1})
	ack := decode[events.SessionAck](t, p.next(events.TypeAck))
	require.Equal(t, events.SessionAck{SessionID: id, Mode: "classic", Board: events.Board{Rows: 3, Cols: 3},
		DurationMs: 30000, Players: []string{p.ref.PlayerId}, SeedCommitment: game.Commitment(id, h.seed)}, ack)
	waiting := decode[events.StateChange](t, p.next(events.TypeStateChange))
	require.Equal(t, events.StateWaiting, waiting.State)
	require.EqualValues(t, 3000, waiting.StartsInMs)
	h.tick(id, 3*time.Second)
	require.Equal(t, events.StateStarted, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
	return id
}

// humanReaction is the reaction of a test player to mole i+1: 200 to
// 600 ms, spread as a person's are.
func humanReaction(i int64) time.Duration { return time.Duration(200+i%5*100) * time.Millisecond }

// whack sends a whack stamped at the current clock.
func (p *probe) whack(id string, requestID int64, hole int, moleID int64) {
	p.h.send(id, &protos.WhackMole{From: p.ref, RequestId: requestID, Hole: int32(hole), MoleId: moleID,
		ReceivedAtUnixMicro: p.h.clock.Now().UnixMicro()})
}

func TestSession_SoloGameIsCommittedBeforeGameOver(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-solo-0001")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	plan := game.Schedule(h.seed, classicRules(t, h))

	for i := int64(0); i < 30; i++ {
		mole := decode[events.Mole](t, p.next(events.TypeMole))
		require.Equal(t, plan[i].Hole, mole.Hole, "mole %d is the schedule's", i+1)
		require.Equal(t, "normal", mole.Kind)
		require.EqualValues(t, 800, mole.UpMs)
		// A human's spread of reactions: a fixed one with perfect aim is a
		// bot's, which the consistency detector holds for review.
		h.clock.Advance(humanReaction(i))
		p.whack(id, 100+i, mole.Hole, mole.MoleID)
		hit := p.next(events.TypeHit)
		require.Equal(t, 100+i, hit.RequestId)
		require.EqualValues(t, i+1, decode[events.Hit](t, hit).Score)
		h.tick(id, time.Second-humanReaction(i))
	}
	for _, payload := range p.seen {
		require.NotContains(t, payload, h.seed.Hex(), "the seed leaks before game:over")
	}
	over := decode[events.Over](t, p.next(events.TypeOver))
	require.Equal(t, events.Over{GameID: id, Results: []events.Result{{PlayerID: pl.ID, Score: 30, Hits: 30}},
		Seed: h.seed.Hex()}, over)

	// game:over is only sent once the result is durable.
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
	require.Len(t, stored.Results, 1)
	require.EqualValues(t, 30, stored.Results[0].Score)
	// The replay was stored in the same commit: every whack, as judged.
	packed, err := h.store.SessionReplay(context.Background(), id)
	require.NoError(t, err)
	replay, err := game.UnpackReplay(packed)
	require.NoError(t, err)
	require.Equal(t, h.seed, replay.Seed)
	require.Equal(t, []string{pl.ID}, replay.Players)
	require.Len(t, replay.Inputs, 30)
	for i, in := range replay.Inputs {
		require.Equal(t, game.Input{Player: 0, At: time.Duration(i)*time.Second + humanReaction(int64(i)), Hole: plan[i].Hole,
			MoleID: plan[i].ID, Allowance: 40 * time.Millisecond, Judgement: game.JudgementHit, Mole: plan[i].ID}, in, "whack %d", i)
	}
	require.EqualValues(t, 30, replay.Results[0].Score)
	var daily []persistence.Standing
	require.NoError(t, h.store.EachStanding(context.Background(), persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-24"}, func(s persistence.Standing) error {
		daily = append(daily, s)
		return nil
	}))
	require.Len(t, daily, 1)
	require.EqualValues(t, 30, daily[0].Score)
	// The replay hash went with it, for the period's v2 leaf.
	require.Equal(t, id, daily[0].SessionID)
	require.Equal(t, replay.Hash(), hex.EncodeToString(daily[0].ReplayHash))
	require.Nil(t, daily[0].UnhashedReplay)
	require.Eventually(t, func() bool { return len(h.rec.appliedTo("classic/weekly/2026-W48")) == 1 }, 5*time.Second, 5*time.Millisecond)

	p.whack(id, 999, 0, 1)
	late := p.next(events.TypeError)
	require.EqualValues(t, 999, late.RequestId)
	require.Equal(t, events.CodeGameOver, decode[events.Error](t, late).Code)
}

func TestSession_RejectsBadCommands(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-bad-0001")
	p := h.newProbe(pl.ID, pl.Username)
	stranger := h.newProbe(uuid.NewString(), "stranger")
	id := startSolo(t, h, p)
	mole := decode[events.Mole](t, p.next(events.TypeMole))

	tests := []struct {
		name string
		from *probe
		hole int
		code string
	}{
		{"not a member", stranger, mole.Hole, events.CodeNotInSession},
		{"hole off the board", p, 99, events.CodeBadRequest},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.from.whack(id, int64(i+1), tt.hole, mole.MoleID)
			ev := tt.from.next(events.TypeError)
			require.EqualValues(t, i+1, ev.RequestId)
			require.Equal(t, tt.code, decode[events.Error](t, ev).Code)
		})
	}
	h.send(id, &protos.JoinSession{From: stranger.ref, RequestId: 7})
	require.Equal(t, events.CodeAlreadyStarted, decode[events.Error](t, stranger.next(events.TypeError)).Code)

	h.send(uuid.NewString(), &protos.JoinSession{From: stranger.ref, RequestId: 8})
	require.Equal(t, events.CodeSessionNotFound, decode[events.Error](t, stranger.next(events.TypeError)).Code)

	h.send(uuid.NewString(), &protos.CreateSession{From: p.ref, RequestId: 9, Mode: "no-such-mode", MaxPlayers: 1})
	require.Equal(t, events.CodeUnknownMode, decode[events.Error](t, p.next(events.TypeError)).Code)
}

func TestSession_MatchOnSharedBoard(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.createPlayer("device-alice-01"), h.createPlayer("device-bob-0001")
	pa, pb := h.newProbe(alice.ID, alice.Username), h.newProbe(bob.ID, bob.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: pa.ref, RequestId: 1, Mode: "classic", MaxPlayers: 2})
	created := decode[events.CreateAck](t, pa.next(events.TypeAck))
	require.Equal(t, id, created.SessionID)
	require.Len(t, created.Code, CodeLength)
	code, err := h.store.SessionIDByCode(context.Background(), created.Code)
	require.NoError(t, err)
	require.Equal(t, id, code)

	h.send(id, &protos.JoinSession{From: pb.ref, RequestId: 2})
	require.Equal(t, created.Code, decode[events.SessionAck](t, pb.next(events.TypeAck)).Code)
	// Full: the countdown starts for both.
	for _, p := range []*probe{pa, pb} {
		require.EqualValues(t, 3000, countdownOf(t, p))
	}
	h.tick(id, 3*time.Second)
	mole := decode[events.Mole](t, pa.next(events.TypeMole))
	require.Equal(t, mole, decode[events.Mole](t, pb.next(events.TypeMole)))

	h.clock.Advance(200 * time.Millisecond)
	pa.whack(id, 10, mole.Hole, mole.MoleID)
	h.clock.Advance(10 * time.Millisecond)
	pb.whack(id, 20, mole.Hole, mole.MoleID)

	aliceHit := pa.next(events.TypeHit)
	require.EqualValues(t, 10, aliceHit.RequestId)
	bobSeesHit := pb.next(events.TypeHit)
	require.Zero(t, bobSeesHit.RequestId)
	require.Equal(t, alice.ID, decode[events.Hit](t, bobSeesHit).PlayerID)
	taken := pb.next(events.TypeMiss)
	require.EqualValues(t, 20, taken.RequestId)
	require.Equal(t, "taken", decode[events.Miss](t, taken).Reason)

	h.tick(id, 30*time.Second)
	over := decode[events.Over](t, pb.next(events.TypeOver))
	require.ElementsMatch(t, []events.Result{{PlayerID: alice.ID, Score: 1, Hits: 1}, {PlayerID: bob.ID}}, over.Results)
	require.Equal(t, over, decode[events.Over](t, pa.next(events.TypeOver)))
}

// countdownOf returns the countdown announced to p, skipping lobby updates.
func countdownOf(t *testing.T, p *probe) int64 {
	t.Helper()
	for {
		sc := decode[events.StateChange](t, p.next(events.TypeStateChange))
		if sc.StartsInMs > 0 {
			return sc.StartsInMs
		}
	}
}

func TestSession_FlaggedGameReachesNoLeaderboard(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-bot-00001")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	mole := decode[events.Mole](t, p.next(events.TypeMole))
	h.clock.Advance(50 * time.Millisecond) // 50 ms minus 40 ms RTT: no human reacts in 10 ms
	p.whack(id, 5, mole.Hole, mole.MoleID)
	require.Equal(t, "too_fast", decode[events.Miss](t, p.next(events.TypeMiss)).Reason)

	h.tick(id, 31*time.Second)
	over := decode[events.Over](t, p.next(events.TypeOver))
	require.True(t, over.Flagged)
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.True(t, stored.Flagged)
	found := false
	require.NoError(t, h.store.EachStanding(context.Background(), persistence.BoardKey{Mode: "classic", Board: "global", Period: "all"}, func(persistence.Standing) error {
		found = true
		return nil
	}))
	require.False(t, found, "a flagged game must not reach a leaderboard")
}

func TestSession_StaleActivationIsFenced(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-fence-001")
	p := h.newProbe(pl.ID, pl.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: p.ref, RequestId: 1, Mode: "classic", MaxPlayers: 1})
	p.next(events.TypeAck)
	oldPID, err := h.dir.PID(context.Background(), "session", id)
	require.NoError(t, err)

	// Another activation claims the session (as after a cluster move).
	newer, err := h.store.ClaimSession(context.Background(), id)
	require.NoError(t, err)
	require.EqualValues(t, 2, newer.Epoch)

	// The old activation's first snapshot is refused and it stops itself.
	h.clock.Advance(3 * time.Second)
	h.system.Root.Send(oldPID, &tick{})
	require.Eventually(t, func() bool {
		_, alive := h.system.ProcessRegistry.GetLocal(oldPID.Id)
		return !alive
	}, 5*time.Second, 5*time.Millisecond)
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.EqualValues(t, 2, stored.Epoch)
	require.Empty(t, stored.Snapshot, "the stale activation's snapshot must not be written")
}

func TestSession_ResumesFromSnapshotAfterLosingItsActivation(t *testing.T) {
	h := newHarness(t)
	pl := h.createPlayer("device-resume-01")
	p := h.newProbe(pl.ID, pl.Username)
	id := startSolo(t, h, p)
	for i := int64(1); i <= 2; i++ {
		mole := decode[events.Mole](t, p.next(events.TypeMole))
		h.clock.Advance(200 * time.Millisecond)
		p.whack(id, i, mole.Hole, mole.MoleID)
		require.EqualValues(t, i, decode[events.Hit](t, p.next(events.TypeHit)).Score)
		h.tick(id, 800*time.Millisecond) // a snapshot is due every second
	}
	// Ticks without moving the clock let the next due snapshot happen once the
	// previous write is done.
	require.Eventually(t, func() bool {
		h.tick(id, 0)
		return snapshotScore(t, h, id, pl.ID) == 2
	}, 5*time.Second, 5*time.Millisecond)

	third := decode[events.Mole](t, p.next(events.TypeMole))

	// The activation is lost (node crash, grain moved); the player resumes.
	h.clock.Advance(300 * time.Millisecond)
	old, err := h.dir.PID(context.Background(), "session", id)
	require.NoError(t, err)
	require.NoError(t, h.system.Root.StopFuture(old).Wait())
	h.send(id, &protos.JoinSession{From: p.ref, RequestId: 50})
	resumed := p.next(events.TypeAck)
	require.EqualValues(t, 50, resumed.RequestId)
	require.Equal(t, events.StateStarted, decode[events.StateChange](t, p.next(events.TypeStateChange)).State)
	stillUp := decode[events.Mole](t, p.next(events.TypeMole))
	require.Equal(t, third.MoleID, stillUp.MoleID, "a resuming player is shown the moles still up")
	require.EqualValues(t, 800, stillUp.UpMs, "the 300 ms outage is a pause: the mole keeps the time it had left")

	h.tick(id, 30*time.Second)
	over := decode[events.Over](t, p.next(events.TypeOver))
	require.EqualValues(t, 2, over.Results[0].Score, "hits before the loss are kept")
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateFinished, stored.State)
	require.EqualValues(t, 2, stored.Epoch, "the resumed activation owns the session")
}

// snapshotScore reads the player's score from the stored snapshot.
func snapshotScore(t *testing.T, h *harness, sessionID, playerID string) int64 {
	t.Helper()
	s, err := h.store.Session(context.Background(), sessionID)
	require.NoError(t, err)
	if len(s.Snapshot) == 0 {
		return -1
	}
	mode, err := h.store.Mode(context.Background(), s.Mode)
	require.NoError(t, err)
	g, err := game.Restore(rulesMode(mode), game.Limits{LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15}, s.Snapshot)
	require.NoError(t, err)
	score, _ := g.Score(playerID)
	return score.Score
}

func TestSession_CreatorBeginsAMatchEarly(t *testing.T) {
	h := newHarness(t)
	alice, bob := h.createPlayer("device-begin-a1"), h.createPlayer("device-begin-b1")
	pa, pb := h.newProbe(alice.ID, alice.Username), h.newProbe(bob.ID, bob.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: pa.ref, RequestId: 1, Mode: "classic", MaxPlayers: 4})
	pa.next(events.TypeAck)
	h.send(id, &protos.JoinSession{From: pb.ref, RequestId: 2})
	pb.next(events.TypeAck)

	h.send(id, &protos.BeginSession{From: pb.ref, RequestId: 3})
	require.Equal(t, events.CodeNotCreator, decode[events.Error](t, pb.next(events.TypeError)).Code)

	h.send(id, &protos.BeginSession{From: pa.ref, RequestId: 4})
	require.EqualValues(t, 4, pa.next(events.TypeAck).RequestId)
	require.EqualValues(t, 3000, countdownOf(t, pb), "two of four players, started by the creator")

	h.send(id, &protos.BeginSession{From: pa.ref, RequestId: 5})
	require.Equal(t, events.CodeAlreadyStarted, decode[events.Error](t, pa.next(events.TypeError)).Code)
}

func TestSession_UnstartedMatchIsAbortedAndRecordsNothing(t *testing.T) {
	h := newHarness(t)
	alice := h.createPlayer("device-abort-a1")
	pa := h.newProbe(alice.ID, alice.Username)
	id := uuid.NewString()
	h.send(id, &protos.CreateSession{From: pa.ref, RequestId: 1, Mode: "classic", MaxPlayers: 2})
	code := decode[events.CreateAck](t, pa.next(events.TypeAck)).Code

	h.send(id, &waitingExpired{}) // the waiting timeout fires
	for {
		sc := decode[events.StateChange](t, pa.next(events.TypeStateChange))
		if sc.State == events.StateEnded {
			require.NotEmpty(t, sc.Reason)
			break
		}
	}
	stored, err := h.store.Session(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, persistence.StateAborted, stored.State)
	require.Equal(t, persistence.AbortLobbyExpired, stored.EndReason)
	stats, err := h.store.Stats(context.Background(), alice.ID)
	require.NoError(t, err)
	require.Zero(t, stats.GamesPlayed, "an aborted match counts for nobody")
	_, err = h.store.SessionIDByCode(context.Background(), code)
	require.ErrorIs(t, err, persistence.ErrNotFound, "an aborted match can no longer be joined")
}

// classicRules reads the classic mode as the game plays it.
func classicRules(t *testing.T, h *harness) game.Mode {
	t.Helper()
	mode, err := h.store.Mode(context.Background(), "classic")
	require.NoError(t, err)
	return rulesMode(mode)
}
