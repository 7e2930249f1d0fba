package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

const sessionColumns = `id::text, mode, kind, coalesce(join_code, ''), max_players, creator_id::text,
	player_ids::text[], state, epoch, seed, snapshot, created_at, started_at, ended_at, flagged,
	coalesce(end_reason, ''), coalesce(mode_version, 0), coalesce(challenge_id, ''), game_seed`

// createSessionSQL inserts the row unless one of its players is banned, and
// with it the session's persistence.TopicGameStarted outbox row (born
// processed: only cursor readers read it): the
// ban is read in the insert itself, so no cache can let a banned player in.
// A taken id inserts nothing and says so (taken), so the caller can tell it
// from a ban without a second round trip; a taken join code still fails on
// its unique index.
//
// The ban is read with one primary-key probe per player (a correlated
// subquery, which the planner cannot turn into a scan). Written as
// "EXISTS (... WHERE id = ANY(...) AND banned_at IS NOT NULL)", the planner
// of a players table without fresh statistics expects an early match and
// scans the whole table once per new game (bench/results/2026-12-06-writes-2.md).
const createSessionSQL = `WITH banned AS (
	SELECT EXISTS (SELECT 1 FROM unnest(array_append($7::uuid[], $6::uuid)) AS u(id)
		WHERE (SELECT p.banned_at FROM players p WHERE p.id = u.id) IS NOT NULL) AS b
), ins AS (
	INSERT INTO sessions (id, mode, kind, join_code, max_players, creator_id, player_ids,
		state, epoch, seed, snapshot, created_at, started_at, mode_version, challenge_id, game_seed)
	SELECT $1::uuid, $2::text, $3::text, nullif($4::text, ''), $5::int, $6::uuid, $7::uuid[], $8::text, 1, $9::bigint,
		$10::bytea, $11::timestamptz, $12::timestamptz, nullif($13::bigint, 0), nullif($14::text, ''), $15::bytea
	WHERE NOT (SELECT b FROM banned)
	ON CONFLICT (id) DO NOTHING
	RETURNING 1
), started AS (
	INSERT INTO outbox (topic, key, payload, created_at, available_at, processed_at)
	SELECT 'game.started', $1::text, $16::bytea, $11::timestamptz, $11::timestamptz, $11::timestamptz FROM ins
	WHERE $16::bytea IS NOT NULL
	ON CONFLICT (topic, key) DO NOTHING
)
SELECT (SELECT b FROM banned), EXISTS (SELECT 1 FROM ins)`

// CreateSession implements persistence.SessionStore. An empty State means
// waiting and a zero CreatedAt means now. ErrNotFound when the mode does not
// exist; ErrPlayerBanned when the creator or a listed player is banned.
func (s *Store) CreateSession(ctx context.Context, ss persistence.Session) error {
	defer observe("create_session", time.Now())
	if err := checkIDs(append([]string{ss.ID, ss.CreatorID}, ss.PlayerIDs...)); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	if ss.State == "" {
		ss.State = persistence.StateWaiting
	}
	if ss.CreatedAt.IsZero() {
		ss.CreatedAt = s.stamp()
	}
	if ss.ChallengeID != "" {
		return s.createAttempt(ctx, ss)
	}
	if len(ss.MatchedPlayers) > 0 {
		return s.createMatched(ctx, ss)
	}
	return s.insertSessionRow(ctx, s.pool, ss)
}

// insertSessionRow runs createSessionSQL on q (the pool, or an attempt's
// transaction) and explains a row it did not insert.
func (s *Store) insertSessionRow(ctx context.Context, q dbtx, ss persistence.Session) error {
	var banned, inserted bool
	err := q.QueryRow(ctx, createSessionSQL,
		ss.ID, ss.Mode, string(ss.Kind), ss.JoinCode, ss.MaxPlayers, ss.CreatorID, nonNil(ss.PlayerIDs),
		string(ss.State), int64(ss.Seed), ss.Snapshot, ss.CreatedAt, nullTime(ss.StartedAt), ss.ModeVersion, //nolint:gosec // the uint64 seed is stored as its bit pattern
		ss.ChallengeID, ss.GameSeed, s.gameStartedPayload(ss)).Scan(&banned, &inserted)
	switch {
	case err != nil:
		return mapErr("create session "+ss.ID, err)
	case banned:
		return fmt.Errorf("create session %s: %w", ss.ID, persistence.ErrPlayerBanned)
	case !inserted:
		return fmt.Errorf("create session %s: %w: %w", ss.ID, persistence.ErrExists, persistence.ErrConflict)
	}
	return nil
}

