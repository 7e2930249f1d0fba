package rest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// newAuditHarness is the security harness with the audit log wired.
func newAuditHarness(t *testing.T) *secHarness {
	t.Helper()
	return newSecHarness(t, func(d *Deps) {
		d.Audit = AuditDeps{Log: d.Security.Admin.(persistence.AuditLog)}
		d.Badges = BadgeDeps{Store: d.Security.Admin.(persistence.BadgeStore)}
	})
}

// TestAudit_AdminActionIsListed: an admin's action through the API is in
// the log with who did it, from where and under which request id; only
// admins read the log.
func TestAudit_AdminActionIsListed(t *testing.T) {
	t.Parallel()
	h := newAuditHarness(t)
	player := signIn(t, h.harness, "device-audit-player")
	mod := h.withRole(t, "device-audit-mod", persistence.RoleModerator)
	admin := h.withRole(t, "device-audit-admin", persistence.RoleAdmin)
	for _, tok := range []string{player.AccessToken, mod.AccessToken} {
		requireError(t, h.get(t, "/api/v1/admin/audit", tok), http.StatusForbidden, CodeForbidden)
	}
	requireError(t, h.get(t, "/api/v1/admin/audit", ""), http.StatusUnauthorized, CodeUnauthorized)

	w := h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + player.Player.ID,
		Token: admin.AccessToken, Body: `{"role":"moderator"}`, Header: map[string]string{"X-Request-ID": "req-audit-rest"}})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	w = h.get(t, "/api/v1/admin/audit?actorId="+admin.Player.ID, admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[auditResponse](t, w)
	require.Len(t, got.Entries, 1, "the seeding's role changes were the system's, not the admin's")
	e := got.Entries[0]
	require.Equal(t, persistence.ActionPlayerRole, e.Action)
	require.Equal(t, "player", e.TargetKind)
	require.Equal(t, player.Player.ID, e.TargetID)
	require.Equal(t, "player", e.Actor.Kind)
	require.NotNil(t, e.Actor.PlayerID)
	require.Equal(t, admin.Player.ID, *e.Actor.PlayerID)
	require.Equal(t, "admin", e.Actor.Role)
	require.Equal(t, "req-audit-rest", e.RequestID)
	require.Equal(t, "192.0.2.1", e.ClientIP, "httptest's peer address")
	require.JSONEq(t, `{"role":"player"}`, string(e.Before))
	require.JSONEq(t, `{"role":"moderator"}`, string(e.After))
	require.Empty(t, got.NextCursor)
}

// TestAudit_ListFiltersAndCursor: the query parameters narrow the listing,
// the cursor pages it newest first, and bad parameters are 400s.
func TestAudit_ListFiltersAndCursor(t *testing.T) {
	t.Parallel()
	h := newAuditHarness(t)
	admin := h.withRole(t, "device-audit-admin2", persistence.RoleAdmin)
	var ids []string
	for _, slug := range []string{"audit-one", "audit-two", "audit-three"} {
		w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/badges", Token: admin.AccessToken,
			Body: `{"slug":"` + slug + `","name":"Audit","rarity":"epic","points":7,"category":"skill",
				"criteria":{"n":5,"kind":"longest_combo"}}`})
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
		ids = append(ids, decode[badgeJSON](t, w).ID)
	}
	list := func(query string) auditResponse {
		t.Helper()
		w := h.get(t, "/api/v1/admin/audit?"+query, admin.AccessToken)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		return decode[auditResponse](t, w)
	}
	require.Len(t, list("action=badge.create").Entries, 3)
	require.Empty(t, list("action=badge.delete").Entries)
	one := list("targetKind=badge&targetId=" + ids[1])
	require.Len(t, one.Entries, 1)
	require.Equal(t, ids[1], one.Entries[0].TargetID)
	at := func(d time.Duration) string { return url.QueryEscape(testNow.Add(d).Format(time.RFC3339)) }
	require.Len(t, list("action=badge.create&from="+at(-time.Hour)+"&to="+at(time.Second)).Entries, 3,
		"the store's clock stamps the entries")
	require.Empty(t, list("action=badge.create&from="+at(time.Second)).Entries)

	var walked []string
	q := "action=badge.create&limit=2"
	for {
		page := list(q)
		for _, e := range page.Entries {
			walked = append(walked, e.TargetID)
		}
		if page.NextCursor == "" {
			break
		}
		q = "action=badge.create&limit=2&cursor=" + url.QueryEscape(page.NextCursor)
	}
	require.Equal(t, []string{ids[2], ids[1], ids[0]}, walked, "newest first, no gap or repeat across pages")

	for _, bad := range []string{"actorId=nobody", "action=DROP%20TABLE", "targetId=x", "from=yesterday",
		"from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "cursor=%21%21", "limit=0"} {
		requireError(t, h.get(t, "/api/v1/admin/audit?"+bad, admin.AccessToken), http.StatusBadRequest, CodeBadRequest)
	}
}
