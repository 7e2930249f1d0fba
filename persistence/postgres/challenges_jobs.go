package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.ChallengeJobs = (*Store)(nil)

// dueToStartSQL and dueToEndSQL walk the partial indexes of migration 020.
const (
	dueToStartSQL = challengeSelect + `
WHERE c.started_at IS NULL AND c.cancelled_at IS NULL AND c.starts_at <= $1
ORDER BY c.starts_at, c.id LIMIT $2`
	dueToEndSQL = challengeSelect + `
WHERE c.ended_at IS NULL AND c.cancelled_at IS NULL AND c.ends_at <= $1
ORDER BY c.ends_at, c.id LIMIT $2`
)

// markStartedSQL records the start job once; a cancelled challenge is
// never announced.
const markStartedSQL = `UPDATE challenges SET started_at = $2
WHERE id = $1 AND started_at IS NULL AND cancelled_at IS NULL
RETURNING title, mode, ends_at`

// markEndedSQL records the end job once and returns what the outbox row
// names.
const markEndedSQL = `UPDATE challenges SET ended_at = $2
WHERE id = $1 AND ended_at IS NULL AND cancelled_at IS NULL
RETURNING mode, coalesce(reward_badge::text, '')`

// insertResultsSQL writes the final standings of players that still exist
// (an account deleted since its game has no row to reference).
const insertResultsSQL = `INSERT INTO challenge_results (challenge_id, player_id, rank, score, won)
SELECT $1, u.player_id, u.rank, u.score, u.won
FROM unnest($2::uuid[], $3::int[], $4::bigint[], $5::bool[]) AS u(player_id, rank, score, won)
JOIN players p ON p.id = u.player_id
ON CONFLICT (challenge_id, player_id) DO NOTHING`

// dailyRewardSQL reads the daily reward badge's id: "" when the catalogue
// no longer holds it active.
const dailyRewardSQL = `SELECT coalesce((SELECT id::text FROM badges WHERE slug = $1 AND active), '')`

const challengeExistsSQL = `SELECT EXISTS (SELECT 1 FROM challenges WHERE id = $1)`

// CreateDaily implements persistence.ChallengeJobs with CreateChallenge's
// insert: the id (its UTC date) is the primary key, so a second generation
// of the same day inserts nothing. A daily without a reward of its own
// rewards the catalogue's persistence.DailyRewardBadge.
func (s *Store) CreateDaily(ctx context.Context, c persistence.Challenge, holder string, epoch int64) (bool, error) {
	defer observe("create_daily_challenge", time.Now())
	op := "create daily challenge " + c.ID
	if c.Kind != persistence.ChallengeDaily || !strings.HasPrefix(c.ID, persistence.DailyChallengePrefix) {
		return false, fmt.Errorf("%s: kind %q: not a daily challenge", op, c.Kind)
	}
	if err := c.Rules.Check(); err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	c.CreatedBy, c.CreatedAt = "", s.stamp()
	c.UpdatedAt = c.CreatedAt
	var created bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkFence(ctx, tx, persistence.SchedulerLease, holder, epoch); err != nil {
			return err
		}
		if c.RewardBadge == "" {
			if err := tx.QueryRow(ctx, dailyRewardSQL, persistence.DailyRewardBadge).Scan(&c.RewardBadge); err != nil {
				return mapErr("daily reward", err)
			}
		}
		var err error
		created, err = insertChallenge(ctx, tx, c)
		return mapErr("insert", err)
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return created, nil
}

// DueToStart implements persistence.ChallengeJobs.
func (s *Store) DueToStart(ctx context.Context, now time.Time) ([]persistence.Challenge, error) {
	defer observe("challenges_due_to_start", time.Now())
	return s.dueChallenges(ctx, "challenges due to start", dueToStartSQL, now)
}

// DueToEnd implements persistence.ChallengeJobs.
func (s *Store) DueToEnd(ctx context.Context, now time.Time) ([]persistence.Challenge, error) {
	defer observe("challenges_due_to_end", time.Now())
	return s.dueChallenges(ctx, "challenges due to end", dueToEndSQL, now)
}

func (s *Store) dueChallenges(ctx context.Context, op, query string, now time.Time) ([]persistence.Challenge, error) {
	rows, err := s.pool.Query(ctx, query, now.UTC(), persistence.MaxDueChallenges)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.Challenge, error) { return scanChallenge(r) })
	if err != nil {
		return nil, mapErr(op, err)
	}
	return out, nil
}

