package rest

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// Export bounds: a range is at most maxExportRange long; an export may
// stream for exportBudget (not the REST request timeout), and a client
// that stops reading for exportWriteWindow is cut off. At most
// maxConcurrentExports run on a node (each holds a database connection
// for its whole length); more answer 429 (overflow policy: reject).
const (
	maxExportRange       = 366 * 24 * time.Hour
	exportBudget         = 10 * time.Minute
	exportWriteWindow    = time.Minute
	maxConcurrentExports = 2
	// exportFlushRows is how many rows go out per flush: small enough that
	// the client sees progress, large enough to fill a TCP segment or more.
	exportFlushRows = 256
	// exportsPath prefixes the export routes (requestBudget).
	exportsPath = "/api/v1/admin/exports/"
)

// players.csv and results.csv columns, in order (docs/OPERATIONS.md).
var (
	playersCSVHeader = []string{"id", "username", "display_name", "role", "created_at", "banned_at",
		"email", "email_verified", "wallets", "games_played", "best_score"}
	resultsCSVHeader = []string{"session_id", "mode", "kind", "challenge_id", "started_at", "ended_at",
		"player_id", "username", "score", "hits", "misses", "best_combo", "flags", "flag_status", "voided"}
)

// requestBudget is withTimeout(d) for every route but the exports, which
// get exportBudget: they stream a range for longer than any other request.
func requestBudget(d time.Duration) func(http.Handler) http.Handler {
	short, long := withTimeout(d), withTimeout(exportBudget)
	return func(next http.Handler) http.Handler {
		s, l := short(next), long(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, exportsPath) {
				l.ServeHTTP(w, r)
				return
			}
			s.ServeHTTP(w, r)
		})
	}
}

// exportPlayers streams players.csv: the players created in [from, to).
func (a *api) exportPlayers(w http.ResponseWriter, r *http.Request) error {
	return a.exportCSV(w, r, "players", playersCSVHeader, func(ctx context.Context, rng persistence.ExportRange, emit func([]string) error) error {
		return a.Stats.Store.ExportPlayers(ctx, rng, func(p persistence.ExportedPlayer) error {
			return emit([]string{p.ID, cell(p.Username), cell(p.DisplayName), string(p.Role), csvTime(p.CreatedAt),
				csvTime(p.BannedAt), cell(p.Email), strconv.FormatBool(p.EmailVerified), strconv.Itoa(p.Wallets),
				strconv.FormatInt(p.GamesPlayed, 10), strconv.FormatInt(p.BestScore, 10)})
		})
	})
}

// exportResults streams results.csv: the results of the games finished
// in [from, to).
func (a *api) exportResults(w http.ResponseWriter, r *http.Request) error {
	return a.exportCSV(w, r, "results", resultsCSVHeader, func(ctx context.Context, rng persistence.ExportRange, emit func([]string) error) error {
		return a.Stats.Store.ExportResults(ctx, rng, func(x persistence.ExportedResult) error {
			return emit([]string{x.SessionID, x.Mode, string(x.Kind), x.ChallengeID, csvTime(x.StartedAt),
				csvTime(x.EndedAt), x.PlayerID, cell(x.Username), strconv.FormatInt(x.Score, 10), strconv.Itoa(x.Hits),
				strconv.Itoa(x.Misses), strconv.Itoa(x.BestCombo), strconv.Itoa(x.Flags), string(x.FlagStatus), x.Voided})
		})
	})
}

// exportRun streams one export's rows through emit.
type exportRun func(ctx context.Context, rng persistence.ExportRange, emit func([]string) error) error

// exportCSV validates the range, takes an export slot and streams the
// header and rows as RFC 4180 CSV, flushing every exportFlushRows rows.
// A failure before the first byte left answers in the error shape; after
// it, the response is aborted so the client sees a broken transfer rather
// than a file that looks complete.
func (a *api) exportCSV(w http.ResponseWriter, r *http.Request, name string, header []string, run exportRun) error {
	if a.Stats.Store == nil {
		return fmt.Errorf("export %s: %w", name, errNotConfigured)
	}
	rng, err := parseExportRange(r)
	if err != nil {
		return err
	}
	select {
	case a.exports <- struct{}{}:
		defer func() { <-a.exports }()
	default:
		w.Header().Set("Retry-After", "10")
		return newError(http.StatusTooManyRequests, CodeRateLimited, "too many exports running; retry shortly")
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	h.Set("Cache-Control", "no-store")
	out := newCSVStream(w)
	err = out.write(header)
	if err == nil {
		err = run(r.Context(), rng, out.write)
	}
	if err == nil {
		err = out.flush()
	}
	if err == nil {
		return nil
	}
	if !out.sent.any {
		h.Del("Content-Disposition")
		h.Del("Cache-Control")
		return fmt.Errorf("export %s: %w", name, err)
	}
	a.logger.WarnContext(r.Context(), "export aborted", slog.String("export", name),
		slog.String("request_id", requestID(r.Context())), slog.Int("rows", out.rows), slog.Any("error", err))
	panic(http.ErrAbortHandler)
}

// parseExportRange reads from and to (RFC 3339, from before to, at most
// maxExportRange apart).
func parseExportRange(r *http.Request) (persistence.ExportRange, error) {
	q := r.URL.Query()
	var rng persistence.ExportRange
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &rng.From}, {"to", &rng.To}} {
		t, err := time.Parse(time.RFC3339, q.Get(p.name))
		if err != nil {
			return rng, badRequest(p.name+" must be an RFC 3339 time", p.name)
		}
		*p.dst = t.UTC()
	}
	if !rng.From.Before(rng.To) {
		return rng, badRequest("from must be before to", "to")
	}
	if rng.To.Sub(rng.From) > maxExportRange {
		return rng, badRequest("the range must be at most 366 days", "to")
	}
	return rng, nil
}

// csvStream writes CSV rows to a response, flushing as it goes.
type csvStream struct {
	sent *sentWriter
	csv  *csv.Writer
	rc   *http.ResponseController
	rows int
}

// sentWriter records whether any byte reached the response.
type sentWriter struct {
	w   io.Writer
	any bool
}

func (s *sentWriter) Write(p []byte) (int, error) {
	s.any = true
	return s.w.Write(p)
}

func newCSVStream(w http.ResponseWriter) *csvStream {
	sent := &sentWriter{w: w}
	return &csvStream{sent: sent, csv: csv.NewWriter(sent), rc: http.NewResponseController(w)}
}

// write adds one row; every exportFlushRows rows it flushes.
func (s *csvStream) write(row []string) error {
	if err := s.csv.Write(row); err != nil {
		return fmt.Errorf("write csv row: %w", err)
	}
	if s.rows++; s.rows%exportFlushRows == 0 {
		return s.flush()
	}
	return nil
}

// flush sends the buffered rows and gives the client exportWriteWindow
// more to take them (a write deadline is wall-clock network time, hence
// time.Now rather than the injected clock).
func (s *csvStream) flush() error {
	s.csv.Flush()
	if err := s.csv.Error(); err != nil {
		return fmt.Errorf("flush csv: %w", err)
	}
	if err := s.rc.SetWriteDeadline(time.Now().Add(exportWriteWindow)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("extend write deadline: %w", err)
	}
	if err := s.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("flush response: %w", err)
	}
	return nil
}

// csvTime renders t in RFC 3339 UTC; the zero time is an empty cell.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// cell neutralizes a player-chosen text that a spreadsheet would run as a
// formula (=, +, -, @, tab or carriage return first) by prefixing a
// quote; encoding/csv does the RFC 4180 quoting of commas, quotes and
// newlines.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
