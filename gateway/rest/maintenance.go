package rest

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/proofstell/proofstell/actors/player"
)

// maintenanceOpen are the writes maintenance mode lets through besides
// /admin/*: signing in and keeping a session (so players and admins can
// still reach the reads and the admins the switch), and signing out.
var maintenanceOpen = map[string]bool{
	authPrefix + "login":                     true,
	authPrefix + "guest":                     true,
	authPrefix + "refresh":                   true,
	authPrefix + "logout":                    true,
	authPrefix + "logout-all":                true,
	authPrefix + "wallet/starknet/challenge": true,
	authPrefix + "wallet/starknet/verify":    true,
	authPrefix + "wallet/stellar/challenge":  true,
	authPrefix + "wallet/stellar/verify":     true,
}

// refuseInMaintenance answers every REST write (POST, PUT, PATCH, DELETE)
// with 503 maintenance and a Retry-After while maintenance mode is on,
// except the admin routes and maintenanceOpen. Reads keep working.
func (a *api) refuseInMaintenance(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := a.current()
		if !ok || !s.Maintenance.Enabled || !isWrite(r.Method) || maintenanceExempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		retry := maintenanceRetryAfter
		if u := s.Maintenance.Until; u != nil && u.After(a.now()) {
			retry = u.Sub(a.now())
		}
		w.Header().Set("Retry-After", strconv.FormatInt(max(1, int64(math.Ceil(retry.Seconds()))), 10))
		details := map[string]any{"until": nil}
		if u := s.Maintenance.Until; u != nil {
			details["until"] = u.UTC().Format(time.RFC3339)
		}
		writeError(w, r, a.logger, &apiError{Status: http.StatusServiceUnavailable, Code: CodeMaintenance,
			Message: player.MaintenanceMessage(s.Maintenance.Message), Details: details})
	})
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func maintenanceExempt(path string) bool {
	return strings.HasPrefix(path, apiPrefix+"/admin/") || maintenanceOpen[path]
}

// registrationOpen refuses a sign-up while the admins closed
// registration (403 registration_closed).
func (a *api) registrationOpen() error {
	if s, ok := a.current(); ok && !s.Registration.Open {
		return newError(http.StatusForbidden, CodeRegistrationClosed, "registration is closed")
	}
	return nil
}
