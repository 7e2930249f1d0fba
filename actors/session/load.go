package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/difficulty"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// hydrated carries the claimed session row back into the mailbox.
type hydrated struct {
	session persistence.Session
	mode    persistence.Mode
	err     error
}

// created carries the outcome of creating the session row.
type created struct {
	msg     *protos.CreateSession
	session persistence.Session
	mode    persistence.Mode
	// attemptsLeft is set for a challenge attempt (-1: unknown).
	attemptsLeft int
	err          error
}

// maxCodeAttempts bounds join-code collisions before giving up.
const maxCodeAttempts = 5

// errBadPlayerCount rejects a match size the mode does not allow.
var errBadPlayerCount = errors.New("player count not allowed")

// onClusterInit learns the grain's identity. The claim waits for the first
// message: a creation is its own claim (one INSERT at epoch 1), so a new
// game costs one statement rather than a claim that misses, then an insert.
func (a *Actor) onClusterInit(ctx actor.Context, m *cluster.ClusterInit) {
	a.id = m.Identity.Identity
	if len(a.stash) == 0 {
		return
	}
	// Messages that came before the identity: the oldest decides, the rest
	// follow it in whatever phase it left.
	held := a.stash
	a.stash = nil
	a.onFirst(ctx, held[0])
	for _, msg := range held[1:] {
		a.handle(ctx, msg)
	}
}

// onFirst takes the first message after the identity: a creation creates
// (onCreate), anything else waits for the stored row, claimed here.
func (a *Actor) onFirst(ctx actor.Context, msg any) {
	if m, ok := msg.(*protos.CreateSession); ok {
		a.claimed = true
		a.onCreate(ctx, m)
		return
	}
	a.claim(ctx)
	a.hold(ctx, msg)
}

// claim takes ownership of the stored row off the mailbox (a new epoch);
// the result comes back as hydrated.
func (a *Actor) claim(ctx actor.Context) {
	a.claimed = true
	deps, id := a.deps, a.id
	a.io(ctx, func(io context.Context) any {
		s, err := deps.Store.ClaimSession(io, id)
		if err != nil {
			return &hydrated{err: err}
		}
		mode, err := rulesOf(io, deps, s)
		return &hydrated{session: s, mode: mode, err: err}
	})
}

// rulesOf reads the rules the stored session was created with, whatever
// an admin changed since: its mode's version, or the mode as it is now for
// a session stored before modes had versions.
func rulesOf(ctx context.Context, deps Deps, s persistence.Session) (persistence.Mode, error) {
	if s.ChallengeID != "" {
		// A challenge's rules are its own snapshot, not any mode version.
		c, err := readChallenge(ctx, deps, s.ChallengeID)
		if err != nil {
			return c.Rules, fmt.Errorf("rules of session %s: %w", s.ID, err)
		}
		return c.Rules, nil
	}
	if s.ModeVersion != 0 {
		m, err := deps.Store.ModeAt(ctx, s.Mode, s.ModeVersion)
		if err != nil {
			return m, fmt.Errorf("rules of session %s: %w", s.ID, err)
		}
		return m, nil
	}
	m, err := deps.Store.Mode(ctx, s.Mode)
	if err != nil {
		return m, fmt.Errorf("rules of session %s: %w", s.ID, err)
	}
	return m, nil
}

// io runs fn in a goroutine bounded by IOTimeout and mails its result back.
func (a *Actor) io(ctx actor.Context, fn func(context.Context) any) {
	self, root, deps := ctx.Self(), ctx.ActorSystem().Root, a.deps
	go func() {
		io, cancel := context.WithTimeout(deps.Base, deps.IOTimeout)
		defer cancel()
		root.Send(self, fn(io))
	}()
}

func (a *Actor) onHydrated(ctx actor.Context, m *hydrated) {
	switch {
	case errors.Is(m.err, persistence.ErrNotFound):
		a.become(ctx, phaseAbsent)
	case m.err != nil:
		a.deps.Logger.Error("load session", slog.String("session", a.id), slog.Any("error", m.err))
		a.become(ctx, phaseUnavailable)
		ctx.Stop(ctx.Self())
	default:
		a.resume(ctx, m.session, m.mode)
	}
}

