package rest

import (
	"encoding/hex"
	"errors"
	"fmt"
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
// given (rank order, as frozen), with the leaf encoding version the
// scheduler stored with the root (persistence.PeriodRoot.LeafVersion). It
// fails, and serves no proof, on an unknown version, standings no leaf can
// encode, an empty list or a player listed twice.
type BuildProofTree func(version int, standings []persistence.PeriodStanding) (ProofTree, error)

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

// proofResponse is the body of GET /leaderboards/{board}/periods/{period}/proof
// (?mode=, default classic): what a Cairo verifier needs to accept the
// player's (rank, score) against root.
type proofResponse struct {
	// Mode is the board's ranked mode; ChainBoard is the board name its
	// root is submitted under (the key's series: "daily" for classic,
	// "frenzy/daily", "challenge", "frenzy/challenge").
	Mode       string   `json:"mode"`
	ChainBoard string   `json:"chainBoard"`
	Leaf       string   `json:"leaf"`
	Proof      []string `json:"proof"`
	Root       string   `json:"root"`
	TxHash     *string  `json:"txHash"`
	Status     string   `json:"status"`
	Reason     string   `json:"reason,omitempty"` // why a failed submission failed
	Rank       int      `json:"rank"`
	Score      int64    `json:"score"`
	// LeafVersion is the leaf encoding of the period (chain/merkle: 1
	// hashes rank, player and score; 2 adds the replay hash).
	LeafVersion int `json:"leafVersion"`
	// SessionID is the game that set the standing, ReplayHash (hex) its
	// replay's hash as the v2 leaf holds it and ReplayURL where that replay
	// is served: root → proof → replay → every whack. SessionID and
	// ReplayURL are null in v1 periods; ReplayHash is null when the leaf
	// holds none (v1) and 64 zeros when a v2 leaf's game had no replay.
	SessionID  *string `json:"sessionId"`
	ReplayHash *string `json:"replayHash"`
	ReplayURL  *string `json:"replayUrl"`
}

// periodRoutes registers the public proof route. Trees are rebuilt from the
// frozen standings on demand and the last deps.CacheTrees are kept.
func (a *api) periodRoutes(public chi.Router, deps PeriodDeps) {
	p := &periodAPI{api: a, deps: deps, cache: newTreeCache(deps.Trees, deps.CacheTrees)}
	public.Get("/leaderboards/{board}/periods/{period}", a.handle(p.frozen))
	public.Get("/leaderboards/{board}/periods/{period}/proof", a.handle(p.proof))
}

// periodAPI holds the proof route's store and tree cache.
type periodAPI struct {
	api   *api // resolves ?mode like the live board routes
	deps  PeriodDeps
	cache *treeCache
}

func (p *periodAPI) proof(w http.ResponseWriter, r *http.Request) error {
	if p.deps.Store == nil || p.deps.Trees == nil {
		return newError(http.StatusInternalServerError, CodeInternal, "period proofs are not configured")
	}
	key, player, err := p.parseProofQuery(r)
	if err != nil {
		return err
	}
	root, err := p.frozenRoot(r, key)
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
	st := pt.standings[i]
	body := proofResponse{Mode: key.Mode, ChainBoard: chainBoard(key), Leaf: leaf, Proof: proof, Root: root.Root,
		TxHash: optionalString(root.TxHash), Status: string(root.Status), Reason: root.Reason, Rank: st.Rank,
		Score: st.Score, LeafVersion: root.LeafVersion}
	body.SessionID, body.ReplayHash, body.ReplayURL = replayLink(root.LeafVersion, st)
	writeJSON(w, http.StatusOK, body)
	return nil
}

// replayLink is the way from a standing's leaf to its game: the session,
// the replay hash as the leaf holds it (a v2 leaf holds 32 zero bytes for a
// game without a replay; a v1 leaf none) and the replay's URL.
func replayLink(version int, st persistence.PeriodStanding) (session, replayHash, replayURL *string) {
	if st.SessionID != "" {
		session = &st.SessionID
		replayURL = optionalString(apiPrefix + "/sessions/" + st.SessionID + "/replay")
	}
	if version >= 2 {
		var hash [32]byte
		copy(hash[:], st.ReplayHash)
		replayHash = optionalString(hex.EncodeToString(hash[:]))
	}
	return session, replayHash, replayURL
}

// parseProofQuery validates board (a closing board or a challenge's),
// period (that board's key format; a challenge id for the challenge board),
// playerId (a UUID) and mode (a ranked mode, default classic: an unknown
// one is 404 unknown_mode, a practice one 404 board_not_found).
func (p *periodAPI) parseProofQuery(r *http.Request) (persistence.BoardKey, uuid.UUID, error) {
	key, err := p.parsePeriodKey(r)
	if err != nil {
		return persistence.BoardKey{}, uuid.Nil, err
	}
	player, err := uuid.Parse(r.URL.Query().Get("playerId"))
	if err != nil {
		return persistence.BoardKey{}, uuid.Nil, badRequest("playerId must be a UUID", "playerId")
	}
	return key, player, nil
}

// parsePeriodKey validates the closed board period a period route names:
// board, period and ?mode.
func (p *periodAPI) parsePeriodKey(r *http.Request) (persistence.BoardKey, error) {
	b, err := standings.ParseBoard(chi.URLParam(r, "board"))
	if err != nil || b == standings.Global {
		return persistence.BoardKey{}, badRequest("board must be daily, weekly, monthly or challenge", "board")
	}
	period := chi.URLParam(r, "period")
	if !b.ValidPeriod(period) {
		return persistence.BoardKey{}, badRequest("period is not a valid "+string(b)+" period key", "period")
	}
	mode, err := p.api.rankedMode(r, r.URL.Query().Get("mode"))
	if err != nil {
		return persistence.BoardKey{}, err
	}
	return persistence.BoardKey{Mode: mode, Board: string(b), Period: period}, nil
}

// frozenRoot reads key's root; 404 period_not_frozen when there is none.
func (p *periodAPI) frozenRoot(r *http.Request, key persistence.BoardKey) (persistence.PeriodRoot, error) {
	root, err := p.deps.Store.PeriodRoot(r.Context(), key)
	if errors.Is(err, persistence.ErrNotFound) {
		return root, newError(http.StatusNotFound, CodePeriodNotFrozen, "period is not closed or has no standings")
	}
	if err != nil {
		return root, fmt.Errorf("period root %s: %w", key, err)
	}
	return root, nil
}

// chainBoard is the name key's root goes on chain under (its series).
func chainBoard(key persistence.BoardKey) string {
	return standings.Key{Mode: key.Mode, Board: standings.Board(key.Board), Period: key.Period}.Series()
}

// optionalString renders "" as null.
func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
