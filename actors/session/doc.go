// Package session is the session grain: one whack-a-mole game, solo or a
// shared-board match, identified by its session id and placed anywhere in the
// cluster. The rules live in the pure package session/game; this actor only
// owns the state, turns messages into rule calls and events into sends, and
// hands I/O to goroutines whose results come back as messages.
//
// Phases: one explicit machine, declared whole in phases.go: the phases, the
// moves each may make, and the handler of each. The main line is loading →
// (absent → creating) → live → finishing → finished; a stored session goes
// from loading straight to live, finishing (aborted on arrival) or finished;
// the side exits create_failed, handed_off and unavailable are final. The
// rules' phases (waiting → countdown → running) all happen inside live. Every
// move goes through become, which refuses a move the machine does not declare
// (an error is logged and the session stays where it is; the package's tests
// make it panic). Messages arriving while loading or creating are held
// (bounded; overflow answered with unavailable) and replayed in order in the
// phase that follows. A message a phase does not take is counted
// (proofstell_session_unknown_messages_total{phase}) and logged at warn, which the node's
// rate-limiting handler keeps to one line per interval; late timers, snapshot
// results and leaves are dropped quietly.
//
// Takes: *cluster.ClusterInit (identity; starts hydration), protos.CreateSession,
// JoinSession, BeginSession, WhackMole, LeaveSession from player actors; its own
// tick, waitingExpired, hydrated, created, joined, snapshotSaved, committed,
// voidedRead and retryCommit messages.
// Emits: protos.ClientEvent to the players' connections (game:mole, game:hit,
// game:miss, game:state-change, game:over, ack, error), game:state-change to the
// fan-out topic "game:<id>" for spectators, committed standings to leaderboard
// grains, and finished games to the batching result writer.
//
// Joining: a JoinSession from a member re-attaches its connection (game:resume,
// or a player actor following the session to a new activation with request id
// 0): ack, then the current game:state-change (with remainingMs while running,
// startsInMs while counting down) and the moles still up. While the result of
// an ending game is being committed, a member's JoinSession is acknowledged and
// the end announcement follows. Once the game is over (in this activation or
// loaded finished), a member's JoinSession is answered with the stored
// game:over (carrying its request id) and game:state-change ended, or for an
// aborted game the state change alone; both end the binding. A JoinSession
// with resume set from someone who is not a participant is answered exactly
// as an unknown session (session_not_found), whatever the phase, so a resume
// cannot reveal that a session exists. A CreateSession reaching an existing
// session from one of its players (the player actor repeats a request whose
// activation died unanswered) re-attaches like a resume.
//
// Joining a waiting match takes the seat in Postgres first
// (Store.JoinSession, off the mailbox): the store refuses a banned account
// (error account_banned), as CreateSession does for a banned creator, so the
// game path holds against bans whatever state Redis or a token is in.
//
// Challenges: a CreateSession with a challenge_id (solo only) reads the
// challenge off the mailbox (Deps.Challenges) and plays its rules, never the
// mode's; the store takes the attempt with the row (errors
// challenge_not_found, challenge_not_active, no_attempts_left), and the ack
// carries challengeId and attemptsLeft. A re-activation reads the
// challenge's rules again through the row's challenge_id. Its result goes to
// the challenge's board only and moves no rating (GameResult.ChallengeID).
//
// Lobbies: a match still waiting GAME_WAITING_TIMEOUT (Config.WaitingTimeout)
// after its stored creation time is aborted (reason lobby_expired), whether
// its own timer fires, a join arrives after the deadline, or the grain is
// re-activated after a crash past the deadline (an orphaned lobby is closed
// before it can be joined: the join gets session_not_found). Lobbies no
// grain ever activates again are closed by the scheduler's sweep
// (Store.ExpireLobbies).
//
// Aborted and voided: an aborted game commits its end and reason and every
// player voided with no score, no outbox row. A commit answered
// CommittedVoided (a player was banned when it was committed), or
// AlreadyCommitted (a retry, which cannot say what was voided), is read back
// (voidedRead) and announced as stored: voided players are left out of
// game:over and of the standings offered to boards; a game voided whole ends
// with reason "banned".
//
// Flagged: a player the rules flagged, or whose game the consistency
// detector finds inhuman at finish (actors/session/detector, reason
// suspicious_consistency; judged from the game alone, no I/O)
// (PlayerResult.Flagged, with the game's Evidence for review) is committed
// like the others, with standing
// candidates, which the store holds with the player's flag; the session
// offers live boards only the unflagged players' standings and lists only
// them in game.finished (flaggedPlayers names the rest). game:over's
// "flagged" says the game holds a flagged result.
//
// Surviving a lost activation: the node hosting the grain may die, or the
// cluster may move the grain (its activation is stopped). The next activation
// restores the last snapshot; for a game counting down or running it measures
// the outage from the game's clock (the last time the game saw) to Deps.Now:
//   - within Config.ResumeWindow the outage becomes a pause (game.Resume): the
//     game goes on with the same time left and the same mole schedule, and
//     whacks stamped during the pause are judged at the instant it resumed;
//   - beyond it the game ends as aborted, reason "aborted", recording nothing
//     (no stats, no leaderboard entry): it could not have been played fairly.
//
// Counted in proofstell_session_resumed_total{outcome="resumed|aborted"}. An activation of
// a game in play that is stopped writes a last snapshot on Stopping, after any
// periodic write still in flight and epoch-guarded like every write, and waits
// for it (at most 2 s) before it lets go: its players re-resolve the session
// the moment it terminates, and the next activation must find that snapshot.
// Deps.Flush (optional) lets the node wait for these writes before it closes
// its stores (proofstell_session_final_snapshots_total{outcome}).
//
// Graceful hand-off: Local (Deps.Local) tracks the node's activations; a node
// leaving the cluster calls Local.HandOff first, which sends each a handOff.
// A game in play ticks up to now, writes its snapshot and freezes (no ticks,
// every later message dropped) until the node stops it, so the next
// activation continues exactly where the game froze.
//
// Invariants:
//   - Postgres is the truth: the grain claims an ownership epoch with its first
//     message (a creation's INSERT at epoch 1 is that claim: one statement per
//     new game) and every write carries it; a stale epoch stops the grain
//     without writing. Periodic snapshots go through the node's snapshot
//     writer (Deps.Snapshots), batched per tick but answered one by one.
//   - game:over is sent only after the result is committed; a commit is retried
//     until it succeeds, so a finished game is never lost, and the commit is
//     idempotent (a finished session is never committed twice).
//   - A resumed game never loses playing time to an outage and never moves its
//     clock backwards; an aborted one never reaches a leaderboard.
//   - Nothing blocks the mailbox: no store call inside Receive. The one
//     exception is Stopping, bounded, described above.
//   - The game's 32-byte seed (Deps.Seed, stored with the session) decides
//     every mole; acks carry only its commitment and game:over is the first
//     frame to carry the seed (docs/FAIRNESS.md).
//
// Supervision: default (restart). A restart loses in-memory state and the
// restarted actor receives no ClusterInit, so it stops itself; the next message
// activates a fresh grain that resumes from the last snapshot.
package session