// resume continues a stored session in this activation.
func (a *Actor) resume(ctx actor.Context, s persistence.Session, mode persistence.Mode) {
	a.record, a.epoch, a.mode = s, s.Epoch, mode
	if s.State == persistence.StateFinished || s.State == persistence.StateAborted {
		a.become(ctx, phaseFinished)
		a.passivateWhenIdle(ctx)
		return
	}
	g, err := a.restoreGame(s, mode)
	if err != nil {
		a.deps.Logger.Error("restore session", slog.String("session", a.id), slog.Any("error", err))
		a.become(ctx, phaseUnavailable)
		ctx.Stop(ctx.Self())
		return
	}
	a.game = g
	for _, id := range g.Players() {
		a.players[id] = &member{}
	}
	// A lobby past its deadline, or a game away longer than the resume
	// window, is aborted here: commit has moved the session to finishing.
	if !a.inPlay() {
		if a.game.Phase() == game.PhaseWaiting && !a.armLobbyExpiry(ctx) {
			return
		}
		a.become(ctx, phaseLive)
		return
	}
	if !a.catchUp(ctx) {
		return
	}
	a.become(ctx, phaseLive)
	a.startTicks(ctx)
}

// restoreGame rebuilds the rules state from the last snapshot, or from the
// seed when the session never snapshotted.
func (a *Actor) restoreGame(s persistence.Session, mode persistence.Mode) (*game.Game, error) {
	if len(s.Snapshot) > 0 {
		return game.Restore(rulesMode(mode), a.limits(), s.Snapshot)
	}
	g, err := game.New(rulesMode(mode), a.limits(), gameSeed(s), s.MaxPlayers, s.CreatorID)
	if err != nil {
		return nil, fmt.Errorf("new game: %w", err)
	}
	for _, id := range s.PlayerIDs {
		if err := g.Join(id); err != nil {
			return nil, fmt.Errorf("rejoin %s: %w", id, err)
		}
	}
	return g, nil
}

func (a *Actor) onCreate(ctx actor.Context, m *protos.CreateSession) {
	a.become(ctx, phaseCreating)
	s := persistence.Session{
		ID: a.id, Mode: m.GetMode(), Kind: persistence.KindSolo, MaxPlayers: int(m.GetMaxPlayers()),
		CreatorID: m.GetFrom().GetPlayerId(), PlayerIDs: []string{m.GetFrom().GetPlayerId()},
		State: persistence.StateWaiting, Epoch: 1, GameSeed: a.newSeed(), CreatedAt: a.deps.Now(),
		MatchedPlayers: m.GetMatchedPlayers(),
	}
	if s.MaxPlayers > 1 {
		s.Kind = persistence.KindMatch
	}
	deps := a.deps
	a.io(ctx, func(io context.Context) any {
		if id := m.GetChallengeId(); id != "" && s.Kind == persistence.KindSolo {
			s, mode, left, err := createAttempt(io, deps, s, id)
			return &created{msg: m, session: s, mode: mode, attemptsLeft: left, err: err}
		}
		if s.Mode == "" && s.Kind == persistence.KindSolo {
			s.Mode = defaultSoloMode(io, deps, s.CreatorID)
		}
		mode, err := deps.Store.Mode(io, s.Mode)
		if err == nil && (s.MaxPlayers < 1 || s.MaxPlayers > mode.MaxPlayers) {
			err = errBadPlayerCount
		}
		if err == nil {
			s.ModeVersion = mode.Version
			s, err = insertSession(io, deps, s)
		}
		return &created{msg: m, session: s, mode: mode, err: err}
	})
}

// defaultSoloMode picks the mode of a solo game started without one from
// the player's recent solo form (actors/session/difficulty). A failed read
// plays the newcomer's level rather than refusing the game.
func defaultSoloMode(ctx context.Context, deps Deps, playerID string) string {
	table := difficulty.Default()
	recent, err := deps.Store.RecentSoloGames(ctx, playerID, table.Window)
	if err != nil {
		deps.Logger.WarnContext(ctx, "recent solo games", slog.String("player", playerID), slog.Any("error", err))
		return table.Modes[table.Newcomer]
	}
	games := make([]difficulty.Game, len(recent))
	for i, g := range recent {
		games[i] = difficulty.Game{Hits: g.Hits, Misses: g.Misses, MedianReaction: g.MedianReaction}
	}
	return table.Mode(games)
}

