package player

import (
	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/internal/settings"
)

// runtime is the node's runtime settings; ok is false without them.
func (a *Actor) runtime() (settings.Settings, bool) {
	if a.deps.Settings == nil {
		return settings.Settings{}, false
	}
	return a.deps.Settings(), true
}

// inMaintenance answers requestID with the maintenance error while
// maintenance mode is on: no new game, match or queue starts then.
// Running games are not touched.
func (a *Actor) inMaintenance(requestID int64) bool {
	s, ok := a.runtime()
	if !ok || !s.Maintenance.Enabled {
		return false
	}
	commandsRejected.WithLabelValues(events.CodeMaintenance).Inc()
	// No retry hint: the socket was sent system:maintenance with the
	// announced end, and another when maintenance ends.
	e := events.Error{Code: events.CodeMaintenance, Message: MaintenanceMessage(s.Maintenance.Message)}
	a.conn.Send(Frame{Type: events.TypeError, ID: requestID, Data: events.Encode(e)})
	return true
}

// maintenanceOn reports whether maintenance mode is on.
func (a *Actor) maintenanceOn() bool {
	s, ok := a.runtime()
	return ok && s.Maintenance.Enabled
}

// MaintenanceMessage is what a refused client is told: the admins'
// message, or a default.
func MaintenanceMessage(m string) string {
	if m == "" {
		return "the server is under maintenance, try again later"
	}
	return m
}

// announceMaintenance tells a connection that opens during maintenance
// mode what the other sockets were told when it began.
func (a *Actor) announceMaintenance() {
	if s, ok := a.runtime(); ok && s.Maintenance.Enabled {
		a.conn.Send(Frame{Type: events.TypeSystemMaintenance, Data: MaintenanceFrame(s)})
	}
}

// MaintenanceFrame is the system:maintenance payload of s.
func MaintenanceFrame(s settings.Settings) []byte {
	return events.Encode(events.Maintenance{Enabled: s.Maintenance.Enabled, Message: s.Maintenance.Message,
		Until: s.Maintenance.Until})
}

// defaultMode is the mode of a game:start that names none.
func (a *Actor) defaultMode() string {
	if s, ok := a.runtime(); ok {
		return s.Games.DefaultMode
	}
	return ""
}

// challengesOn reports whether challenge attempts may start (settings
// features.challenges). Only new attempts are refused: a running attempt
// is a game like any other and finishes and is recorded.
func (a *Actor) challengesOn() bool {
	s, ok := a.runtime()
	return !ok || s.Features.Challenges
}
