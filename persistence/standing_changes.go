package persistence

import "context"

// StandingMark is a high-water mark of leaderboard writes. Every write that
// is not at or after a mark was committed (or rolled back) before the mark
// was taken, so a reader that read everything since its previous mark has
// missed nothing. Zero means "from the beginning".
type StandingMark uint64

// StandingChanges lets a leaderboard cache converge to the stored standings
// cheaply: a full load once, then only the entries written since.
type StandingChanges interface {
	// StandingsSince calls fn for every entry of the mode's board period written
	// at or after since (every entry when since is zero), in no particular
	// order, stopping at fn's first error (returned wrapped). It returns the
	// mark to pass next time, taken before the entries are read: an entry
	// may be reported again by the next call, but a committed entry is never
	// skipped, however the writing transactions interleave. A transaction
	// that stays open holds the mark back, so later calls report more again
	// until it ends.
	StandingsSince(ctx context.Context, key BoardKey, since StandingMark, fn func(Standing) error) (StandingMark, error)
}
