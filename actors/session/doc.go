// Package session is the session grain: one whack-a-mole game, solo or a
// shared-board match, identified by its session id and placed anywhere in the
// cluster. The rules live in the pure package session/game; this actor only
// owns the state, turns messages into rule calls and events into sends, and
// hands I/O to goroutines whose results come back as messages.
//
// Phases (Behavior.Become): loading → (absent → creating) → live → finishing →
// finished. Messages arriving while loading or creating are stashed (bounded;
// overflow answered with unavailable) and replayed in order.
//
// Takes: *cluster.ClusterInit (identity; starts hydration), protos.CreateSession,
// JoinSession, BeginSession, WhackMole, LeaveSession from player actors; its own
// tick, hydrated, created, snapshotSaved, committed and retryCommit messages.
// Emits: protos.ClientEvent to the players' connections (game:mole, game:hit,
// game:miss, game:state-change, game:over, ack, error), game:state-change to the
// fan-out topic "game:<id>" for spectators, committed standings to leaderboard
// grains, and finished games to the batching result writer.
//
// Invariants:
//   - Postgres is the truth: the grain claims an ownership epoch on activation
//     and every write carries it; a stale epoch stops the grain without writing.
//   - game:over is sent only after the result is committed; a commit is retried
//     until it succeeds, so a finished game is never lost, and the commit is
//     idempotent (a finished session is never committed twice).
//   - Nothing blocks the mailbox: no store call inside Receive.
//
// Supervision: default (restart). A restart loses in-memory state and the
// restarted actor receives no ClusterInit, so it stops itself; the next message
// activates a fresh grain that resumes from the last snapshot.
package session
