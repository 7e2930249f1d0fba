package session

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/detector"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// committed reports the batching writer's verdict on this game's result.
type committed struct {
	outcome persistence.CommitOutcome
	err     error
}

// retryCommit re-submits a result the writer's full queue rejected.
type retryCommit struct{}

// maxCommitBackoff caps the wait between submissions to a full writer queue.
const maxCommitBackoff = 2 * time.Second

// recentPlayRead carries the players' recent games (or why they could not
// be read) back into the mailbox when a game ends.
type recentPlayRead struct {
	games map[string][]persistence.RecentPlay
	err   error
}

// finish ends a game that ran its course: the players' recent games are
// read off the mailbox for the consistency detector, and the result is
// judged and committed when they arrive (onRecentPlay). The game is over
// for the players from here: the session is finishing.
func (a *Actor) finish(ctx actor.Context, now time.Time) {
	a.stopTicks()
	res := a.game.Result()
	r := a.buildResult(res.Players, res.Flagged, now)
	r.State = persistence.StateFinished
	a.result, a.endedAt = &r, r.EndedAt
	a.become(ctx, phaseFinishing)
	store, window, ids := a.deps.Store, a.thresholds().Window, a.game.Players()
	a.io(ctx, func(io context.Context) any {
		games, err := store.RecentPlay(io, ids, window-1)
		return &recentPlayRead{games: games, err: err}
	})
}

// onRecentPlay judges the finished result with the players' recent games
// and commits it. Without them (the read failed) each game is judged
// alone: the result is never held back for want of history.
func (a *Actor) onRecentPlay(ctx actor.Context, m *recentPlayRead) {
	if a.result == nil || a.result.Outbox != nil {
		return // nothing to judge, or judged already
	}
	if m.err != nil {
		recentPlayUnread.Inc()
		a.deps.Logger.Warn("recent play of the players: judging the game alone", slog.String("session", a.id), slog.Any("error", m.err))
	}
	r := *a.result
	a.holdSuspicious(&r, m.games)
	// Every scoring player's candidates go to the store, the flagged ones'
	// included: it holds those with their flag, to restore if cleared.
	r.Standings = a.standingRecords(r.Players, r.EndedAt)
	r.Replay, r.ReplayHash = a.replay(r)
	a.prepareCommit(&r)
	a.submit(ctx)
}

// replay is the packed replay a finished ranked game or challenge attempt
// stores with its result (docs/FAIRNESS.md) and its replay hash, which the
// leaves of the boards it stands on commit to (chain/merkle v2; a
// challenge's board is frozen and committed on chain like any other); nil
// for an unranked game or a legacy one (no 32-byte seed, nothing to
// verify).
func (a *Actor) replay(r persistence.GameResult) (packed, hash []byte) {
	if (!r.Ranked && r.ChallengeID == "") || a.game.Seed().IsZero() {
		return nil, nil
	}
	packed, sum := game.PackReplayHashed(a.game.Replay(a.id))
	return packed, sum[:]
}

// abort ends a game without a result (a match nobody started in time, a
// game unavailable for longer than the resume window): the session row
// records the abort and its reason (a persistence.Abort* reason), every
// player is recorded as voided with no score, and nothing reaches
// leaderboards, player stats, badges or the outbox.
func (a *Actor) abort(ctx actor.Context, now time.Time, reason string) {
	a.stopTicks()
	r := a.buildResult(a.game.Result().Players, false, now)
	for i := range r.Players {
		r.Players[i] = persistence.PlayerResult{PlayerID: r.Players[i].PlayerID, Username: r.Players[i].Username}
	}
	r.State, r.Reason = persistence.StateAborted, reason
	a.commit(ctx, r)
}

// commit moves the session to finishing and submits r (an abort's).
func (a *Actor) commit(ctx actor.Context, r persistence.GameResult) {
	a.prepareCommit(&r)
	// The game is over for the players from here; what arrived while the
	// session was loading replays in finishing (become).
	a.become(ctx, phaseFinishing)
	a.submit(ctx)
}

