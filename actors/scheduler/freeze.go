package scheduler

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/chain/merkle"
	"github.com/proofstell/proofstell/persistence"
)

// FreezeResult says what FreezeBoard did; its values are also the freeze
// metric's "outcome" label (with stale_epoch and error).
type FreezeResult string

// Freeze results.
const (
	// FreezeFrozen: this call ranked the board period and stored its root
	// and standings.
	FreezeFrozen FreezeResult = "frozen"
	// FreezeAlreadyFrozen: the board period had a root already (an earlier
	// freeze, maybe by a previous leader); nothing was read or written.
	FreezeAlreadyFrozen FreezeResult = "already_frozen"
	// FreezeEmpty: the board period has no records, so it gets no root.
	FreezeEmpty FreezeResult = "empty"
)

// Metric outcomes of a failed freeze.
const (
	freezeStale = "stale_epoch"
	freezeError = "error"
)

// ErrFreezeOff is returned by FreezeBoard when Deps has no Standings or no
// Periods store.
var ErrFreezeOff = errors.New("freeze not wired: no standings or periods store")

// FreezeOutcome is what FreezeBoard did and what it left.
type FreezeOutcome struct {
	Result FreezeResult
	// Root is the board period's root: the one stored (FreezeFrozen) or
	// found (FreezeAlreadyFrozen); zero for FreezeEmpty.
	Root persistence.PeriodRoot
	// Standings are the final standings in rank order (1-based, distinct)
	// when Result is FreezeFrozen; nil otherwise. After FreezeAlreadyFrozen
	// read them back with persistence.PeriodStore.PeriodStandings(Root.Key()).
	Standings []persistence.PeriodStanding
}

// frozen is the verdict of one freeze attempt, carried in periodClosed.
type frozen struct {
	outcome string
	err     error
}

// verdict maps a FreezeBoard answer to the scheduler's metric outcome.
func verdict(o FreezeOutcome, err error) frozen {
	switch {
	case errors.Is(err, persistence.ErrStaleEpoch):
		return frozen{outcome: freezeStale, err: err}
	case err != nil:
		return frozen{outcome: freezeError, err: err}
	}
	return frozen{outcome: string(o.Result)}
}

// FreezeBoard freezes one board period of any ranked mode, a challenge's
// board included (standings.ChallengeKey: its period is the challenge id):
// it ranks the key's records exactly like actors/leaderboard/standings
// (RankStandings), builds the chain/merkle Poseidon tree over (rank,
// player, score, replay hash) with FreezeLeafVersion and stores root (status pending, for the chain writer) and
// standings with persistence.PeriodStore.SavePeriodRoot, fenced by lease
// (the scheduler lease: a stale epoch answers persistence.ErrStaleEpoch and
// writes nothing) and idempotent by key: a board period that already has a
// root is answered FreezeAlreadyFrozen after one lookup, without reading
// its records, so repeating a freeze is cheap and never changes a root.
//
// It does I/O and may take seconds for a large board, so call it from a
// goroutine (never from an actor's Receive) under a deadline such as
// Deps.FreezeTimeout. It needs deps.Standings and deps.Periods
// (ErrFreezeOff otherwise) and touches no other Deps field.
func FreezeBoard(ctx context.Context, deps Deps, lease persistence.Lease, key standings.Key) (FreezeOutcome, error) {
	if !deps.freezing() {
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", key, ErrFreezeOff)
	}
	if !standings.ValidMode(key.Mode) || !key.Board.ValidPeriod(key.Period) || key.Board == standings.Global {
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", key, standings.ErrBadKey)
	}
	bk := boardKey(key)
	root, err := deps.Periods.PeriodRoot(ctx, bk)
	switch {
	case err == nil:
		return FreezeOutcome{Result: FreezeAlreadyFrozen, Root: root}, nil
	case !errors.Is(err, persistence.ErrNotFound):
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", key, err)
	}
	ranked, err := RankStandings(ctx, deps.Standings, bk)
	if err != nil {
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", key, err)
	}
	if len(ranked) == 0 {
		return FreezeOutcome{Result: FreezeEmpty, Standings: ranked}, nil
	}
	return saveFrozen(ctx, deps, lease, bk, ranked)
}

// saveFrozen builds the ranked standings' tree and stores root and
// standings.
func saveFrozen(ctx context.Context, deps Deps, lease persistence.Lease, bk persistence.BoardKey,
	ranked []persistence.PeriodStanding,
) (FreezeOutcome, error) {
	leaves, err := Leaves(ranked)
	if err != nil {
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", bk, err)
	}
	tree, err := merkle.Build(FreezeLeafVersion, leaves)
	if err != nil {
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", bk, err)
	}
	root := persistence.PeriodRoot{Mode: bk.Mode, Board: bk.Board, Period: bk.Period, Root: tree.Root(),
		LeafCount: tree.Len(), LeafVersion: int(FreezeLeafVersion), Status: persistence.RootPending}
	saved, err := deps.Periods.SavePeriodRoot(ctx, root, ranked, lease.Holder, lease.Epoch)
	switch {
	case err != nil:
		return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", bk, err)
	case !saved:
		// A concurrent freeze of the same key won the race; its root stands.
		stored, err := deps.Periods.PeriodRoot(ctx, bk)
		if err != nil {
			return FreezeOutcome{}, fmt.Errorf("freeze %s: %w", bk, err)
		}
		return FreezeOutcome{Result: FreezeAlreadyFrozen, Root: stored}, nil
	}
	return FreezeOutcome{Result: FreezeFrozen, Root: root, Standings: ranked}, nil
}

