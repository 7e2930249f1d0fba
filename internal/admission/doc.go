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
// a sample below ResumeAt grows it while it is in use; in between it holds.
// Growth is fast, up to a quarter a sample in proportion to the headroom
// left under ResumeAt, while the limit is below 90 % of the highest level
// a cut was made at (fading by half every ten seconds): a limit cut deep by
// a transient, a burst of sign-ins, is back in seconds. Past that level it
// creeps by a twentieth a sample, probing for more instead of overshooting
// a capacity the node has just shown. A new game is shed when the active games
// reach the limit, so games are admitted as running ones end, at the rate
// the node sustains.
//
// # Retry hint: a return time
//
// Every refused client comes back after its hint, so a hint shorter than
// the line ahead of it only buys refusals (6,000 clients waiting for 700
// places a second with a 1 s hint: 6,000 busy answers a second), and one
// longer leaves the node idle while they wait. The hint is therefore a
// return time, like a ticket at a counter: each shed client is promised a
// time one step after the last one promised, the step paced at 1.25× the
// node's admission rate (averaged over about two seconds; its peak is
// remembered with a ten-second half-life, so a transient cut of the limit
// does not slow the returns). No return is promised sooner than RetryAfter
// from now or later than MaxRetryAfter: past that horizon the node cannot
// forecast when it has room. The model test (model_test.go) runs the door
// in a closed loop with 1× and 4× the clients a node takes.
//
// # Metrics
//
// proofstell_admission_admitted_total, proofstell_admission_shed_total{reason}, proofstell_admission_pressure,
// proofstell_admission_shedding, proofstell_admission_limit, proofstell_admission_signal{signal},
// proofstell_admission_opening, proofstell_admission_active and proofstell_admission_return_rate (the pace
// of the return times handed out).
package admission