// prepareCommit completes r with the game's final snapshot and, for a
// finished game, its game.finished outbox row, and makes it the result
// submit sends.
func (a *Actor) prepareCommit(r *persistence.GameResult) {
	data, err := a.game.Snapshot()
	if err == nil {
		r.Snapshot = data
	}
	if r.State == persistence.StateFinished {
		r.Outbox = []persistence.OutboxMessage{{Topic: persistence.TopicGameFinished, Key: a.id, Payload: finishedPayload(a.id, a.mode.Name, *r)}}
	}
	a.result, a.endedAt = r, r.EndedAt
}

func (a *Actor) buildResult(scores []gamePlayerScore, flagged bool, now time.Time) persistence.GameResult {
	r := persistence.GameResult{
		SessionID: a.id, Epoch: a.epoch, StartedAt: a.game.StartedAt(), EndedAt: now, Flagged: flagged,
		Ranked: a.mode.Ranked && a.record.ChallengeID == "", ChallengeID: a.record.ChallengeID,
	}
	for _, p := range scores {
		pr := persistence.PlayerResult{
			PlayerID: p.PlayerID, Username: a.username(p.PlayerID), Score: p.Score, Hits: p.Hits,
			Misses: p.Misses, BestCombo: p.BestCombo, Flags: p.Flags, ReachedAt: p.ReachedAt,
			MedianReaction: p.MedianReaction, Flagged: flagged && p.Flags > 0,
		}
		if pr.Flagged {
			pr.Evidence = a.evidence(p)
		}
		r.Players = append(r.Players, pr)
	}
	return r
}

// evidence is what a moderator reviews of a flagged player's result.
func (a *Actor) evidence(p gamePlayerScore) *persistence.FlagEvidence {
	ev, _ := a.game.Evidence(p.PlayerID)
	out := &persistence.FlagEvidence{
		Reasons: map[string]int{}, Flags: p.Flags, Hits: p.Hits, Misses: p.Misses,
		MedianReactionMs: p.MedianReaction.Milliseconds(),
	}
	for reason, n := range map[string]int{"too_fast": ev.TooFast, "rate_limited": ev.RateLimited, "unattributed": ev.Unattributed} {
		if n > 0 {
			out.Reasons[reason] = n
		}
	}
	from := int32(0)
	for i, n := range ev.Reactions {
		to := int32(0)
		if i < len(game.ReactionBucketsMs) {
			to = game.ReactionBucketsMs[i]
		}
		out.Reactions = append(out.Reactions, persistence.ReactionBucket{FromMs: from, ToMs: to, Count: n})
		from = to
	}
	return out
}

// thresholds are the consistency detector's rules: the node's, or the
// defaults.
func (a *Actor) thresholds() detector.Thresholds {
	if a.deps.Detector == (detector.Thresholds{}) {
		return detector.Default()
	}
	return a.deps.Detector
}

// holdSuspicious judges every player's game with their recent ones
// (newest first; the consistency detector, actors/session/detector) and
// flags the results it finds inhuman: they are held for review like any
// flagged result, the findings in their evidence. Each result carries the
// detector's counts (Spread) for the player's later games.
func (a *Actor) holdSuspicious(r *persistence.GameResult, recent map[string][]persistence.RecentPlay) {
	th := a.thresholds()
	for i := range r.Players {
		p := &r.Players[i]
		f := detector.Judge(th, detector.Game{ReactionsMs: a.game.Reactions(p.PlayerID), Hits: p.Hits, Misses: p.Misses},
			pastGames(recent[p.PlayerID]))
		p.Spread = persistence.Spread{Samples: f.Samples, InBand: f.InBand}
		if !f.Suspicious {
			continue
		}
		suspiciousResults.WithLabelValues(f.Rule).Inc()
		if p.Evidence == nil {
			p.Evidence = a.evidence(gamePlayerScore{PlayerID: p.PlayerID, Flags: p.Flags, Hits: p.Hits,
				Misses: p.Misses, MedianReaction: p.MedianReaction})
		}
		p.Flagged, r.Flagged = true, true
		p.Evidence.Reasons[detector.Reason] = 1
		p.Evidence.Consistency = consistencyEvidence(th, f)
	}
}

