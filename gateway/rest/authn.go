package rest

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
)

type claimsKey struct{}

// claimsFrom returns the verified claims of an authenticated request.
func claimsFrom(ctx context.Context) (auth.Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(auth.Claims)
	return c, ok
}

// authenticate requires a valid, unrevoked Bearer access token. It guards
// the default route group, so a route is public only when registered in the
// public group. The revocation check fails closed (503) when Redis cannot
// answer: a ban or logout must never be skipped.
func (a *api) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="proofstell"`)
			writeError(w, r, a.logger, newError(http.StatusUnauthorized, CodeUnauthorized, "missing bearer token"))
			return
		}
		claims, err := a.tokens.Verify(token)
		if err == nil && a.Security.Revocation != nil {
			err = a.Security.Revocation.Check(r.Context(), claims)
		}
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="proofstell", error="invalid_token"`)
			writeError(w, r, a.logger, err)
			return
		}
		infoFrom(r.Context()).PlayerID = claims.PlayerID
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, claims)))
	})
}

// requireRole admits only callers whose token carries one of roles; the
// role was read from the database when the token was issued, so a client
// cannot choose it. Everything else is 403.
func (a *api) requireRole(roles ...persistence.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, ok := claimsFrom(r.Context())
			if !ok || !slices.Contains(roles, persistence.Role(c.Role)) {
				writeError(w, r, a.logger, newError(http.StatusForbidden, CodeForbidden, "not allowed for your role"))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// allRoles is every known role: the authenticated group requires one, so a
// token without a known role reaches no route.
var allRoles = []persistence.Role{persistence.RolePlayer, persistence.RoleModerator, persistence.RoleAdmin}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(header string) (string, bool) {
	scheme, token, found := strings.Cut(header, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// playerID is the authenticated player of r; only called behind authenticate.
func playerID(r *http.Request) string {
	c, _ := claimsFrom(r.Context())
	return c.PlayerID
}
