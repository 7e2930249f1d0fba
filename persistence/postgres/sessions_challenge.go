package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/proofstell/proofstell/persistence"
)

// challengeOpenSQL reads, under a share lock (a cancel waits for the attempt
// and the attempt for a cancel), whether the challenge is active at $2 and
// how many attempts it allows.
const challengeOpenSQL = `SELECT max_attempts, cancelled_at IS NULL AND starts_at <= $2 AND ends_at > $2
FROM challenges WHERE id = $1 FOR SHARE`

// takeAttemptSQL inserts the player's next attempt unless every attempt is
// taken (no row). Two transactions that counted the same attempts insert the
// same attempt number: the primary key lets one through and the other fails
// with a unique violation once the first commits.
const takeAttemptSQL = `INSERT INTO challenge_attempts (challenge_id, player_id, attempt, session_id, taken_at)
SELECT $1, $2::uuid, count(*) + 1, $3::uuid, $4 FROM challenge_attempts WHERE challenge_id = $1 AND player_id = $2::uuid
HAVING count(*) < $5
RETURNING attempt`

// createAttempt creates a challenge attempt's session and takes the
// creator's next attempt in one transaction (persistence.SessionStore).
func (s *Store) createAttempt(ctx context.Context, ss persistence.Session) error {
	op := fmt.Sprintf("create session %s for challenge %s", ss.ID, ss.ChallengeID)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var maxAttempts int
		var active bool
		if err := tx.QueryRow(ctx, challengeOpenSQL, ss.ChallengeID, ss.CreatedAt).Scan(&maxAttempts, &active); err != nil {
			return mapErr("read challenge", err)
		}
		if !active {
			return persistence.ErrChallengeNotActive
		}
		if err := s.insertSessionRow(ctx, tx, ss); err != nil {
			return err
		}
		return takeAttempt(ctx, tx, ss, maxAttempts)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// takeAttempt inserts the next attempt, counting again after each race it
// lost: every lost race means another attempt was taken, so it ends within
// maxAttempts tries, with a slot or ErrNoAttemptsLeft.
func takeAttempt(ctx context.Context, tx pgx.Tx, ss persistence.Session, maxAttempts int) error {
	for try := 0; try <= maxAttempts; try++ {
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error { // a savepoint: a lost race keeps the transaction usable
			var attempt int
			return sp.QueryRow(ctx, takeAttemptSQL, ss.ChallengeID, ss.CreatorID, ss.ID, ss.CreatedAt, maxAttempts).Scan(&attempt)
		})
		switch {
		case err == nil:
			return nil
		case errors.Is(err, pgx.ErrNoRows):
			return persistence.ErrNoAttemptsLeft
		case lostRace(err):
			continue
		default:
			return mapErr("take attempt", err)
		}
	}
	return persistence.ErrNoAttemptsLeft
}

// lostRace tells a lost race for an attempt number (the primary key) from
// a session id taken twice, which no retry can fix.
func lostRace(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == "challenge_attempts_pkey"
}
