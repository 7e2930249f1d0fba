package postgres

import (
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/proofstell/proofstell/persistence"
)

// sessionFinals is the column-wise input of the guarded sessions UPDATE: one
// entry per distinct, well-formed session id of the call.
type sessionFinals struct {
	idx      []int32
	ids      []string
	epochs   []int64
	states   []string
	started  []pgtype.Timestamptz
	ended    []pgtype.Timestamptz
	flagged  []bool
	snapshot [][]byte
	reasons  []string
}

// planFinals validates the call and builds the UPDATE input. firstOf maps
// each result to the first result of the call with the same session id (the
// one that is written); malformed session ids map to -1 (Missing).
func planFinals(results []persistence.GameResult) (sessionFinals, []int, error) {
	var f sessionFinals
	firstOf := make([]int, len(results))
	seen := make(map[string]int, len(results))
	for i, r := range results {
		if err := validateResult(r); err != nil {
			return sessionFinals{}, nil, fmt.Errorf("result %d (session %s): %w", i, r.SessionID, err)
		}
		if !validID(r.SessionID) {
			firstOf[i] = -1
			continue
		}
		if j, dup := seen[r.SessionID]; dup {
			firstOf[i] = j
			continue
		}
		seen[r.SessionID], firstOf[i] = i, i
		f.add(i, r)
	}
	return f, firstOf, nil
}

func (f *sessionFinals) add(i int, r persistence.GameResult) {
	f.idx = append(f.idx, int32(i)) //nolint:gosec // a call never holds 2^31 results
	f.ids = append(f.ids, r.SessionID)
	f.epochs = append(f.epochs, r.Epoch)
	f.states = append(f.states, string(r.State))
	f.started = append(f.started, tstz(r.StartedAt))
	f.ended = append(f.ended, tstz(r.EndedAt))
	f.flagged = append(f.flagged, r.Flagged)
	f.snapshot = append(f.snapshot, r.Snapshot)
	f.reasons = append(f.reasons, r.Reason)
}

func validateResult(r persistence.GameResult) error {
	if r.State != persistence.StateFinished && r.State != persistence.StateAborted {
		return fmt.Errorf("state %q is not final", r.State)
	}
	for _, p := range r.Players {
		if !validID(p.PlayerID) {
			return fmt.Errorf("malformed player id %q", p.PlayerID)
		}
	}
	for _, st := range r.Standings {
		if !validID(st.PlayerID) || (st.SessionID != "" && !validID(st.SessionID)) {
			return fmt.Errorf("standing %s/%s: malformed player or session id", st.Board, st.Period)
		}
		if !persistence.ModeNamePattern.MatchString(st.Mode) {
			return fmt.Errorf("standing %s/%s: malformed mode %q", st.Board, st.Period, st.Mode)
		}
	}
	return nil
}

// resultWrites is everything committed results write after their session
// row, column-wise, pre-aggregated so no statement touches a row twice.
type resultWrites struct {
	players   playerRows
	stats     statRows
	modeBests modeBestRows
	standings standingRows
	outbox    outboxRows
	attempts  attemptRows
	flags     flagRows
	replays   replayRows
}

// replayRows are the replays of committed finished games (one statement in
// the batch when any; none otherwise).
type replayRows struct {
	sessionIDs []string
	replays    [][]byte
	hashes     [][]byte // GameResult.ReplayHash; a nil one is stored as NULL
}

func (r *replayRows) addResult(g persistence.GameResult) {
	if len(g.Replay) > 0 && g.State == persistence.StateFinished {
		r.sessionIDs = append(r.sessionIDs, g.SessionID)
		r.replays = append(r.replays, g.Replay)
		r.hashes = append(r.hashes, g.ReplayHash)
	}
}

// attemptRows are the scores of committed challenge attempts.
type attemptRows struct {
	sessionIDs []string
	scores     []int64
	finishedAt []time.Time
}

// addResult records the score of a finished challenge attempt: a solo game,
// so its one counting player's. Ordinary games (no ChallengeID) add
// nothing, and a commit without attempts sends no statement for them. A
// flagged or voided attempt keeps no score (the attempt stays used; a
// cleared flag scores it while the challenge runs).
func (a *attemptRows) addResult(r persistence.GameResult) {
	if r.ChallengeID == "" {
		return
	}
	for _, p := range r.Players {
		if p.Voided == "" && !p.Flagged {
			a.sessionIDs = append(a.sessionIDs, r.SessionID)
			a.scores = append(a.scores, p.Score)
			a.finishedAt = append(a.finishedAt, r.EndedAt)
			return
		}
	}
}

type playerRows struct {
	sessionIDs, playerIDs               []string
	createdAt, reachedAt                []time.Time
	scores                              []int64
	hits, misses, bestCombos, flagCount []int32
	voided                              []string
	reactionMs                          []int32 // 0: unknown (stored NULL)
	// spreadSamples and spreadInBand are the detector's counts; -1 (stored
	// NULL) for a result it did not judge (voided, aborted game).
	spreadSamples, spreadInBand []int32
	flagged                     []bool
}

type standingRows struct {
	modes, boards, periods, playerIDs, usernames, sessionIDs []string
	scores                                                   []int64
	achievedAt                                               []time.Time
}

type outboxRows struct {
	topics, keys []string
	payloads     [][]byte
}