// MarkStarted implements persistence.ChallengeJobs. The fence, started_at
// and the notify.challenge.started outbox row are one transaction.
func (s *Store) MarkStarted(ctx context.Context, id, holder string, epoch int64, now time.Time) (bool, error) {
	defer observe("mark_challenge_started", time.Now())
	op := "mark challenge started " + id
	var first bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkFence(ctx, tx, persistence.SchedulerLease, holder, epoch); err != nil {
			return err
		}
		ev := persistence.NotifyChallengeStartedEvent{ChallengeID: id, StartedAt: now.UTC().Truncate(time.Microsecond)}
		err := tx.QueryRow(ctx, markStartedSQL, id, ev.StartedAt).Scan(&ev.Title, &ev.Mode, &ev.EndsAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return challengeExists(ctx, tx, id)
		}
		if err != nil {
			return mapErr("update", err)
		}
		first, ev.EndsAt = true, ev.EndsAt.UTC()
		return queueChallengeStarted(ctx, tx, ev, s.stamp())
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return first, nil
}

// MarkEnded implements persistence.ChallengeJobs. The fence, ended_at, the
// results and the challenge.ended outbox row are one transaction, so the
// rewards are queued exactly when the end is recorded.
func (s *Store) MarkEnded(ctx context.Context, id, holder string, epoch int64, final []persistence.ChallengeStanding,
	now time.Time,
) (bool, error) {
	defer observe("mark_challenge_ended", time.Now())
	op := "mark challenge ended " + id
	var first bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkFence(ctx, tx, persistence.SchedulerLease, holder, epoch); err != nil {
			return err
		}
		ev := persistence.ChallengeEndedEvent{ChallengeID: id, Winners: []string{}, Players: []string{}}
		err := tx.QueryRow(ctx, markEndedSQL, id, now.UTC().Truncate(time.Microsecond)).Scan(&ev.Mode, &ev.RewardBadge)
		if errors.Is(err, pgx.ErrNoRows) {
			return challengeExists(ctx, tx, id)
		}
		if err != nil {
			return mapErr("update", err)
		}
		first = true
		if err := insertResults(ctx, tx, id, final); err != nil {
			return err
		}
		return queueChallengeEnded(ctx, tx, ev, final, s.stamp())
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return first, nil
}

// challengeExists is nil for an existing challenge and ErrNotFound for an
// absent one: a guarded UPDATE that matched nothing says which it was.
func challengeExists(ctx context.Context, tx pgx.Tx, id string) error {
	var exists bool
	if err := tx.QueryRow(ctx, challengeExistsSQL, id).Scan(&exists); err != nil {
		return mapErr("look up", err)
	}
	if !exists {
		return persistence.ErrNotFound
	}
	return nil
}

func insertResults(ctx context.Context, tx pgx.Tx, id string, final []persistence.ChallengeStanding) error {
	if len(final) == 0 {
		return nil
	}
	players, ranks := make([]string, len(final)), make([]int32, len(final))
	scores, won := make([]int64, len(final)), make([]bool, len(final))
	for i, st := range final {
		if !validID(st.PlayerID) || st.Rank < 1 {
			return fmt.Errorf("standing %d: player %q rank %d: not a ranked player", i, st.PlayerID, st.Rank)
		}
		players[i], ranks[i], scores[i], won[i] = st.PlayerID, int32(st.Rank), st.Score, st.Won // #nosec G115 -- ranks are checked >= 1 and fit a column integer
	}
	_, err := tx.Exec(ctx, insertResultsSQL, id, players, ranks, scores, won)
	return mapErr("insert results", err)
}

// queueChallengeEnded writes the persistence.TopicChallengeEnded outbox row
// (key: the challenge id) with the statement CommitResults uses.
func queueChallengeEnded(ctx context.Context, tx pgx.Tx, ev persistence.ChallengeEndedEvent,
	final []persistence.ChallengeStanding, now time.Time,
) error {
	ranked := slices.Clone(final)
	slices.SortStableFunc(ranked, func(a, b persistence.ChallengeStanding) int { return cmp.Compare(a.Rank, b.Rank) })
	for _, st := range ranked {
		ev.Players = append(ev.Players, st.PlayerID)
		if st.Won {
			ev.Winners = append(ev.Winners, st.PlayerID)
		}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode challenge.ended: %w", err)
	}
	notify := persistence.NotifyChallengeEndedEvent{ChallengeID: ev.ChallengeID, Mode: ev.Mode,
		Standings: make([]persistence.NotifyStanding, 0, len(ranked))}
	for _, st := range ranked {
		notify.Standings = append(notify.Standings, persistence.NotifyStanding(st))
	}
	notifyPayload, err := json.Marshal(notify)
	if err != nil {
		return fmt.Errorf("encode notify.challenge.ended: %w", err)
	}
	_, err = tx.Exec(ctx, insertOutboxSQL,
		[]string{persistence.TopicChallengeEnded, persistence.TopicNotifyChallengeEnded},
		[]string{ev.ChallengeID, ev.ChallengeID}, [][]byte{payload, notifyPayload}, now)
	return mapErr("queue challenge.ended", err)
}
