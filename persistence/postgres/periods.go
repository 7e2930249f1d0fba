package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.PeriodStore = (*Store)(nil)

// insertPeriodRootSQL claims the period's one root; no row back means the
// period was frozen before and nothing may change.
const insertPeriodRootSQL = `INSERT INTO period_roots (mode, board, period, root, leaf_count, status, created_at,
	leaf_version)
VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
ON CONFLICT (mode, board, period) DO NOTHING`

const periodRootSQL = `SELECT mode, board, period, root, leaf_count, leaf_version, status, coalesce(tx_hash, ''),
	reason, created_at
FROM period_roots WHERE mode = $1 AND board = $2 AND period = $3`

// periodStandingCols are persistence.PeriodStanding's fields in order; v1
// periods have no session ids.
const periodStandingCols = `rank, player_id::text, score, achieved_at, coalesce(session_id::text, ''), replay_hash`

const periodStandingsSQL = `SELECT ` + periodStandingCols + `
FROM period_standings WHERE mode = $1 AND board = $2 AND period = $3 ORDER BY rank`

// periodTopSQL reads the head of a frozen period through its (mode,
// board, period, rank) unique index.
const periodTopSQL = `SELECT ` + periodStandingCols + `
FROM period_standings WHERE mode = $1 AND board = $2 AND period = $3 AND rank <= $4 ORDER BY rank`

// SavePeriodRoot implements persistence.PeriodStore. The fence, the root
// claim, the standings copy and the period.frozen outbox row are one
// transaction, so a root is never visible without its standings, nor
// frozen without the follow-up work being queued.
func (s *Store) SavePeriodRoot(ctx context.Context, root persistence.PeriodRoot, standings []persistence.PeriodStanding,
	holder string, epoch int64,
) (bool, error) {
	defer observe("save_period_root", time.Now())
	op := fmt.Sprintf("save period root %s", root.Key())
	if root.Mode == "" {
		return false, fmt.Errorf("%s: no mode", op)
	}
	switch root.LeafVersion {
	case 0:
		root.LeafVersion = 1 // the column's default: the encoding before versions
	case 1, 2:
	default:
		return false, fmt.Errorf("%s: leaf version %d", op, root.LeafVersion)
	}
	if len(standings) == 0 || len(standings) != root.LeafCount {
		return false, fmt.Errorf("%s: %d standings for leaf count %d", op, len(standings), root.LeafCount)
	}
	var saved bool
	now := s.stamp()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkFence(ctx, tx, persistence.SchedulerLease, holder, epoch); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, insertPeriodRootSQL, root.Mode, root.Board, root.Period, root.Root, root.LeafCount,
			now, root.LeafVersion)
		if err != nil {
			return mapErr(op, err)
		}
		if saved = tag.RowsAffected() == 1; !saved {
			return nil
		}
		if err := copyStandings(ctx, tx, root.Key(), standings); err != nil {
			return err
		}
		return queuePeriodFrozen(ctx, tx, root, now)
	})
	if err != nil {
		return false, fmt.Errorf("%s: %w", op, err)
	}
	return saved, nil
}

// copyStandings bulk-loads a period's frozen standings.
func copyStandings(ctx context.Context, tx pgx.Tx, key persistence.BoardKey, standings []persistence.PeriodStanding) error {
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"period_standings"},
		[]string{"mode", "board", "period", "rank", "player_id", "score", "achieved_at", "session_id", "replay_hash"},
		pgx.CopyFromSlice(len(standings), func(i int) ([]any, error) {
			st := standings[i]
			return []any{key.Mode, key.Board, key.Period, st.Rank, st.PlayerID, st.Score, st.AchievedAt.UTC(),
				nullIfEmpty(st.SessionID), st.ReplayHash}, nil
		}))
	return mapErr("copy period standings", err)
}

// queuePeriodFrozen writes the period's persistence.TopicPeriodFrozen
// outbox row, and its persistence.TopicNotifyPeriodClosed row (final
// ranks), with the statement CommitResults uses for its rows.
func queuePeriodFrozen(ctx context.Context, tx pgx.Tx, root persistence.PeriodRoot, now time.Time) error {
	payload, err := json.Marshal(persistence.PeriodFrozen{Mode: root.Mode, Board: root.Board, Period: root.Period,
		LeafCount: root.LeafCount})
	if err != nil {
		return fmt.Errorf("encode period.frozen: %w", err)
	}
	key := root.Key().String()
	_, err = tx.Exec(ctx, insertOutboxSQL, []string{persistence.TopicPeriodFrozen, persistence.TopicNotifyPeriodClosed},
		[]string{key, key}, [][]byte{payload, payload}, now)
	return mapErr("queue period.frozen", err)
}

// PeriodRoot implements persistence.PeriodStore.
func (s *Store) PeriodRoot(ctx context.Context, key persistence.BoardKey) (persistence.PeriodRoot, error) {
	defer observe("period_root", time.Now())
	var r persistence.PeriodRoot
	var status string
	err := s.pool.QueryRow(ctx, periodRootSQL, key.Mode, key.Board, key.Period).Scan(&r.Mode, &r.Board, &r.Period,
		&r.Root, &r.LeafCount, &r.LeafVersion, &status, &r.TxHash, &r.Reason, &r.CreatedAt)
	if err != nil {
		return persistence.PeriodRoot{}, mapErr("period root "+key.String(), err)
	}
	r.Status = persistence.RootStatus(status)
	return r, nil
}

// PeriodStandings implements persistence.PeriodStore.
func (s *Store) PeriodStandings(ctx context.Context, key persistence.BoardKey) ([]persistence.PeriodStanding, error) {
	defer observe("period_standings", time.Now())
	return s.standingsOf(ctx, "period standings "+key.String(), periodStandingsSQL, key.Mode, key.Board, key.Period)
}

// PeriodTop implements persistence.PeriodStore.
func (s *Store) PeriodTop(ctx context.Context, key persistence.BoardKey, maxRank int) ([]persistence.PeriodStanding, error) {
	defer observe("period_top", time.Now())
	if maxRank < 1 {
		return []persistence.PeriodStanding{}, nil
	}
	return s.standingsOf(ctx, fmt.Sprintf("period top %d of %s", maxRank, key), periodTopSQL,
		key.Mode, key.Board, key.Period, maxRank)
}

// standingsOf runs a query of frozen standings in rank order.
func (s *Store) standingsOf(ctx context.Context, op, query string, args ...any) ([]persistence.PeriodStanding, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[persistence.PeriodStanding])
	if err != nil {
		return nil, mapErr(op, err)
	}
	return out, nil
}

// nullIfEmpty stores "" as NULL (a v1 standing has no session id).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