// pastGames is the detector's view of a player's stored recent games.
func pastGames(games []persistence.RecentPlay) []detector.Past {
	out := make([]detector.Past, len(games))
	for i, g := range games {
		out[i] = detector.Past{Samples: g.Samples, InBand: g.InBand, Hits: g.Hits, Misses: g.Misses}
	}
	return out
}

// consistencyEvidence is the findings a moderator reviews.
func consistencyEvidence(th detector.Thresholds, f detector.Findings) *persistence.ConsistencyEvidence {
	return &persistence.ConsistencyEvidence{Samples: f.Samples, MedianMs: f.MedianMs, BandMs: th.Band.Milliseconds(),
		BandShare: f.BandShare, Tail: f.Tail, Accuracy: f.Accuracy, Rule: f.Rule,
		Recent: &persistence.RecentConsistency{Games: f.Recent.Games, Samples: f.Recent.Samples, BandShare: f.Recent.BandShare,
			Tail: f.Recent.Tail, Accuracy: f.Recent.Accuracy, FlawlessStreak: f.Recent.FlawlessStreak}}
}

// standingRecords offers every scoring player to each board period the
// game reaches (boardKeys).
func (a *Actor) standingRecords(players []persistence.PlayerResult, now time.Time) []persistence.StandingRecord {
	var out []persistence.StandingRecord
	for _, key := range a.boardKeys(now) {
		for _, p := range players {
			if p.Score <= 0 {
				continue
			}
			achieved := p.ReachedAt
			if achieved.IsZero() {
				achieved = now
			}
			out = append(out, persistence.StandingRecord{
				Mode: key.Mode, Board: string(key.Board), Period: key.Period, PlayerID: p.PlayerID, Username: p.Username,
				Score: p.Score, AchievedAt: achieved, SessionID: a.id,
			})
		}
	}
	return out
}

// boardKeys are the board periods a game finished at now reaches: a
// challenge attempt its challenge's board only (its rules may differ from
// the mode's); a ranked game each board's current period of the mode it
// was created with (a.mode, whatever an admin changed since); a practice
// game none.
func (a *Actor) boardKeys(now time.Time) []standings.Key {
	if a.record.ChallengeID != "" {
		return []standings.Key{standings.ChallengeKey(a.record.Mode, a.record.ChallengeID)}
	}
	if !a.mode.Ranked {
		return nil
	}
	keys := make([]standings.Key, 0, len(standings.Boards()))
	for _, b := range standings.Boards() {
		keys = append(keys, standings.CurrentKey(a.mode.Name, b, now))
	}
	return keys
}

func (a *Actor) username(playerID string) string {
	if m := a.players[playerID]; m != nil && m.ref != nil {
		return m.ref.GetUsername()
	}
	return ""
}

// submit hands the result to the batching writer; its verdict comes back as
// a message.
func (a *Actor) submit(ctx actor.Context) {
	self, root := ctx.Self(), ctx.ActorSystem().Root
	err := a.deps.Results.Submit(*a.result, func(o persistence.CommitOutcome, err error) {
		root.Send(self, &committed{outcome: o, err: err})
	})
	if err != nil {
		a.commitTries++
		backoff := min(time.Duration(1<<min(a.commitTries, 10))*25*time.Millisecond, maxCommitBackoff)
		a.scheduleOnce(ctx, backoff, &retryCommit{})
	}
}

func (a *Actor) onCommitted(ctx actor.Context, m *committed) {
	switch {
	case m.err != nil:
		// The node is shutting down before the result could be written; the
		// next activation resumes from the last snapshot and finishes again.
		a.deps.Logger.Warn("commit abandoned", slog.String("session", a.id), slog.Any("error", m.err))
		a.become(ctx, phaseUnavailable)
		ctx.Stop(ctx.Self())
	case m.outcome == persistence.StaleEpoch:
		a.fenced(ctx)
	case m.outcome == persistence.Missing:
		a.deps.Logger.Error("commit: session row missing", slog.String("session", a.id))
		a.become(ctx, phaseUnavailable)
		ctx.Stop(ctx.Self())
	case m.outcome == persistence.CommittedVoided, m.outcome == persistence.AlreadyCommitted:
		a.readVoided(ctx)
	default:
		a.settle(ctx)
	}
}

