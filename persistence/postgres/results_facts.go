package postgres

import (
	"slices"
	"sort"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// A player's counted games (finished, the player not voided) keep two sets
// of aggregates in player_stats: the profile's (games_played, best_score,
// total_score: a flagged result adds nothing to best and total until a
// moderator clears it) and the badge facts (badge_*, perfect_games, longest_combo,
// matches_won, the streak summary, player_mode_bests: every counted game,
// flagged or not). Both are merged by the commit that stores the games, so
// reading them is a primary-key probe however long the history.

// committedSession is what the guarded UPDATE returns for a written session.
type committedSession struct {
	createdAt time.Time
	endedAt   time.Time // never NULL once final: coalesce(ended_at, now)
	mode      string
	kind      string
}

// day is the UTC day a game counts for in streaks: the session's end.
func (c committedSession) day() time.Time {
	y, m, d := c.endedAt.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// countedGame is one game as it counts for one player.
type countedGame struct {
	score        int64
	hits, misses int32
	combo        int32
	flagged, won bool
	mode         string
	day          time.Time
}

// statAgg is a player's share of one commit call.
type statAgg struct {
	games, best, total int64 // profile: flagged games add to games only

	badgeTotal, badgeBest int64
	perfect, won          int64
	combo                 int32
	days                  []time.Time
	modes                 map[string]int64
}

func newStatAgg(g countedGame) *statAgg {
	return &statAgg{badgeBest: g.score, combo: g.combo, modes: map[string]int64{}}
}

func (a *statAgg) add(g countedGame) {
	a.games++
	if !g.flagged {
		a.best = max(a.best, g.score)
		a.total += g.score
	}
	a.badgeTotal += g.score
	a.badgeBest = max(a.badgeBest, g.score)
	a.combo = max(a.combo, g.combo)
	if g.hits > 0 && g.misses == 0 {
		a.perfect++
	}
	if g.won {
		a.won++
	}
	a.days = append(a.days, g.day)
	if best, ok := a.modes[g.mode]; !ok || g.score > best {
		a.modes[g.mode] = g.score
	}
}

// countStored adds the counted games of the rows p holds from start on (one
// result's rows, as stored: a voided row has score zero but still counts as
// a rival score, exactly as the rows read back would).
func countStored(stats map[string]*statAgg, p *playerRows, start int, cs committedSession) {
	scores := p.scores[start:]
	for i := start; i < len(p.playerIDs); i++ {
		if p.voided[i] != "" {
			continue
		}
		g := countedGame{score: p.scores[i], hits: p.hits[i], misses: p.misses[i], combo: p.bestCombos[i],
			flagged: p.flagged[i], mode: cs.mode, day: cs.day(),
			won: cs.kind == string(persistence.KindMatch) && beatsRivals(scores, i-start)}
		a := stats[p.playerIDs[i]]
		if a == nil {
			a = newStatAgg(g)
			stats[p.playerIDs[i]] = a
		}
		a.add(g)
	}
}

// beatsRivals: the best score of the others exists and is strictly lower.
func beatsRivals(scores []int64, me int) bool {
	rivals := false
	var best int64
	for j, s := range scores {
		if j == me {
			continue
		}
		if !rivals || s > best {
			best, rivals = s, true
		}
	}
	return rivals && best < scores[me]
}

// daySummary summarizes distinct game days: the first day and the run of
// consecutive days starting there, the last day and the run ending there,
// and the longest run. Summaries of day sets that do not interleave merge
// exactly (upsertStatsSQL).
type daySummary struct {
	first, last      time.Time
	headRun, tailRun int32
	longest          int32
}

func summarize(days []time.Time) daySummary {
	sorted := slices.Clone(days)
	slices.SortFunc(sorted, func(a, b time.Time) int { return a.Compare(b) })
	sorted = slices.Compact(sorted)
	s := daySummary{first: sorted[0], last: sorted[len(sorted)-1], headRun: 1}
	run := int32(0)
	for i, d := range sorted {
		if i > 0 && d.Sub(sorted[i-1]) == 24*time.Hour {
			run++
		} else {
			run = 1
		}
		if run == int32(i)+1 { //nolint:gosec // a call never holds 2^31 days
			s.headRun = run
		}
		s.longest = max(s.longest, run)
	}
	s.tailRun = run
	return s
}

// statRows is the column-wise input of upsertStatsSQL, one row per player.
type statRows struct {
	playerIDs                             []string
	games, best, totals                   []int64
	badgeTotals, badgeBests, perfect, won []int64
	combos, headRuns, tailRuns, longest   []int32
	firstDays, lastDays                   []time.Time
}

// modeBestRows is the column-wise input of upsertModeBestsSQL.
type modeBestRows struct {
	playerIDs, modes []string
	bests            []int64
}

// sortedStats orders rows by player id (and mode) so concurrent commits
// lock rows in the same order and cannot deadlock.
func sortedStats(stats map[string]*statAgg) (statRows, modeBestRows) {
	var s statRows
	var m modeBestRows
	for id := range stats {
		s.playerIDs = append(s.playerIDs, id)
	}
	sort.Strings(s.playerIDs)
	for _, id := range s.playerIDs {
		a := stats[id]
		s.games, s.best, s.totals = append(s.games, a.games), append(s.best, a.best), append(s.totals, a.total)
		s.badgeTotals, s.badgeBests = append(s.badgeTotals, a.badgeTotal), append(s.badgeBests, a.badgeBest)
		s.perfect, s.won, s.combos = append(s.perfect, a.perfect), append(s.won, a.won), append(s.combos, a.combo)
		d := summarize(a.days)
		s.firstDays, s.headRuns = append(s.firstDays, d.first), append(s.headRuns, d.headRun)
		s.lastDays, s.tailRuns = append(s.lastDays, d.last), append(s.tailRuns, d.tailRun)
		s.longest = append(s.longest, d.longest)
		modes := make([]string, 0, len(a.modes))
		for mode := range a.modes {
			modes = append(modes, mode)
		}
		sort.Strings(modes)
		for _, mode := range modes {
			m.playerIDs, m.modes, m.bests = append(m.playerIDs, id), append(m.modes, mode), append(m.bests, a.modes[mode])
		}
	}
	return s, m
}
