package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/internal/testbin"
)

// settingsWithin is how soon every member enforces a runtime settings
// change after the writing member answered: each hears the change's NOTIFY,
// and polls the stored version every second (settings.PollInterval) for a
// missed one.
const settingsWithin = time.Second

// maintenanceState is the payload of system:maintenance and the
// maintenance object of /health/ready.
type maintenanceState struct {
	Enabled bool   `json:"enabled"`
	Message string `json:"message"`
}

// TestCluster_MaintenanceReachesEveryMember: an admin turns maintenance on
// at one member, and within a second the other member tells its socket
// (system:maintenance), refuses a new game with code maintenance and
// reports it in its readiness body; turning it off reaches that member
// just as fast, and games start there again.
func TestCluster_MaintenanceReachesEveryMember(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 2 members")
	}
	t.Parallel()
	g := startAutomanaged(t, 2)
	writer, other := g.members[0], g.members[1]
	admin := g.grantAdmin(t, writer, "cluster-maint-admin")
	ws := dial(t, other, guest(t, other, "cluster-maint-player"))
	ws.mustCall(t, "ping", map[string]any{}, nil) // the socket's player is attached before the change

	answered := patchSettings(t, writer, admin.token, `{"maintenance":{"enabled":true,"message":"Back soon"}}`)
	seen := awaitMaintenance(t, ws, time.Until(answered.Add(settingsWithin)))
	require.Equal(t, maintenanceState{Enabled: true, Message: "Back soon"}, seen)
	refused := ws.call("game:start", map[string]string{"mode": modeShort}, nil)
	require.ErrorContains(t, refused, `"code":"maintenance"`)
	require.Equal(t, &maintenanceState{Enabled: true, Message: "Back soon"}, readiness(t, other))

	answered = patchSettings(t, writer, admin.token, `{"maintenance":{"enabled":false}}`)
	seen = awaitMaintenance(t, ws, time.Until(answered.Add(settingsWithin)))
	require.False(t, seen.Enabled)
	ws.mustCall(t, "game:start", map[string]string{"mode": modeShort}, nil)
	require.Nil(t, readiness(t, other))
}

// awaitMaintenance waits up to within for the socket's next
// system:maintenance and returns its payload.
func awaitMaintenance(t testing.TB, s *socket, within time.Duration) maintenanceState {
	t.Helper()
	f, err := s.await(within, func(f wsclient.Frame) bool { return f.T == "system:maintenance" })
	require.NoError(t, err, "system:maintenance on %s", s.member.name)
	var got maintenanceState
	require.NoError(t, json.Unmarshal(f.D, &got))
	return got
}

// readiness is m's /health/ready maintenance report (nil when off).
func readiness(t testing.TB, m *member) *maintenanceState {
	t.Helper()
	var ready struct {
		Maintenance *maintenanceState `json:"maintenance"`
	}
	status, err := getJSON(m, "/api/v1/health/ready", "", &ready)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, status, "a member in maintenance stays ready")
	return ready.Maintenance
}

// patchSettings PATCHes the runtime settings at m as admin and returns
// when the answer (200) arrived.
func patchSettings(t testing.TB, m *member, token, patch string) time.Time {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyWithin)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, m.base+"/api/v1/admin/settings", bytes.NewBufferString(patch))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	answered := time.Now()
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode, "PATCH settings at %s", m.name)
	return answered
}

// grantAdmin signs a guest in at m, makes it admin with the binary's
// `proofstell admin grant` against the group's database, as an operator
// would, and signs it in again for a token that carries the role.
func (g *group) grantAdmin(t testing.TB, m *member, device string) player {
	t.Helper()
	p := guest(t, m, device)
	cmd := exec.Command(testbin.Require(t), "admin", "grant", "--player", p.id, "--role", "admin")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+g.dbURL)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "admin grant: %s", out)
	require.Contains(t, string(out), fmt.Sprintf("player %s (guest ", p.id))
	return guest(t, m, device)
}
