package verify

import (
	"cmp"
	"fmt"
	"slices"
)

// Judgements an input can carry (actors/session/game/doc.go).
const (
	judgeHit         = "hit"
	judgeEmpty       = "empty"
	judgeWrongHole   = "wrong_hole"
	judgeExpired     = "expired"
	judgeTooFast     = "too_fast"
	judgeTaken       = "taken"
	judgeRateLimited = "rate_limited"
	judgeStale       = "stale"
)

const secondNs = int64(1e9)

// standing is one player's running numbers, as the judge recomputes them.
type standing struct {
	index                                   int64
	score, hits, misses, bombs, combo, best int64
	flags                                   int64
	reached                                 bool
	reachedNs                               int64
	whacks                                  []int64 // every whack's time: the rate window
}

// judge re-judges a replay's inputs in log order against its schedule.
type judge struct {
	r       Replay
	moles   []Mole
	winner  map[int64]bool
	players []*standing
}

func newJudge(r Replay, moles []Mole) *judge {
	j := &judge{r: r, moles: moles, winner: make(map[int64]bool)}
	for i := range r.Players {
		j.players = append(j.players, &standing{index: int64(i)})
	}
	return j
}

// verdict is a judgement and the mole id the log carries with it.
type verdict struct {
	judgement string
	mole      int64
}

func (v verdict) String() string { return fmt.Sprintf("%s (mole %d)", v.judgement, v.mole) }

// input judges one whack and applies the logged judgement when it is one
// the rules allow; otherwise it returns the divergence.
func (j *judge) input(i int, in Input) *Divergence {
	p := j.players[in.Player]
	over := int64(len(p.whacks)) >= j.r.Limits.MaxWhacksPerSecond &&
		in.AtNs-p.whacks[int64(len(p.whacks))-j.r.Limits.MaxWhacksPerSecond] < secondNs
	p.whacks = append(p.whacks, in.AtNs)
	rules := j.byRules(in)
	want := rules
	if over {
		want = verdict{judgeRateLimited, in.MoleID}
	}
	got := verdict{in.Judgement, in.Mole}
	if !accepted(got, want, rules, over) {
		return &Divergence{Check: CheckInput, Index: i, Expected: want.String(), Got: got.String()}
	}
	j.apply(p, got, in.AtNs)
	return nil
}

// accepted reports whether the log's verdict holds. Besides the exact
// verdict: stale where the rules flag (an unmarked resume's grace), and,
// for a whack over the rate on the game's timeline, what the other rules
// give (a resume's pause lies between it and the window's first whack in
// real time, where the server counts the rate).
func accepted(got, want, rules verdict, over bool) bool {
	switch {
	case got == want:
		return true
	case got.judgement == judgeStale:
		return (over && got.mole == want.mole) || (rules.judgement == judgeTooFast && got.mole == rules.mole)
	case over:
		return got == rules
	}
	return false
}

// byRules judges a whack by rules 2–7 (everything but the rate).
func (j *judge) byRules(in Input) verdict {
	m, miss := j.target(in)
	if m == nil {
		return verdict{miss, in.MoleID}
	}
	switch {
	case in.AtNs-m.UpNs-in.AllowanceNs < j.r.Limits.MinReactionNs:
		return verdict{judgeTooFast, m.ID}
	case j.winner[m.ID]:
		return verdict{judgeTaken, m.ID}
	}
	return verdict{judgeHit, m.ID}
}

// target finds the mole a whack is judged against, or why there is none.
func (j *judge) target(in Input) (*Mole, string) {
	if in.MoleID == 0 {
		for k := len(j.moles) - 1; k >= 0; k-- {
			m := &j.moles[k]
			if m.Hole == in.Hole && m.UpNs <= in.AtNs && in.AtNs <= m.DownNs+in.AllowanceNs {
				return m, ""
			}
		}
		return nil, judgeEmpty
	}
	if in.MoleID < 0 || in.MoleID > int64(len(j.moles)) {
		return nil, judgeEmpty
	}
	m := &j.moles[in.MoleID-1]
	switch {
	case m.UpNs > in.AtNs:
		return nil, judgeEmpty
	case m.Hole != in.Hole:
		return nil, judgeWrongHole
	case in.AtNs > m.DownNs+in.AllowanceNs:
		return nil, judgeExpired
	}
	return m, ""
}

// apply counts an accepted verdict in the player's numbers.
func (j *judge) apply(p *standing, v verdict, at int64) {
	switch v.judgement {
	case judgeHit:
		j.win(p, j.moles[v.mole-1], at)
	case judgeTaken, judgeStale:
	default:
		p.misses++
		p.combo = 0
		if v.judgement == judgeTooFast || v.judgement == judgeRateLimited {
			p.flags++
		}
	}
}

func (j *judge) win(p *standing, m Mole, at int64) {
	j.winner[m.ID] = true
	points := j.r.Rules.HitPoints
	switch m.Kind {
	case kindGolden:
		points = j.r.Rules.GoldenPoints
	case kindBomb:
		points = -j.r.Rules.BombPenalty
	}
	if score := max(0, p.score+points); score != p.score {
		p.score, p.reached, p.reachedNs = score, true, at
	}
	if m.Kind == kindBomb {
		p.bombs++
		p.combo = 0
		return
	}
	p.hits++
	p.combo++
	p.best = max(p.best, p.combo)
}

// ranked returns the results in rank order: score descending, then who
// reached it first (a player who never scored first of all, as the server's
// zero time does), then join order.
func (j *judge) ranked() []Result {
	ps := slices.Clone(j.players)
	slices.SortStableFunc(ps, func(a, b *standing) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if a.reached != b.reached {
			if a.reached {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.reachedNs, b.reachedNs)
	})
	out := make([]Result, len(ps))
	for i, p := range ps {
		out[i] = Result{Player: p.index, Score: p.score, Hits: p.hits, Misses: p.misses, Bombs: p.bombs,
			BestCombo: p.best, Flags: p.flags}
	}
	return out
}
