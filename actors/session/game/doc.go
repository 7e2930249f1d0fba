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
// Spawn slots lie on a grid: StartedAt + k·SpawnInterval, k = 0, 1, …, before
// EndedAt. An Advance call spawns at most one mole, for the latest due slot,
// with UpAt = now and DownAt = now + Visible, so a mole always gets its full
// visible time from the moment it is announced. When Advance is called late
// (a gap longer than SpawnInterval), the slots missed in the gap are dropped,
// never burst-spawned in the past: players could not have seen them. The next
// slot stays on the grid. A slot is skipped (consumed, no mole) when
// MaxMolesUp moles are visible and not yet won, or when no hole is free; a
// hole is free when no mole is live there (a mole stays live until
// DownAt+LagCap so that late whacks on it are still judged against it). The
// hole is drawn uniformly among free holes, then the kind: golden with
// probability GoldenChance, bomb with BombChance, normal otherwise. Moles are
// retired (MoleDown) once DownAt+LagCap has passed; at the end of the game
// every live mole is retired.
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
//  2. empty: no such mole (unknown id, or nothing up at the hole for id 0).
//  3. wrong_hole: the mole exists but is at another hole.
//  4. expired: At > DownAt + allowance (a client sees a mole RTT/2 late and
//     its whack arrives RTT/2 later, so RTT is the fair allowance; capped so
//     a faked RTT cannot buy more).
//  5. too_fast: At − UpAt − allowance < MinReaction, i.e. faster than a human
//     could react after the spawn reached the client (a whack before the
//     mole was up is always too fast). Flags the player. Checked before
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
// (hence the end and the spawn grid), the next spawn slot and the live moles'
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
// holds MaxWhacksPerSecond times (oldest overwritten). Nothing else grows.
package game