// WriteGameFacts sets whether new sessions and filled matches write the
// game.started and match.formed outbox rows, which only analytics reads
// (on by default). A node with no analytics provider turns them off, so no
// game pays for a row nobody reads: the game.started insert raised
// CreateSession's mean from 0.125 to 0.203 ms in
// bench/results/2026-12-06-engagement-after.md. Call it before the store
// is used.
func (s *Store) WriteGameFacts(on bool) { s.skipGameFacts = !on }

// gameStartedPayload is the persistence.GameStartedEvent of a new session;
// nil when game facts are off.
func (s *Store) gameStartedPayload(ss persistence.Session) []byte {
	if s.skipGameFacts {
		return nil
	}
	b, _ := json.Marshal(persistence.GameStartedEvent{
		SessionID: ss.ID, Mode: ss.Mode, Kind: string(ss.Kind), ChallengeID: ss.ChallengeID,
		PlayerIDs: nonNil(ss.PlayerIDs), CreatedAt: ss.CreatedAt,
	})
	return b
}

// ClaimSession implements persistence.SessionStore.
func (s *Store) ClaimSession(ctx context.Context, id string) (persistence.Session, error) {
	defer observe("claim_session", time.Now())
	if !validID(id) {
		return persistence.Session{}, fmt.Errorf("claim session %q: %w", id, persistence.ErrNotFound)
	}
	row := s.pool.QueryRow(ctx, `UPDATE sessions SET epoch = epoch + 1 WHERE id = $1 RETURNING `+sessionColumns, id)
	return s.sessionWithResults(ctx, "claim session "+id, row)
}

// Session implements persistence.SessionStore.
func (s *Store) Session(ctx context.Context, id string) (persistence.Session, error) {
	defer observe("session", time.Now())
	if !validID(id) {
		return persistence.Session{}, fmt.Errorf("session %q: %w", id, persistence.ErrNotFound)
	}
	row := s.pool.QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id)
	return s.sessionWithResults(ctx, "session "+id, row)
}

func (s *Store) sessionWithResults(ctx context.Context, op string, row pgx.Row) (persistence.Session, error) {
	ss, err := scanSession(row)
	if err != nil {
		return persistence.Session{}, mapErr(op, err)
	}
	if ss.State != persistence.StateFinished && ss.State != persistence.StateAborted {
		return ss, nil
	}
	ss.Results, err = s.sessionResults(ctx, ss.ID)
	if err != nil {
		return persistence.Session{}, fmt.Errorf("%s: %w", op, err)
	}
	return ss, nil
}

