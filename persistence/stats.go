package persistence

import (
	"context"
	"time"
)

// Stats windows: every "last day/week/month" figure of AdminStats covers
// [now - window, now), half-open like the hourly buckets and the exports.
const (
	StatsDay   = 24 * time.Hour
	StatsWeek  = 7 * StatsDay
	StatsMonth = 30 * StatsDay
)

// StatsHours is how many hourly buckets GamesPerHour holds: the last day.
const StatsHours = 24

// WindowCounts is one count over the last day, week and month.
type WindowCounts struct {
	Day   int
	Week  int
	Month int
}

// FlaggedRate is how many counted results of finished games ended in a
// window were flagged (a flag row exists, whatever its decision).
type FlaggedRate struct {
	Results int
	Flagged int
}

// MintQueue is one chain's mint requests still owed or stuck.
// OldestPending is the creation time of the oldest pending request; zero
// when none is pending.
type MintQueue struct {
	Chain         string
	Pending       int
	Submitted     int
	Failed        int
	OldestPending time.Time
}

// AdminStats is the operators' dashboard at one instant (At).
//
// Active counts distinct players who, within the window, finished a game
// (their row in a session that reached state finished, ended in the
// window, voided or not) or were issued a refresh token (a sign-in of any
// kind, or a refresh of a signed-in session). Signups counts player rows
// created in the window (guests included). GamesPerHour holds, per mode,
// StatsHours counts of finished games whose end fell in
// [HoursFrom + i h, HoursFrom + (i+1) h), HoursFrom being At minus a day; a
// mode without games in the day is absent. FlaggedDay and FlaggedWeek
// count results (session_players rows not voided) of finished games ended
// in the window and those of them with a flag. SessionGames and
// SessionTotal are the number and summed length (ended minus started) of
// the games finished in the last day. MintQueue lists every chain.
type AdminStats struct {
	At           time.Time
	Active       WindowCounts
	Signups      WindowCounts
	HoursFrom    time.Time
	GamesPerHour map[string][]int
	FlaggedDay   FlaggedRate
	FlaggedWeek  FlaggedRate
	SessionGames int
	SessionTotal time.Duration
	MintQueue    []MintQueue
}

// ExportRange is the half-open time range [From, To) of an export.
type ExportRange struct {
	From time.Time
	To   time.Time
}

// ExportedPlayer is one players.csv row: no secret (no password hash, no
// token), but the email of an account (empty for a guest or wallet-only
// player); Wallets counts linked wallets.
type ExportedPlayer struct {
	ID            string
	Username      string
	DisplayName   string
	Role          Role
	CreatedAt     time.Time
	BannedAt      time.Time // zero: not banned
	Email         string
	EmailVerified bool
	Wallets       int
	GamesPlayed   int64
	BestScore     int64
}

// ExportedResult is one results.csv row: a player's part of a finished
// game. FlagStatus is the flag's status ("" when the result was never
// flagged); Voided is why the result does not count ("" when it does);
// Username is the player's current name ("" if the player is gone).
type ExportedResult struct {
	SessionID   string
	Mode        string
	Kind        SessionKind
	ChallengeID string
	StartedAt   time.Time
	EndedAt     time.Time
	PlayerID    string
	Username    string
	Score       int64
	Hits        int
	Misses      int
	BestCombo   int
	Flags       int
	FlagStatus  FlagStatus
	Voided      string
}

// StatsStore reads the admin dashboard and streams the admin exports.
type StatsStore interface {
	// AdminStats computes the dashboard at now (one consistent snapshot:
	// the queries run in one read-only repeatable-read transaction).
	AdminStats(ctx context.Context, now time.Time) (AdminStats, error)
	// ExportPlayers calls each for the players created in r, oldest first
	// (ties by id), reading rows off the connection as they arrive: it
	// never holds the whole range. An error from each stops the export and
	// is returned wrapped.
	ExportPlayers(ctx context.Context, r ExportRange, each func(ExportedPlayer) error) error
	// ExportResults calls each for the results of the games finished in r
	// (by end time), in (ended, session, player) order, streamed likewise.
	ExportResults(ctx context.Context, r ExportRange, each func(ExportedResult) error) error
}