// insertSession creates the row, drawing a fresh join code on collisions.
func insertSession(ctx context.Context, deps Deps, s persistence.Session) (persistence.Session, error) {
	for attempt := 0; ; attempt++ {
		if s.Kind == persistence.KindMatch {
			s.JoinCode = deps.NewCode()
		}
		err := deps.Store.CreateSession(ctx, s)
		if err == nil || !errors.Is(err, persistence.ErrConflict) || errors.Is(err, persistence.ErrExists) ||
			s.Kind != persistence.KindMatch || attempt+1 >= maxCodeAttempts {
			return s, err
		}
	}
}

func (a *Actor) onCreated(ctx actor.Context, m *created) {
	switch {
	case errors.Is(m.err, errChallengeNotFound):
		a.rejectAndStop(ctx, m.msg, events.CodeChallengeNotFound, "no such challenge")
		return
	case errors.Is(m.err, persistence.ErrChallengeNotActive):
		a.rejectAndStop(ctx, m.msg, events.CodeChallengeNotActive, "that challenge is not running")
		return
	case errors.Is(m.err, persistence.ErrNoAttemptsLeft):
		a.rejectAndStop(ctx, m.msg, events.CodeNoAttemptsLeft, "every attempt at that challenge is used")
		return
	case errors.Is(m.err, persistence.ErrNotFound):
		a.rejectAndStop(ctx, m.msg, events.CodeUnknownMode, "no such game mode")
		return
	case errors.Is(m.err, errBadPlayerCount):
		a.rejectAndStop(ctx, m.msg, events.CodeBadRequest, "that mode does not allow this many players")
		return
	case errors.Is(m.err, persistence.ErrPlayerBanned):
		a.rejectAndStop(ctx, m.msg, events.CodeAccountBanned, "this account is banned")
		return
	case errors.Is(m.err, persistence.ErrExists):
		a.claimExisting(ctx, m.msg)
		return
	case m.err != nil:
		a.deps.Logger.Error("create session", slog.String("session", a.id), slog.Any("error", m.err))
		a.rejectAndStop(ctx, m.msg, events.CodeUnavailable, "could not create the game, try again")
		return
	}
	g, err := game.New(rulesMode(m.mode), a.limits(), gameSeed(m.session), m.session.MaxPlayers, m.session.CreatorID)
	if err == nil {
		err = g.Join(m.session.CreatorID)
	}
	if err != nil {
		a.deps.Logger.Error("start game", slog.String("session", a.id), slog.Any("error", err))
		a.rejectAndStop(ctx, m.msg, events.CodeUnknownMode, "that game mode cannot be played")
		return
	}
	a.record, a.epoch, a.mode, a.game = m.session, m.session.Epoch, m.mode, g
	if m.session.ChallengeID != "" && m.attemptsLeft >= 0 {
		a.attemptsLeft = &m.attemptsLeft
	}
	a.attach(m.msg.GetFrom())
	if a.onOpened(ctx, m.msg) {
		a.become(ctx, phaseLive)
	}
}

// claimExisting handles a creation whose id is already stored (a repeated
// or raced create): like any activation of a stored session, this one
// claims the row, and the creation replays once it is loaded (where a
// stored game answers it as a resume).
func (a *Actor) claimExisting(ctx actor.Context, msg *protos.CreateSession) {
	a.claim(ctx)
	a.stash = append([]any{msg}, a.stash...)
	a.become(ctx, phaseLoading)
}

// rejectAndStop answers msg and ends this activation; held messages are
// answered by the create_failed phase.
func (a *Actor) rejectAndStop(ctx actor.Context, msg any, code, text string) {
	a.reject(ctx, msg, code, text)
	a.become(ctx, phaseCreateFailed)
	ctx.Stop(ctx.Self())
}
