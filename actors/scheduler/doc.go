// Package scheduler is the job actor of the "scheduler" cluster singleton
// (persistence.SchedulerLease, run by actors/runtime/singleton.Runner on exactly one
// node). It closes every ranked mode's leaderboard periods at their UTC
// rollover and freezes them for the chain, and runs the challenge jobs (the
// daily challenge's generation, challenge starts and ends), each idempotent
// by its key or challenge id.
//
// # Messages taken
//
//   - *Tick (own timer every Deps.TickInterval, the first at once; tests send
//     it after moving Deps.Now): works out which daily, weekly and monthly
//     periods of each known ranked mode ended since the previous tick and
//     closes each one not already being closed, then lists the modes again
//     (Deps.Modes, off the mailbox). The first tick that sees a mode (the
//     first of a leadership, or the first after the mode became ranked or
//     was added) also re-checks the last ended period of each of its
//     boards, in case the previous leader died first.
//   - modesListed (unexported, from the listing goroutine): the ranked
//     modes, retired ones included (their last periods hold games played
//     before they were retired); practice modes reach no board and close
//     nothing. A mode new to the list closes at once. A failed listing is
//     logged and counted and the known modes keep closing; the next tick
//     lists again. Without Deps.Modes only classic closes. A mode made
//     practice stops closing (closes already pending finish), so the
//     period it was made practice in is never frozen. Metrics label each
//     close and freeze with the board's series ("daily", "frenzy/daily").
//   - periodClosed (unexported, from the actor's own close goroutines; it
//     also carries the period's freeze verdict).
//   - lobbiesSwept (unexported, from the lobby sweep goroutine).
//   - challengeRun (unexported, from a challenge job goroutine: the outcome
//     of each step, the events to publish, the first error).
//
// # Lobby sweep
//
// With Deps.Lobbies and Deps.LobbyTimeout (GAME_WAITING_TIMEOUT) set, the
// first tick of a leadership (so: at start) and then one tick every
// Deps.LobbySweepEvery close, in one idempotent statement, the matches left
// waiting since before now − LobbyTimeout − LobbySweepGrace: the orphans of
// crashed nodes that no session grain will activate again. They become
// aborted with reason lobby_expired and a new epoch (so a grain that still
// holds one is fenced rather than starting a game nobody can record). The
// grace leaves a live lobby to its own grain, which closes it at its
// deadline and tells its players. A grain re-activated on an orphaned lobby
// closes it itself (actors/session), so the sweep only keeps the database
// and join codes clean. It is not fenced by the lease: a sweep by an old
// leader during a takeover closes the same rows.
//
// # Messages emitted
//
//   - Publisher.Publish(leaderboard.Topic(key) — "leaderboard:<board>" for
//     classic, "leaderboard:<mode>/<board>" for another mode —,
//     ClientEvent{leaderboard:period-closed, {"board","mode","period"}})
//     once per (mode, board, period), only from the call that actually
//     recorded the close.
//
//   - Publisher.Publish(player.EveryoneTopic ("player:*", every connection), ClientEvent{
//     challenge:started, ChallengeStarted}) and ClientEvent{challenge:ended,
//     ChallengeEnded}, once per challenge, only from the run that recorded
//     its start or end: every online player's socket is subscribed to it.
//
// # Challenge jobs
//
// With Deps.Challenges set, each tick starts, each in a goroutine under
// Deps.Base, the challenge jobs not already running (at most one run of
// each; a failed run changes nothing and is simply run again at the next
// tick, every step being idempotent by challenge id and fenced by the
// lease's holder and epoch through persistence.ChallengeJobs):
//
//   - daily (with Deps.Modes; once per UTC day of a leadership): the day's
//     challenge from actors/scheduler/daily.Generate (the date, the active
//     ranked modes and Deps.ChallengeSecret, CHALLENGE_SECRET), inserted
//     unless its id "daily-YYYY-MM-DD" exists, so it is made once
//     cluster-wide even when two leaderships overlap (the stale one is
//     refused and stops). Outcomes: created, exists.
//   - start: DueToStart, then MarkStarted for each; the first recorder
//     announces challenge:started, unless the challenge is already over or
//     started more than AnnounceWindow ago (started_late: recorded, not
//     announced; so a node starting mid-day does not announce the day's
//     daily to the sockets connecting to it). Outcomes: started,
//     already_started, started_late.
//   - end (needs freezing, Deps.Standings and Deps.Periods; under
//     Deps.FreezeTimeout): DueToEnd, then for each FreezeBoard on
//     standings.ChallengeKey(mode, id) (root and standings for the chain
//     writer; after an earlier freeze the stored standings are read back),
//     then MarkEnded with every standing (won: rank <= reward_top), which
//     writes challenge_results and the challenge.ended outbox row once; the
//     first recorder announces challenge:ended with the winners (usernames
//     from the board's records) unless it ended more than AnnounceWindow
//     ago (ended_late: recorded and rewarded, not announced). Outcomes:
//     ended, already_ended, ended_late.
//
// Every step also counts stale_epoch or error; the counters are
// proofstell_scheduler_challenge_jobs_total{job,outcome} and
// proofstell_scheduler_challenge_job_runs_total{job,result}. A stale epoch stops the
// actor like a stale close.
//
// # Freezing (on-chain leaderboards)
//
// With Deps.Standings and Deps.Periods set, the close goroutine then
// freezes the period: it ranks the period's records exactly like
// actors/leaderboard/standings (RankStandings), builds the chain/merkle Poseidon tree
// over (rank, player, score, replay hash of the game that set the
// standing: leaf v2, FreezeLeafVersion, stored with the root) and stores
// standings (with their session ids and replay hashes) and root (status
// pending) with persistence.PeriodStore.SavePeriodRoot, fenced by the same
// lease epoch and idempotent by (mode, board, period): a period that has a root
// is never re-read or changed. The freeze also runs after an
// "already closed" verdict, so a leader that died between close and freeze
// is made good by its successor. A failed freeze keeps the period pending
// (the next tick repeats the close, which announces nothing, and the
// freeze); a period without records gets no root. The chain writer later
// submits pending roots; this package makes no chain calls.
//
// # Freezing any board: FreezeBoard
//
// FreezeBoard(ctx, deps, lease, key) is the freeze as a function, for any
// standings.Key: any ranked mode's daily, weekly or monthly period, or a
// challenge's board (standings.ChallengeKey(mode, id): its one period is
// the challenge id). The scheduler's close goroutines call it, and so may
// the challenge end job, from its own goroutine under the same lease. It
// answers FreezeFrozen with the root and the ranked standings (rank 1 first,
// ranks distinct: what challenge_results needs), FreezeAlreadyFrozen with
// the stored root only (read the standings with
// persistence.PeriodStore.PeriodStandings(out.Root.Key())), or FreezeEmpty
// (no records, no root); persistence.ErrStaleEpoch when the lease moved on.
//
// # Invariants
//
//   - Idempotent by (mode, board, period): persistence.PeriodCloser records a close
//     once, so a takeover that repeats a close writes and announces nothing.
//   - Fenced: every close carries the lease epoch the job was started with; a
//     stale epoch (a newer leader exists) writes nothing and stops the actor.
//   - The mailbox never blocks: closes run in goroutines bounded by
//     Deps.IOTimeout under Deps.Base and report by message. A failed close
//     stays pending and is retried on the next tick; pending holds at most
//     the periods that ended while Postgres was unreachable.
//
// # Supervision
//
// Default (restart by the parent). A restarted instance loses its last tick
// and so re-checks the last ended periods, which is harmless. The singleton
// runner stops the actor when its leadership ends and starts it again if it
// stops by itself while the lease is still held.
package scheduler
