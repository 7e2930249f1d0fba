package session

import (
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// gamePlayerScore is the rules' per-player result.
type gamePlayerScore = game.PlayerScore

// rulesMode converts a stored mode into the rules' own type.
func rulesMode(m persistence.Mode) game.Mode {
	return game.Mode{
		Name: m.Name, Rows: m.Rows, Cols: m.Cols,
		Duration: m.Duration, SpawnInterval: m.SpawnInterval, Visible: m.Visible, Countdown: m.Countdown,
		MaxMolesUp: m.MaxMolesUp, HitPoints: m.HitPoints, GoldenPoints: m.GoldenPoints, BombPenalty: m.BombPenalty,
		GoldenChance: m.GoldenChance, BombChance: m.BombChance,
	}
}

// limits are the judging limits from the node's config.
func (a *Actor) limits() game.Limits {
	c := a.deps.Config
	return game.Limits{LagCap: c.LagCap, MinReaction: c.MinReaction, MaxWhacksPerSecond: c.MaxWhacksPerSecond}
}
