package rest

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// Error codes of the proof endpoint.
const (
	// CodePeriodNotFrozen: the period has not closed yet, or closed with
	// no standings, so there is no root to prove against.
	CodePeriodNotFrozen = "period_not_frozen"
)

// ProofTree is one closed period's Merkle tree over its frozen standings,
// as the proof route reads it (cmd wires *merkle.Tree: the gateway imports
// no chain package). It is immutable and safe for concurrent readers.
type ProofTree interface {
	// Root is the tree's root, "0x" hex, as stored with the period.
	Root() string
	// IndexOf finds player's leaf; false when the player has no standing.
	IndexOf(player uuid.UUID) (int, bool)
	// LeafHash is the hash of the leaf at index, "0x" hex; an error only
	// for an index out of range.
	LeafHash(index int) (string, error)
	// Proof lists the sibling hashes from the leaf at index up to the root,
	// "0x" hex; an error only for an index out of range.
	Proof(index int) ([]string, error)
}

// BuildProofTree builds the tree over a period's standings, in the order
// given (rank order, as frozen), with the leaf encoding the scheduler used
// for the stored root. It fails, and serves no proof, on standings no leaf
// can encode, an empty list or a player listed twice.
type BuildProofTree func(standings []persistence.PeriodStanding) (ProofTree, error)

// PeriodDeps is what the on-chain leaderboard proof route needs. A nil
// Store or Trees answers 500 (not configured), like the other optional slices.
type PeriodDeps struct {
	// Store serves frozen standings and their roots (the scheduler writes them).
	Store persistence.PeriodStore
	// Trees rebuilds a period's tree from its standings.
	Trees BuildProofTree
	// CacheTrees bounds the period trees kept in memory (default
	// DefaultProofTrees, least recently used evicted).
	CacheTrees int
}

// proofResponse is the body of GET /leaderboards/{board}/periods/{period}/proof:
// what a Cairo verifier needs to accept the player's (rank, score) against root.
type proofResponse struct {
	Leaf   string   `json:"leaf"`
	Proof  []string `json:"proof"`
	Root   string   `json:"root"`
	TxHash *string  `json:"txHash"`
	Status string   `json:"status"`
	Reason string   `json:"reason,omitempty"` // why a failed submission failed
	Rank   int      `json:"rank"`
	Score  int64    `json:"score"`
}

// periodRoutes registers the public proof route. Trees are rebuilt from the
// frozen standings on demand and the last deps.CacheTrees are kept.
func (a *api) periodRoutes(public chi.Router, deps PeriodDeps) {
	p := &periodAPI{deps: deps, cache: newTreeCache(deps.Trees, deps.CacheTrees)}
	public.Get("/leaderboards/{board}/periods/{period}/proof", a.handle(p.proof))
}

// periodAPI holds the proof route's store and tree cache.
type periodAPI struct {
	deps  PeriodDeps
	cache *treeCache
}

func (p *periodAPI) proof(w http.ResponseWriter, r *http.Request) error {
	if p.deps.Store == nil || p.deps.Trees == nil {
		return newError(http.StatusInternalServerError, CodeInternal, "period proofs are not configured")
	}
	board, period, player, err := parseProofQuery(r)
	if err != nil {
		return err
	}
	root, err := p.deps.Store.PeriodRoot(r.Context(),
		persistence.BoardKey{Mode: standings.DefaultMode, Board: board, Period: period})
	if errors.Is(err, persistence.ErrNotFound) {
		return newError(http.StatusNotFound, CodePeriodNotFrozen, "period is not closed or has no standings")
	}
	if err != nil {
		return err
	}
	pt, err := p.cache.get(r.Context(), p.deps.Store, root)
	if err != nil {
		return err
	}
	i, ok := pt.tree.IndexOf(player)
	if !ok {
		return newError(http.StatusNotFound, CodeNotRanked, "player has no standing in this period")
	}
	leaf, err := pt.tree.LeafHash(i)
	if err != nil {
		return err
	}
	proof, err := pt.tree.Proof(i)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, proofResponse{Leaf: leaf, Proof: proof, Root: root.Root, TxHash: optionalString(root.TxHash),
		Status: string(root.Status), Reason: root.Reason, Rank: pt.standings[i].Rank, Score: pt.standings[i].Score})
	return nil
}

// parseProofQuery validates board (a closing board), period (that board's
// key format) and playerId (a UUID).
func parseProofQuery(r *http.Request) (board, period string, player uuid.UUID, err error) {
	b, perr := standings.ParseBoard(chi.URLParam(r, "board"))
	if perr != nil || b == standings.Global {
		return "", "", uuid.Nil, badRequest("board must be daily, weekly or monthly", "board")
	}
	period = chi.URLParam(r, "period")
	if !b.ValidPeriod(period) {
		return "", "", uuid.Nil, badRequest("period is not a valid "+string(b)+" period key", "period")
	}
	player, perr = uuid.Parse(r.URL.Query().Get("playerId"))
	if perr != nil {
		return "", "", uuid.Nil, badRequest("playerId must be a UUID", "playerId")
	}
	return string(b), period, player, nil
}

// optionalString renders "" as null.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