func (s *Store) sessionResults(ctx context.Context, id string) ([]persistence.PlayerResult, error) {
	rows, err := s.pool.Query(ctx, `SELECT sp.player_id::text, coalesce(p.username, ''), sp.score, sp.hits, sp.misses,
		sp.best_combo, sp.flags, sp.reached_at, coalesce(sp.voided, ''), sp.flagged
		FROM session_players sp LEFT JOIN players p ON p.id = sp.player_id
		WHERE sp.session_id = $1 ORDER BY sp.score DESC, sp.reached_at, sp.player_id`, id)
	if err != nil {
		return nil, mapErr("session results", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (persistence.PlayerResult, error) {
		var pr persistence.PlayerResult
		err := r.Scan(&pr.PlayerID, &pr.Username, &pr.Score, &pr.Hits, &pr.Misses, &pr.BestCombo, &pr.Flags, &pr.ReachedAt, &pr.Voided, &pr.Flagged)
		return pr, err
	})
	if err != nil {
		return nil, fmt.Errorf("session results: %w", err)
	}
	return out, nil
}

func scanSession(row pgx.Row) (persistence.Session, error) {
	var ss persistence.Session
	var kind, state string
	var seed int64
	var started, ended *time.Time
	err := row.Scan(&ss.ID, &ss.Mode, &kind, &ss.JoinCode, &ss.MaxPlayers, &ss.CreatorID, &ss.PlayerIDs,
		&state, &ss.Epoch, &seed, &ss.Snapshot, &ss.CreatedAt, &started, &ended, &ss.Flagged, &ss.EndReason, &ss.ModeVersion,
		&ss.ChallengeID, &ss.GameSeed)
	if err != nil {
		return persistence.Session{}, err
	}
	ss.Kind, ss.State = persistence.SessionKind(kind), persistence.SessionState(state)
	ss.Seed = uint64(seed) //nolint:gosec // restores the uint64 bit pattern stored as bigint
	ss.StartedAt, ss.EndedAt = timeOrZero(started), timeOrZero(ended)
	return ss, nil
}

// SaveSnapshot implements persistence.SessionStore. The write is one guarded
// UPDATE; only when it matches nothing does a second read explain why. A zero
// StartedAt or nil PlayerIDs keeps the stored value.
func (s *Store) SaveSnapshot(ctx context.Context, snap persistence.Snapshot) error {
	defer observe("save_snapshot", time.Now())
	if !validID(snap.SessionID) {
		return fmt.Errorf("save snapshot %q: %w", snap.SessionID, persistence.ErrNotFound)
	}
	if err := checkIDs(snap.PlayerIDs); err != nil {
		return fmt.Errorf("save snapshot %s: %w", snap.SessionID, err)
	}
	at := snap.At
	if at.IsZero() {
		at = s.stamp()
	}
	var ids any
	if snap.PlayerIDs != nil {
		ids = snap.PlayerIDs
	}
	tag, err := s.pool.Exec(ctx, `UPDATE sessions SET snapshot = $3, state = $4,
		player_ids = coalesce($5::uuid[], player_ids), started_at = coalesce($6, started_at), snapshot_at = $7
		WHERE id = $1 AND epoch = $2 AND state NOT IN ('finished', 'aborted')`,
		snap.SessionID, snap.Epoch, snap.Data, string(snap.State), ids, nullTime(snap.StartedAt), at)
	if err != nil {
		return mapErr("save snapshot "+snap.SessionID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return s.whyNotWritten(ctx, "save snapshot "+snap.SessionID, snap.SessionID, snap.Epoch)
}

// whyNotWritten explains a guarded write that matched no row: the session is
// missing, owned by a newer epoch, or already final.
func (s *Store) whyNotWritten(ctx context.Context, op, id string, epoch int64) error {
	var stored int64
	var state string
	err := s.pool.QueryRow(ctx, `SELECT epoch, state FROM sessions WHERE id = $1`, id).Scan(&stored, &state)
	switch {
	case err != nil:
		return mapErr(op, err)
	case stored != epoch:
		return fmt.Errorf("%s: epoch %d, stored %d: %w", op, epoch, stored, persistence.ErrStaleEpoch)
	default:
		return fmt.Errorf("%s: session is %s: %w", op, state, persistence.ErrConflict)
	}
}

// SessionIDByCode implements persistence.SessionStore.
func (s *Store) SessionIDByCode(ctx context.Context, code string) (string, error) {
	defer observe("session_by_code", time.Now())
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id::text FROM sessions
		WHERE join_code = $1 AND state IN ('waiting', 'countdown')`, code).Scan(&id)
	return id, mapErr("session by join code", err)
}

// checkIDs rejects malformed UUIDs before they reach the server.
func checkIDs(ids []string) error {
	for _, id := range ids {
		if !validID(id) {
			return fmt.Errorf("malformed id %q", id)
		}
	}
	return nil
}

// nonNil turns a nil slice into an empty one for NOT NULL array columns.
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// SessionReplay implements persistence.SessionStore.
func (s *Store) SessionReplay(ctx context.Context, id string) ([]byte, error) {
	defer observe("session_replay", time.Now())
	if err := checkIDs([]string{id}); err != nil {
		return nil, fmt.Errorf("session replay: %w", err)
	}
	var replay []byte
	err := s.pool.QueryRow(ctx, `SELECT replay FROM session_replays WHERE session_id = $1`, id).Scan(&replay)
	if err != nil {
		return nil, mapErr("session replay "+id, err)
	}
	return replay, nil
}
