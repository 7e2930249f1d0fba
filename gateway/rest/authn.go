package rest

import (
	"context"
	"net/http"
	"strings"

	"github.com/proofstell/proofstell/gateway/auth"
)

type claimsKey struct{}

// claimsFrom returns the verified claims of an authenticated request.
func claimsFrom(ctx context.Context) (auth.Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(auth.Claims)
	return c, ok
}

// authenticate requires a valid Bearer access token. It guards the default
// route group, so a route is public only when registered in the public group.
func (a *api) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="proofstell"`)
			writeError(w, r, a.logger, newError(http.StatusUnauthorized, CodeUnauthorized, "missing bearer token"))
			return
		}
		claims, err := a.tokens.Verify(token)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="proofstell", error="invalid_token"`)
			writeError(w, r, a.logger, err)
			return
		}
		infoFrom(r.Context()).PlayerID = claims.PlayerID
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, claims)))
	})
}

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
