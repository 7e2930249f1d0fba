// Package game holds the pure whack-a-mole rules of one session: phases,
// mole spawning and the judging of whacks. It does no I/O and imports no
// actor framework: the session actor feeds it commands and the current time
// and turns the returned events into client frames. Given the same seed and
// the same sequence of calls (with the same times) it returns the same events,
// and a game restored from a Snapshot continues exactly as the original would.
//
// # Phases
//
// waiting → countdown → running → finished. Join works while waiting; Begin
// (or BeginBy for the creator of a match) starts the countdown, or goes
// straight to running when the mode's Countdown is 0. Advance drives time:
// the countdown ends at exactly Begin+Countdown (StartedAt) and the game ends
// at exactly StartedAt+Duration (EndedAt), whenever Advance happens to be
// called. PhaseChanged.At carries those scheduled instants, not the time of
// the call, so a late tick never shifts the timeline.
//
// # Spawning
//
// Every mole of a game is fixed when the game is created: Schedule(seed,
// mode) lists them (id, hole, kind, up and down as offsets from the start of
// running), a pure function of the 32-byte seed and the mode's schedule rules
// drawn from SHA-256 in counter mode (Stream, docs/FAIRNESS.md), so a
// finished game's moles can be recomputed by anyone from its revealed seed.
// Slots lie on the grid k·SpawnInterval before Duration; a slot is skipped
// when MaxMolesUp scheduled moles are visible or no hole is free (a hole rests
// HoleRest after its mole goes down, longer than any lag allowance). Neither
// ticks, whacks nor the server's limits change the schedule.
//
// Advance and Whack only reveal it: a mole is added to the game, with UpAt =
// StartedAt+Up and DownAt = StartedAt+Down, by the first call whose time is at
// or after its UpAt, and announced (MoleUp) unless its DownAt has already
// passed (an unseen mole, revealed by a call late by more than Visible, is
// recorded but neither announced up nor down). Game end reveals the rest, so
// a finished game always holds its whole schedule. Moles are retired
// (MoleDown) once DownAt+LagCap has passed; at the end of the game every live
// mole is retired.
//
// A game restored from a version 1 snapshot (taken before the schedule
// existed) finishes with the generator it began with: a PCG seeded from a
// uint64, spawning at most one mole per Advance at the call's time, dropping
// slots a late call missed (legacy.go).
//
// # Judging a whack
//
// A whack names a hole and a mole id (0 means "whatever mole is up at that
// hole"); At is the server's receive time, on the same clock as Advance.
// Invalid commands are errors, not misses: a non-member gets ErrNotInGame, a
// whack outside the running phase (or at or after the scheduled end, even if
// Advance has not run yet) ErrNotRunning, a hole outside 0..Rows·Cols-1
// ErrBadHole. A valid whack is judged in this order, with
// allowance = min(RTT, LagCap):
//
//  1. rate_limited: it is the player's (MaxWhacksPerSecond+1)-th whack in
//     less than one second. Every whack counts toward the rate, including
//     rejected ones, so a flooding client stays limited. Flags the player.
//  2. empty: no such mole (unknown id, a mole whose UpAt is after At, or
//     nothing up at the hole for id 0). Whack first reveals the moles due by
//     At, so the judgement never depends on when Advance last ran.
//  3. wrong_hole: the mole exists but is at another hole.
//  4. expired: At > DownAt + allowance (a client sees a mole RTT/2 late and
//     its whack arrives RTT/2 later, so RTT is the fair allowance; capped so
//     a faked RTT cannot buy more).
//  5. too_fast: At − UpAt − allowance < MinReaction, i.e. faster than a human
//     could react after the spawn reached the client (a whack before the
//     mole was up is "empty", see 2). Flags the player. Checked before
//     "taken" so a bot is flagged even when it loses the race.
//  6. taken: another whack already won this mole. In a shared board the first
//     valid whack wins; later ones are not the player's fault, so "taken" is
//     not counted in Misses and does not break the combo.
//  7. Hit: the player wins the mole.
//
// After Resume (a game restored from a snapshot after an outage), for a grace
// of the outage (at most 5 s) plus LagCap and MinReaction, a whack that would
// be rate_limited or too_fast is "stale" instead: the client saw moles the
// snapshot never recorded, which the resumed game spawns again under the same
// ids, and may have queued whacks during the pause. Stale is neither counted
// in Misses nor flagged, and keeps the combo.
//
// Each mole counts once. Misses counts empty, expired, wrong_hole, too_fast
// and rate_limited; each of them resets the combo. A flag marks the cheater's
// result only (PlayerScore.Flags > 0): that result is stored but earns no
// leaderboard entry, badge or mint until a moderator clears it, while the
// other players of a match count as in any game. Result.Flagged says the
// game holds at least one flagged result; Evidence is what a moderator
// reviews of a player's.
//
// # Points
//
// Normal moles give HitPoints, golden GoldenPoints, bombs −BombPenalty. A
// score never drops below 0: a bomb takes what there is. Hit.Points is the
// mole's nominal value (what the client animates) and Hit.Score the score
// after clamping. Hits counts normal and golden moles; bombs are counted in
// Bombs, never in Hits or Misses, and reset the combo. The combo is the run of
// consecutive scoring hits; BestCombo is its maximum. ReachedAt is the At of
// the whack that last changed the score; leaderboard ties go to whoever got
// there first.
//
// # Resuming after an outage
//
// A game restored from a snapshot keeps its absolute times; Clock is the last
// time it saw. Resume(now) turns the time since then into a pause: the start
// (hence the end and the schedule still to come), the next legacy spawn slot and the live moles'
// UpAt and DownAt move forward by the gap and the clock becomes now, so the
// game continues with the same time left (Remaining), the same remaining
// visibility of each live mole and the same moles to come. Retired moles,
// players' whack times and ReachedAt are real past instants and stay, which
// keeps DownAt non-decreasing in mole id. It does nothing to a waiting or
// finished game or when now is not after the clock. Whether an outage is short
// enough to resume is the caller's decision.
//
// # Bounds
//
// A board has at most MaxHoles holes, a game at most MaxPlayers players and
// MaxMolesPerGame moles (Mode validation ensures Duration/SpawnInterval fits;
// spawning stops at the bound as a safety net). Each player's rate window
// holds MaxWhacksPerSecond times (oldest overwritten). The input log (every
// judged whack, for the replay; inputs.go) holds at most MaxInputs entries
// (later whacks are judged, not logged, and the log says it is truncated).
// Nothing else grows.
package game
