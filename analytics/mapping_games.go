package analytics

import "github.com/proofstell/proofstell/persistence"

// gameStarted is one game_started per player the session was created
// with (a match's host; the others' start is their match_formed), plus
// challenge_attempted for a challenge attempt.
func (b *builder) gameStarted() error {
	var e persistence.GameStartedEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	match := e.Kind == string(persistence.KindMatch)
	for _, p := range e.PlayerIDs {
		props := map[string]any{"mode": e.Mode, "kind": e.Kind}
		if e.ChallengeID != "" {
			props["challenge_id"] = e.ChallengeID
		}
		if match {
			props["match_id"] = e.SessionID
		}
		b.add(GameStarted, p, e.CreatedAt, props)
		if e.ChallengeID != "" {
			b.add(ChallengeAttempted, p, e.CreatedAt, map[string]any{"challenge_id": e.ChallengeID, "mode": e.Mode})
		}
	}
	return nil
}

// gameFinished is one game_finished per counted player, and game_flagged
// per flagged player: those listed apart, or every player of a row written
// when one flag voided the whole game.
func (b *builder) gameFinished() error {
	var g persistence.GameFinishedEvent
	if err := b.decode(&g); err != nil {
		return err
	}
	for _, p := range g.Players {
		props := map[string]any{"mode": g.Mode, "score": p.Score, "hits": int64(p.Hits), "misses": int64(p.Misses), "flagged": g.Flagged}
		if !g.StartedAt.IsZero() && g.EndedAt.After(g.StartedAt) {
			props["duration_ms"] = g.EndedAt.Sub(g.StartedAt).Milliseconds()
		}
		b.add(GameFinished, p.PlayerID, g.EndedAt, props)
		if g.Flagged {
			b.add(GameFlagged, p.PlayerID, g.EndedAt, map[string]any{"mode": g.Mode})
		}
	}
	for _, p := range g.FlaggedPlayers {
		b.add(GameFlagged, p, g.EndedAt, map[string]any{"mode": g.Mode})
	}
	return nil
}

// matchFormed is one match_formed per player of a match that filled.
func (b *builder) matchFormed() error {
	var e persistence.MatchFormedEvent
	if err := b.decode(&e); err != nil {
		return err
	}
	for _, p := range e.PlayerIDs {
		b.add(MatchFormed, p, e.At, map[string]any{"mode": e.Mode, "players": int64(len(e.PlayerIDs)), "match_id": e.SessionID})
	}
	return nil
}
