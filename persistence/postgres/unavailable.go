package postgres

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/proofstell/proofstell/persistence"
)

// unreachableError is a failure to reach PostgreSQL: the dial failed, or the
// connection's socket failed under the driver. It keeps the cause's text and
// chain and adds persistence.ErrUnavailable, so every store error built on it
// with %w answers errors.Is(err, persistence.ErrUnavailable), whichever
// store method and wrapping it went through.
type unreachableError struct{ cause error }

// Error is the cause's text.
func (e *unreachableError) Error() string { return e.cause.Error() }

// Unwrap yields the cause and persistence.ErrUnavailable.
func (e *unreachableError) Unwrap() []error { return []error{e.cause, persistence.ErrUnavailable} }

// markUnreachable wraps err as an unreachableError, except for timeouts:
// pgx turns an expired deadline into the context's own error, and a slow
// query is not an outage.
func markUnreachable(err error) error {
	var netErr net.Error
	if err == nil || (errors.As(err, &netErr) && netErr.Timeout()) {
		return err
	}
	return &unreachableError{cause: err}
}

// dialMarked wraps pgx's dialer: a failed dial, and every later read or
// write failure of the connection, carries persistence.ErrUnavailable.
func dialMarked(dial pgconn.DialFunc) pgconn.DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, markUnreachable(err)
		}
		return markedConn{Conn: c}, nil
	}
}

// markedConn marks its socket's read and write failures (see dialMarked).
// io.EOF is marked too: a server that closes the connection is gone.
type markedConn struct{ net.Conn }

// Read marks a failed read.
func (c markedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	return n, markUnreachable(err)
}

// Write marks a failed write.
func (c markedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	return n, markUnreachable(err)
}

// serverGone reports PostgreSQL errors that mean the server is going away
// or cannot take connections: class 08 (connection exception) and 57P01–03
// (admin shutdown, crash shutdown, cannot connect now). A pooled connection
// that was idle when the server shut down returns one of these once.
func serverGone(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	switch {
	case strings.HasPrefix(pgErr.Code, "08"):
		return true
	case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
		return true
	}
	return false
}
