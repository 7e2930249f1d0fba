package main

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/proofstell/proofstell/actors/session/detector"
)

// gameAware is a player whose play depends on which of its games it is
// playing (the bot that spoils its aim now and then).
type gameAware interface {
	startGame(n int)
}

// career is one player's consecutive games and the history kept of them:
// each game is judged with the player's earlier games, newest first, and
// leaves its Past for the next, as the session judges a result at finish.
type career struct {
	p       player
	rng     *rand.Rand
	earlier []detector.Past
	played  int
}

func newCareer(p player, rng *rand.Rand) *career { return &career{p: p, rng: rng} }

// next plays the player's next game and judges it with its history.
func (c *career) next(th detector.Thresholds) (detector.Findings, error) {
	c.played++
	if a, ok := c.p.(gameAware); ok {
		a.startGame(c.played)
	}
	f, err := playGame(th, c.p, c.rng, c.earlier)
	if err != nil {
		return detector.Findings{}, fmt.Errorf("game %d: %w", c.played, err)
	}
	c.remember(th, f.Past())
	return f, nil
}

// remember puts a game at the head of the history; only the Window-1
// newest are ever read, so older ones are dropped.
func (c *career) remember(th detector.Thresholds, g detector.Past) {
	c.earlier = slices.Insert(c.earlier, 0, g)
	c.earlier = c.earlier[:min(len(c.earlier), max(th.Window-1, 0))]
}