// planWrites builds the follow-up writes of the committed results; sessions
// holds each committed result's session row.
func planWrites(results []persistence.GameResult, committed []bool, sessions []committedSession) resultWrites {
	var w resultWrites
	stats := map[string]*statAgg{}
	best := map[standingKey]persistence.StandingRecord{}
	for i, r := range results {
		if !committed[i] {
			continue
		}
		w.players.addResult(r, sessions[i], stats)
		if r.State == persistence.StateAborted {
			continue // an aborted game has no standings or follow-up work
		}
		addStandings(best, r)
		w.outbox.addResult(r)
		w.attempts.addResult(r)
		w.flags.addResult(r, sessions[i])
		w.replays.addResult(r)
	}
	w.stats, w.modeBests = sortedStats(stats)
	w.standings = sortedStandings(best)
	return w
}

func (p *playerRows) addResult(r persistence.GameResult, cs committedSession, stats map[string]*statAgg) {
	start := len(p.playerIDs)
	seen := make(map[string]bool, len(r.Players))
	for _, pr := range r.Players {
		if seen[pr.PlayerID] {
			continue // a player counts once per game
		}
		seen[pr.PlayerID] = true
		p.add(r, pr, cs.createdAt)
	}
	if r.State == persistence.StateFinished {
		countStored(stats, p, start, cs)
	}
}

// add appends one player's row; a voided player keeps no score.
func (p *playerRows) add(r persistence.GameResult, pr persistence.PlayerResult, createdAt time.Time) {
	if pr.Voided != "" {
		pr = persistence.PlayerResult{PlayerID: pr.PlayerID, ReachedAt: pr.ReachedAt, Voided: pr.Voided}
	}
	p.sessionIDs = append(p.sessionIDs, r.SessionID)
	p.playerIDs = append(p.playerIDs, pr.PlayerID)
	p.createdAt = append(p.createdAt, createdAt)
	p.reachedAt = append(p.reachedAt, orTime(pr.ReachedAt, r.EndedAt))
	p.scores = append(p.scores, pr.Score)
	p.hits = append(p.hits, clamp32(pr.Hits))
	p.misses = append(p.misses, clamp32(pr.Misses))
	p.bestCombos = append(p.bestCombos, clamp32(pr.BestCombo))
	p.flagCount = append(p.flagCount, clamp32(pr.Flags))
	p.voided = append(p.voided, pr.Voided)
	p.flagged = append(p.flagged, pr.Flagged && pr.Voided == "" && r.State == persistence.StateFinished)
	p.reactionMs = append(p.reactionMs, clamp32(int(max(pr.MedianReaction.Milliseconds(), 0))))
	samples, inBand := int32(-1), int32(-1)
	if pr.Voided == "" && r.State == persistence.StateFinished {
		samples, inBand = clamp32(max(pr.Spread.Samples, 0)), clamp32(min(max(pr.Spread.InBand, 0), max(pr.Spread.Samples, 0)))
	}
	p.spreadSamples = append(p.spreadSamples, samples)
	p.spreadInBand = append(p.spreadInBand, inBand)
}

type standingKey struct{ mode, board, period, playerID string }

// addStandings keeps the best candidate per key within the call, with the
// same rule as the table: higher score wins, an equal score keeps the
// earlier time. Voided players' candidates are dropped, flagged players'
// are held with their flag (flagRows).
func addStandings(best map[standingKey]persistence.StandingRecord, r persistence.GameResult) {
	voided := map[string]bool{}
	for _, p := range r.Players {
		if p.Voided != "" || p.Flagged {
			voided[p.PlayerID] = true
		}
	}
	for _, st := range r.Standings {
		if voided[st.PlayerID] {
			continue
		}
		if st.SessionID == "" {
			st.SessionID = r.SessionID
		}
		st.AchievedAt = orTime(st.AchievedAt, r.EndedAt)
		k := standingKey{st.Mode, st.Board, st.Period, st.PlayerID}
		cur, ok := best[k]
		if !ok || st.Score > cur.Score || (st.Score == cur.Score && st.AchievedAt.Before(cur.AchievedAt)) {
			best[k] = st
		}
	}
}

func sortedStandings(best map[standingKey]persistence.StandingRecord) standingRows {
	keys := make([]standingKey, 0, len(best))
	for k := range best {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.mode != b.mode {
			return a.mode < b.mode
		}
		if a.board != b.board {
			return a.board < b.board
		}
		if a.period != b.period {
			return a.period < b.period
		}
		return a.playerID < b.playerID
	})
	var s standingRows
	for _, k := range keys {
		st := best[k]
		s.modes = append(s.modes, st.Mode)
		s.boards, s.periods, s.playerIDs = append(s.boards, st.Board), append(s.periods, st.Period), append(s.playerIDs, st.PlayerID)
		s.usernames, s.sessionIDs = append(s.usernames, st.Username), append(s.sessionIDs, st.SessionID)
		s.scores, s.achievedAt = append(s.scores, st.Score), append(s.achievedAt, st.AchievedAt)
	}
	return s
}

func (o *outboxRows) addResult(r persistence.GameResult) {
	for _, m := range r.Outbox {
		payload := m.Payload
		if payload == nil {
			payload = []byte{}
		}
		o.topics, o.keys, o.payloads = append(o.topics, m.Topic), append(o.keys, m.Key), append(o.payloads, payload)
	}
}

// dates sends days as a date[] (a time.Time slice would be timestamptz[]).
func dates(days []time.Time) []pgtype.Date {
	out := make([]pgtype.Date, len(days))
	for i, d := range days {
		out[i] = pgtype.Date{Time: d, Valid: true}
	}
	return out
}

func tstz(t time.Time) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()}
}

func orTime(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}

func clamp32(n int) int32 {
	return int32(max(min(n, 1<<31-1), -1<<31)) //nolint:gosec // clamped to the int32 range above
}
