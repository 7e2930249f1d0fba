package rest

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// writeJSON writes v with status. Response types here always encode, so an
// encoding failure can only be a broken connection, which nobody can be told.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", slog.Any("error", err))
	}
}

// handlerFunc is a handler that reports failure by returning an error, so
// error mapping happens once, in writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h to http.HandlerFunc.
func (a *api) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			writeError(w, r, a.logger, err)
		}
	}
}

// optionalTime renders a zero time as null: "not yet" rather than year 1.
func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
