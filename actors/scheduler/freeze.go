package scheduler

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// Freeze outcomes, the values of the freeze metric's "outcome" label.
const (
	freezeFrozen        = "frozen"
	freezeAlreadyFrozen = "already_frozen"
	freezeEmpty         = "empty"
	freezeStale         = "stale_epoch"
	freezeError         = "error"
)

// frozen is the verdict of one freeze attempt, carried in periodClosed.
type frozen struct {
	outcome string
	err     error
}

// freezePeriod ranks the closed period's standings, builds their Merkle tree
// and stores root and standings, fenced by lease. It runs in the close
// goroutine, never in the mailbox. A period that already has a root is left
// alone without reading its standings, so a takeover re-checking the last
// periods costs one lookup each.
func freezePeriod(ctx context.Context, deps Deps, lease persistence.Lease, k closeKey) frozen {
	board := string(k.board)
	_, err := deps.Periods.PeriodRoot(ctx, board, k.period)
	switch {
	case err == nil:
		return frozen{outcome: freezeAlreadyFrozen}
	case !errors.Is(err, persistence.ErrNotFound):
		return frozen{outcome: freezeError, err: fmt.Errorf("freeze %s/%s: %w", board, k.period, err)}
	}
	// Closes are classic's (standings.DefaultMode) until they run per mode.
	ranked, err := RankStandings(ctx, deps.Standings,
		persistence.BoardKey{Mode: standings.DefaultMode, Board: board, Period: k.period})
	if err != nil {
		return frozen{outcome: freezeError, err: err}
	}
	if len(ranked) == 0 {
		return frozen{outcome: freezeEmpty}
	}
	leaves, err := Leaves(ranked)
	if err != nil {
		return frozen{outcome: freezeError, err: fmt.Errorf("freeze %s/%s: %w", board, k.period, err)}
	}
	tree, err := merkle.Build(leaves)
	if err != nil {
		return frozen{outcome: freezeError, err: fmt.Errorf("freeze %s/%s: %w", board, k.period, err)}
	}
	root := persistence.PeriodRoot{Board: board, Period: k.period, Root: tree.Root(), LeafCount: tree.Len()}
	saved, err := deps.Periods.SavePeriodRoot(ctx, root, ranked, lease.Holder, lease.Epoch)
	switch {
	case errors.Is(err, persistence.ErrStaleEpoch):
		return frozen{outcome: freezeStale, err: err}
	case err != nil:
		return frozen{outcome: freezeError, err: err}
	case !saved:
		return frozen{outcome: freezeAlreadyFrozen}
	}
	return frozen{outcome: freezeFrozen}
}

// RankStandings reads a period's records and ranks them exactly as
// actors/leaderboard/standings does (standings.Compare: best score first, then who got
// there first, then player id), ranks 1-based and distinct. It refuses a
// negative score or a non-UUID player, which no leaf could encode.
func RankStandings(ctx context.Context, store persistence.StandingStore, key persistence.BoardKey) ([]persistence.PeriodStanding, error) {
	var entries []standings.Entry
	err := store.EachStanding(ctx, key, func(st persistence.Standing) error {
		if st.Score < 0 {
			return fmt.Errorf("player %s: negative score %d", st.PlayerID, st.Score)
		}
		if _, err := uuid.Parse(st.PlayerID); err != nil {
			return fmt.Errorf("player id %q: %w", st.PlayerID, err)
		}
		entries = append(entries, standings.Entry{PlayerID: st.PlayerID, Score: st.Score, AchievedAt: st.AchievedAt})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rank %s: %w", key, err)
	}
	slices.SortFunc(entries, standings.Compare)
	out := make([]persistence.PeriodStanding, len(entries))
	for i, e := range entries {
		out[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: e.PlayerID, Score: e.Score, AchievedAt: e.AchievedAt}
	}
	return out, nil
}

// Leaves maps frozen standings, in rank order, to the Merkle leaves
// (chain/merkle's encoding), so the scheduler and the proof endpoint encode
// the same way. It refuses a rank below 1, a negative score or a non-UUID
// player.
func Leaves(ranked []persistence.PeriodStanding) ([]merkle.Leaf, error) {
	leaves := make([]merkle.Leaf, len(ranked))
	for i, st := range ranked {
		player, err := uuid.Parse(st.PlayerID)
		if err != nil {
			return nil, fmt.Errorf("leaf %d: player id %q: %w", i, st.PlayerID, err)
		}
		if st.Rank < 1 || st.Score < 0 {
			return nil, fmt.Errorf("leaf %d: rank %d, score %d: %w", i, st.Rank, st.Score, errBadStanding)
		}
		leaves[i] = merkle.Leaf{Rank: uint64(st.Rank), Player: player, Score: uint64(st.Score)}
	}
	return leaves, nil
}

// errBadStanding marks a standing no leaf can encode.
var errBadStanding = errors.New("standing out of leaf range")
