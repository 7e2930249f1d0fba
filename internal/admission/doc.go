// Package admission decides at the door whether this node takes a new game.
//
// Past capacity a node that keeps accepting games makes every game slow:
// session creations queue behind the PostgreSQL pool, the server's core
// runs goroutines late, and games already running miss their latency
// budget. A Controller measures the node's pressure and sheds new games
// (game:start, game:create, game:join) with a retry hint instead; messages
// of a game already running are never refused here.
//
// # Pressure
//
// Pressure is the largest of the node's signals, each a fraction of its
// limit (1 means at the limit):
//
//   - opening: games admitted whose session has not answered yet, over
//     Options.MaxOpening. By Little's law this grows with the time a session
//     takes to open, the first thing to stretch when the stores lag.
//   - active: games this node's connections play, over Options.MaxActive
//     (the MAX_ACTIVE_GAMES cap; 0 disables it).
//   - any Signal given in Options.Signals: SchedLatency (the Go scheduler's
//     run-queue delay, i.e. how late goroutines run on a saturated CPU) and
//     MeanWait (the PostgreSQL pool's mean acquire wait).
//
// The opening and active counts are also hard caps checked on every Admit,
// so a burst cannot overshoot them between two samples.
//
// Each signal is smoothed (a moving average, Options.Smoothing) so one
// spike, a GC cycle or a burst of sign-ins, does not shed.
//
// # Adaptive limit and hysteresis
//
// Turning the door fully off and on makes waves: every shed client comes
// back at once when it reopens. Instead a sample at or past ShedAt cuts a
// limit on active games to 90 % of those running (never below MinLimit);
// a sample below ResumeAt grows it by 5 % while it is in use; in between it
// holds. A new game is shed when the active games reach the limit, so games
// are admitted as running ones end, at the rate the node sustains.
//
// # Retry hint
//
// Every refused client comes back after its hint, so a hint shorter than
// the queue ahead of it only buys refusals: with 6,000 clients waiting for
// 700 places a second, a 1 s hint costs 6,000 busy answers a second. The
// base hint therefore follows the demand turned away: each sample it grows
// while more than two games are refused per admitted one and shrinks back
// to RetryAfter as refusals fall (never past MaxRetryAfter). The hint sent
// is the base times pressure, spread from half to one and a half times
// that, so rejected clients do not come back in one wave.
//
// # Metrics
//
// admission_admitted_total, admission_shed_total{reason}, admission_pressure,
// admission_shedding, admission_limit, admission_signal{signal},
// admission_opening and admission_active.
package admission