// settle announces a committed result and offers its standings.
func (a *Actor) settle(ctx actor.Context) {
	sessionsFinished.WithLabelValues(string(a.result.State)).Inc()
	a.announceOver(ctx)
	a.applyStandings()
	a.become(ctx, phaseFinished)
	a.passivateWhenIdle(ctx)
}

// announceOver tells players (game:over, then detach) and spectators.
func (a *Actor) announceOver(ctx actor.Context) {
	if a.result.State == persistence.StateFinished {
		over := events.Over{GameID: a.id, Flagged: a.result.Flagged, Results: []events.Result{}, Seed: a.overSeed()}
		for _, p := range a.result.Players {
			over.Results = append(over.Results, events.Result{PlayerID: p.PlayerID, Score: p.Score, Hits: p.Hits, Misses: p.Misses})
		}
		ev := a.event(events.TypeOver, 0, over)
		ev.Detach = true
		a.broadcast(ctx, ev)
	}
	end := a.event(events.TypeStateChange, 0, events.StateChange{GameID: a.id, State: events.StateEnded, Reason: a.endReason()})
	if a.result.State == persistence.StateAborted {
		end.Detach = true
	}
	a.broadcast(ctx, end)
	a.deps.Publisher.Publish(gameTopic(a.id), end)
}

// applyStandings offers the committed standings to leaderboard grains off
// the mailbox, without the flagged players' (held for review). Losing this
// only delays ranks until the grain rebuilds from Postgres, where the
// standings already are.
func (a *Actor) applyStandings() {
	if len(a.result.Standings) == 0 {
		return
	}
	held := map[string]bool{}
	for _, p := range a.result.Players {
		held[p.PlayerID] = p.Flagged
	}
	byBoard := map[standings.Key][]standings.Entry{}
	for _, s := range a.result.Standings {
		if held[s.PlayerID] {
			continue
		}
		key := standings.Key{Mode: s.Mode, Board: standings.Board(s.Board), Period: s.Period}
		byBoard[key] = append(byBoard[key], standings.Entry{
			PlayerID: s.PlayerID, Username: s.Username, Score: s.Score, AchievedAt: s.AchievedAt,
		})
	}
	deps, id := a.deps, a.id
	go func() {
		for key, entries := range byBoard {
			apply, cancel := context.WithTimeout(deps.Base, deps.IOTimeout)
			if err := deps.Boards.Apply(apply, key, entries); err != nil {
				deps.Logger.Warn("apply standings", slog.String("session", id), slog.String("board", key.Identity()), slog.Any("error", err))
			}
			cancel()
		}
	}()
}

// rejectClosed answers a join of a session that is over: a lobby that
// expired is gone (as its join code is), a game that was played is over.
// A resume from a stranger is answered as for an unknown session
// (rejectStranger).
func (a *Actor) rejectClosed(ctx actor.Context, m *protos.JoinSession) {
	if a.neverStarted() {
		a.rejectStranger(ctx, m, events.CodeSessionNotFound, "that match is no longer open")
		return
	}
	a.rejectStranger(ctx, m, events.CodeGameOver, "the game is over")
}

// finishedPayload is the persistence.GameFinishedEvent of a finished game
// for follow-up workers (badges, referrals, analytics): its counted
// players, its flagged ones named apart.
func finishedPayload(id, mode string, r persistence.GameResult) []byte {
	body := persistence.GameFinishedEvent{SessionID: id, Mode: mode, State: string(r.State),
		StartedAt: r.StartedAt, EndedAt: r.EndedAt}
	for _, p := range r.Players {
		if p.Flagged {
			body.FlaggedPlayers = append(body.FlaggedPlayers, p.PlayerID)
			continue
		}
		body.Players = append(body.Players, persistence.GameFinishedPlayer{PlayerID: p.PlayerID, Score: p.Score,
			Hits: p.Hits, Misses: p.Misses, BestCombo: p.BestCombo})
	}
	body.Flagged = len(body.Players) == 0 && len(body.FlaggedPlayers) > 0
	b, _ := json.Marshal(body) // plain fields always marshal
	return b
}
