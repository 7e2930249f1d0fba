package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/proofstell/proofstell/persistence"
)

// saveSnapshotsSQL writes every snapshot whose epoch is still current and
// whose session is not final, each row under the same guard as
// SaveSnapshot, returning the input index of each row written. Player ids
// travel as array literals (NULL keeps the stored ones): unnest would
// flatten an array of arrays.
const saveSnapshotsSQL = `UPDATE sessions s SET snapshot = i.data, state = i.state,
	player_ids = coalesce(i.player_ids::uuid[], s.player_ids), started_at = coalesce(i.started_at, s.started_at),
	snapshot_at = i.at
FROM unnest($1::int[], $2::uuid[], $3::bigint[], $4::bytea[], $5::text[], $6::text[], $7::timestamptz[],
	$8::timestamptz[]) AS i(idx, id, epoch, data, state, player_ids, started_at, at)
WHERE s.id = i.id AND s.epoch = i.epoch AND s.state NOT IN ('finished', 'aborted')
RETURNING i.idx`

// errDuplicateSnapshot fails a SaveSnapshots call naming a session twice.
var errDuplicateSnapshot = errors.New("session snapshotted twice in one call")

// snapshotRows is a SaveSnapshots call as column arrays.
type snapshotRows struct {
	idx     []int32
	ids     []string
	epochs  []int64
	data    [][]byte
	states  []string
	players []pgtype.Text
	started []pgtype.Timestamptz
	at      []time.Time
}

// SaveSnapshots implements persistence.SessionStore: one statement for the
// whole call, and one more read only when some rows were not written, to
// tell each one why (ErrStaleEpoch, ErrConflict, ErrNotFound), exactly as
// SaveSnapshot would.
func (s *Store) SaveSnapshots(ctx context.Context, snaps []persistence.Snapshot) ([]error, error) {
	defer observe("save_snapshots", time.Now())
	outcomes := make([]error, len(snaps))
	rows, err := s.snapshotRows(snaps, outcomes)
	if err != nil || len(rows.idx) == 0 {
		return outcomes, err
	}
	written := make([]bool, len(snaps))
	res, err := s.pool.Query(ctx, saveSnapshotsSQL, rows.idx, rows.ids, rows.epochs, rows.data, rows.states,
		rows.players, rows.started, rows.at)
	if err != nil {
		return nil, mapErr("save snapshots", err)
	}
	var idx int32
	n, err := pgx.ForEachRow(res, []any{&idx}, func() error {
		written[idx] = true
		return nil
	})
	if err != nil {
		return nil, mapErr("save snapshots", err)
	}
	snapshotBatchSize.Observe(float64(len(rows.idx)))
	if int(n.RowsAffected()) == len(rows.idx) {
		return outcomes, nil
	}
	return outcomes, s.explainSnapshots(ctx, rows, written, outcomes)
}

// snapshotRows validates each snapshot (a malformed one fails alone) and
// lays out the rest as columns.
func (s *Store) snapshotRows(snaps []persistence.Snapshot, outcomes []error) (snapshotRows, error) {
	var r snapshotRows
	seen := make(map[string]bool, len(snaps))
	for i, snap := range snaps {
		op := "save snapshot " + snap.SessionID
		switch {
		case !validID(snap.SessionID):
			outcomes[i] = fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
			continue
		case checkIDs(snap.PlayerIDs) != nil:
			outcomes[i] = fmt.Errorf("%s: %w", op, checkIDs(snap.PlayerIDs))
			continue
		case seen[snap.SessionID]:
			return r, fmt.Errorf("save snapshots: %s: %w", snap.SessionID, errDuplicateSnapshot)
		}
		seen[snap.SessionID] = true
		players := pgtype.Text{}
		if snap.PlayerIDs != nil {
			players = pgtype.Text{String: "{" + strings.Join(snap.PlayerIDs, ",") + "}", Valid: true}
		}
		at := snap.At
		if at.IsZero() {
			at = s.stamp()
		}
		r.idx = append(r.idx, int32(i)) //nolint:gosec // a call holds far fewer than 2^31 snapshots
		r.ids, r.epochs, r.data = append(r.ids, snap.SessionID), append(r.epochs, snap.Epoch), append(r.data, snap.Data)
		r.states, r.players = append(r.states, string(snap.State)), append(r.players, players)
		r.started, r.at = append(r.started, tstz(snap.StartedAt)), append(r.at, at)
	}
	return r, nil
}

// explainSnapshots gives every unwritten row its reason from one read.
func (s *Store) explainSnapshots(ctx context.Context, r snapshotRows, written []bool, outcomes []error) error {
	var ids []string
	for k, i := range r.idx {
		if !written[i] {
			ids = append(ids, r.ids[k])
		}
	}
	res, err := s.pool.Query(ctx, explainSQL, ids)
	if err != nil {
		return mapErr("explain unwritten snapshots", err)
	}
	stored := make(map[string]storedSession, len(ids))
	var cur storedSession
	var id string
	if _, err := pgx.ForEachRow(res, []any{&id, &cur.state, &cur.epoch}, func() error {
		stored[id] = cur
		return nil
	}); err != nil {
		return mapErr("explain unwritten snapshots", err)
	}
	for k, i := range r.idx {
		if written[i] {
			continue
		}
		op := "save snapshot " + r.ids[k]
		cur, ok := stored[r.ids[k]]
		switch {
		case !ok:
			outcomes[i] = fmt.Errorf("%s: %w", op, persistence.ErrNotFound)
		case cur.epoch != r.epochs[k]:
			outcomes[i] = fmt.Errorf("%s: epoch %d, stored %d: %w", op, r.epochs[k], cur.epoch, persistence.ErrStaleEpoch)
		default:
			outcomes[i] = fmt.Errorf("%s: session is %s: %w", op, cur.state, persistence.ErrConflict)
		}
	}
	return nil
}