// FreezeLeafVersion is the leaf encoding new roots are built with
// (chain/merkle v2: the standing's replay hash included). It is stored with
// each root, so periods frozen as v1 keep proving as v1.
const FreezeLeafVersion = merkle.LeafV2

// RankStandings reads a period's records and ranks them exactly as
// actors/leaderboard/standings does (standings.Compare: best score first, then who got
// there first, then player id), ranks 1-based and distinct, each with the
// game that set it and its replay hash. It refuses a negative score, a
// non-UUID player or a replay hash that is not 32 bytes, which no leaf
// could encode.
func RankStandings(ctx context.Context, store persistence.StandingStore, key persistence.BoardKey) ([]persistence.PeriodStanding, error) {
	var entries []standings.Entry
	games := map[string]persistence.Standing{}
	err := store.EachStanding(ctx, key, func(st persistence.Standing) error {
		if err := checkStanding(st); err != nil {
			return err
		}
		if st.UnhashedReplay != nil {
			hash, err := hashStoredReplay(st.UnhashedReplay)
			if err != nil {
				return fmt.Errorf("player %s, session %s: %w", st.PlayerID, st.SessionID, err)
			}
			st.ReplayHash, st.UnhashedReplay = hash, nil
		}
		entries = append(entries, standings.Entry{PlayerID: st.PlayerID, Score: st.Score, AchievedAt: st.AchievedAt})
		games[st.PlayerID] = st
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rank %s: %w", key, err)
	}
	slices.SortFunc(entries, standings.Compare)
	out := make([]persistence.PeriodStanding, len(entries))
	for i, e := range entries {
		g := games[e.PlayerID]
		out[i] = persistence.PeriodStanding{Rank: i + 1, PlayerID: e.PlayerID, Score: e.Score, AchievedAt: e.AchievedAt,
			SessionID: g.SessionID, ReplayHash: g.ReplayHash}
	}
	return out, nil
}

// hashStoredReplay is the replay hash of a replay stored before its hash
// was (migration 029): the SHA-256 of its canonical bytes, exactly what
// the replay endpoint serves as replayHash.
func hashStoredReplay(packed []byte) ([]byte, error) {
	r, err := game.UnpackReplay(packed)
	if err != nil {
		return nil, fmt.Errorf("hash stored replay: %w", err)
	}
	sum := sha256.Sum256(r.Encode())
	return sum[:], nil
}

// checkStanding refuses a record no leaf can encode.
func checkStanding(st persistence.Standing) error {
	if st.Score < 0 {
		return fmt.Errorf("player %s: negative score %d", st.PlayerID, st.Score)
	}
	if _, err := uuid.Parse(st.PlayerID); err != nil {
		return fmt.Errorf("player id %q: %w", st.PlayerID, err)
	}
	if n := len(st.ReplayHash); n != 0 && n != 32 {
		return fmt.Errorf("player %s: %d-byte replay hash: %w", st.PlayerID, n, errBadStanding)
	}
	return nil
}

// Leaves maps frozen standings, in rank order, to the Merkle leaves
// (chain/merkle's encoding; a nil replay hash is 32 zero bytes, and v1
// ignores it), so the scheduler and the proof endpoint encode the same way.
// It refuses a rank below 1, a negative score, a non-UUID player or a
// replay hash that is not 32 bytes.
func Leaves(ranked []persistence.PeriodStanding) ([]merkle.Leaf, error) {
	leaves := make([]merkle.Leaf, len(ranked))
	for i, st := range ranked {
		player, err := uuid.Parse(st.PlayerID)
		if err != nil {
			return nil, fmt.Errorf("leaf %d: player id %q: %w", i, st.PlayerID, err)
		}
		if st.Rank < 1 || st.Score < 0 || (len(st.ReplayHash) != 0 && len(st.ReplayHash) != 32) {
			return nil, fmt.Errorf("leaf %d: rank %d, score %d, %d-byte replay hash: %w", i, st.Rank, st.Score,
				len(st.ReplayHash), errBadStanding)
		}
		leaves[i] = merkle.Leaf{Rank: uint64(st.Rank), Player: player, Score: uint64(st.Score)}
		copy(leaves[i].ReplayHash[:], st.ReplayHash)
	}
	return leaves, nil
}

// errBadStanding marks a standing no leaf can encode.
var errBadStanding = errors.New("standing out of leaf range")
