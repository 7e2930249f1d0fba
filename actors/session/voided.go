package session

import (
	"context"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/persistence"
)

// voidedRead carries the stored session back after a commit that voided
// players (they were banned when it was committed), or that had already
// happened (a retry: whatever was voided then is not known here).
type voidedRead struct {
	session persistence.Session
	err     error
}

// readVoided reads back what the store kept of a result it voided players
// of, or committed before, so the end is announced and offered to boards as
// stored, not as played.
func (a *Actor) readVoided(ctx actor.Context) {
	store, id := a.deps.Store, a.id
	a.io(ctx, func(io context.Context) any {
		s, err := store.Session(io, id)
		return &voidedRead{session: s, err: err}
	})
}

// onVoidedRead drops the voided players from the result before settling.
// Should the read fail, no standings are offered at all: boards rebuild
// from Postgres, where only what counts was written.
func (a *Actor) onVoidedRead(ctx actor.Context, m *voidedRead) {
	if m.err != nil {
		a.deps.Logger.Warn("read voided result", slog.String("session", a.id), slog.Any("error", m.err))
		a.result.Standings = nil
		a.settle(ctx)
		return
	}
	voided := map[string]bool{}
	for _, p := range m.session.Results {
		if p.Voided != "" {
			voided[p.PlayerID] = true
		}
	}
	a.result.Players = keepPlayers(a.result.Players, voided)
	a.result.Standings = keepStandings(a.result.Standings, voided)
	if m.session.State == persistence.StateAborted && a.result.State != persistence.StateAborted {
		a.result.State, a.result.Reason = persistence.StateAborted, m.session.EndReason
	}
	a.settle(ctx)
}

func keepPlayers(in []persistence.PlayerResult, voided map[string]bool) []persistence.PlayerResult {
	var out []persistence.PlayerResult
	for _, p := range in {
		if !voided[p.PlayerID] {
			out = append(out, p)
		}
	}
	return out
}

func keepStandings(in []persistence.StandingRecord, voided map[string]bool) []persistence.StandingRecord {
	var out []persistence.StandingRecord
	for _, s := range in {
		if !voided[s.PlayerID] {
			out = append(out, s)
		}
	}
	return out
}
