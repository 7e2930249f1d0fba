package config

import "time"

// Matchmaking configures the matchmaker grains (one per mode, issue #15):
// how often they form matches and how their skill window widens.
type Matchmaking struct {
	// TickInterval is how often a matchmaker tries to form matches.
	TickInterval time.Duration
	// StatusInterval is how often waiting players get matchmaking:status.
	StatusInterval time.Duration
	// WindowStart, WindowPerSecond and WindowMax are the skill window
	// curve: a ticket that has waited w seconds accepts opponents within
	// min(WindowStart + WindowPerSecond·w, WindowMax) rating points.
	WindowStart     float64
	WindowPerSecond float64
	WindowMax       float64
	// MaxTickets bounds the tickets one mode's queue holds (overflow:
	// reject the join with busy).
	MaxTickets int
	// ReadyTimeout bounds how long a matched player waits for the host to
	// open the session before it is queued again; twice it bounds the wait
	// for every member to join (then the lobby is left and the tickets
	// queued again).
	ReadyTimeout time.Duration
}

func defaultMatchmaking() Matchmaking {
	return Matchmaking{TickInterval: 500 * time.Millisecond, StatusInterval: 5 * time.Second,
		WindowStart: 3, WindowPerSecond: 1, WindowMax: 50, MaxTickets: 10_000, ReadyTimeout: 10 * time.Second}
}

func (c Config) validateMatchmaking(p *problems) {
	m := c.Matchmaking
	p.between("MATCHMAKING_TICK_INTERVAL", m.TickInterval, 10*time.Millisecond, time.Minute)
	p.between("MATCHMAKING_STATUS_INTERVAL", m.StatusInterval, 100*time.Millisecond, 10*time.Minute)
	p.between("MATCHMAKING_READY_TIMEOUT", m.ReadyTimeout, 100*time.Millisecond, 10*time.Minute)
	p.count("MATCHMAKING_MAX_TICKETS", int64(m.MaxTickets), 1, 10_000_000)
	if m.WindowStart < 0 || m.WindowPerSecond < 0 || m.WindowMax < m.WindowStart {
		p.add("MATCHMAKING_WINDOW_MAX", "the window must satisfy 0 <= MATCHMAKING_WINDOW_START <= MATCHMAKING_WINDOW_MAX and MATCHMAKING_WINDOW_PER_SECOND >= 0, got %g, %g, %g",
			m.WindowStart, m.WindowPerSecond, m.WindowMax)
	}
}
