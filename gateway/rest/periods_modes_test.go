package rest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

// TestPeriodProof_PerModeAndChallenge: ?mode= picks the mode's frozen
// period (default classic), the challenge board's period is the challenge
// id, each proof folds to its own root, and an unknown or practice mode is
// 404 as on the live routes.
func TestPeriodProof_PerModeAndChallenge(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	practice := false
	_, err := store.UpdateMode(t.Context(), "classic-easy", persistence.ModeUpdate{Ranked: &practice})
	require.NoError(t, err)
	frenzy, classic, challenge := frozenPeriod(9), frozenPeriod(4), frozenPeriod(6)
	roots := map[string]string{}
	for _, f := range []struct {
		key persistence.BoardKey
		st  []persistence.PeriodStanding
	}{
		{persistence.BoardKey{Mode: "frenzy", Board: "daily", Period: "2026-11-23"}, frenzy},
		{persistence.BoardKey{Mode: "classic", Board: "daily", Period: "2026-11-23"}, classic},
		{persistence.BoardKey{Mode: "frenzy", Board: "challenge", Period: "weekend-frenzy"}, challenge},
	} {
		roots[f.key.String()] = productionRoot(t, f.st)
		saveFrozen(t, store, persistence.PeriodRoot{Mode: f.key.Mode, Board: f.key.Board, Period: f.key.Period,
			Root: roots[f.key.String()], LeafCount: len(f.st)}, f.st)
	}

	for _, tc := range []struct {
		name, path, mode, chainBoard, root string
		st                                 persistence.PeriodStanding
	}{
		{"frenzy daily", proofPath("daily", "2026-11-23", frenzy[4].PlayerID) + "&mode=frenzy", "frenzy", "frenzy/daily",
			roots["frenzy/daily/2026-11-23"], frenzy[4]},
		{"classic by default", proofPath("daily", "2026-11-23", classic[1].PlayerID), "classic", "daily",
			roots["classic/daily/2026-11-23"], classic[1]},
		{"challenge board", proofPath("challenge", "weekend-frenzy", challenge[5].PlayerID) + "&mode=frenzy", "frenzy",
			"frenzy/challenge", roots["frenzy/challenge/weekend-frenzy"], challenge[5]},
	} {
		w := h.get(t, tc.path, "")
		require.Equal(t, http.StatusOK, w.Code, "%s: %s", tc.name, w.Body.String())
		got := decode[proofResponse](t, w)
		require.Equal(t, tc.root, got.Root, tc.name)
		require.Equal(t, tc.mode, got.Mode, tc.name)
		require.Equal(t, tc.chainBoard, got.ChainBoard, tc.name)
		require.Equal(t, tc.st.Rank, got.Rank, tc.name)
		leaf := indLeaf(t, tc.st.Rank, tc.st.PlayerID, tc.st.Score)
		require.Equal(t, leaf.String(), got.Leaf, tc.name)
		require.Equal(t, tc.root, indFold(t, leaf, got.Proof), tc.name)
	}

	for _, tc := range []struct {
		name, path string
		status     int
		code       string
	}{
		{"frenzy player not on classic's board", proofPath("daily", "2026-11-23", frenzy[0].PlayerID), 404, CodeNotRanked},
		{"challenge in another mode", proofPath("challenge", "weekend-frenzy", challenge[0].PlayerID), 404, CodePeriodNotFrozen},
		{"mode not frozen", proofPath("daily", "2026-11-23", frenzy[0].PlayerID) + "&mode=classic-hard", 404, CodePeriodNotFrozen},
		{"unknown mode", proofPath("daily", "2026-11-23", frenzy[0].PlayerID) + "&mode=nope", 404, CodeUnknownMode},
		{"practice mode", proofPath("daily", "2026-11-23", frenzy[0].PlayerID) + "&mode=classic-easy", 404, CodeBoardNotFound},
		{"malformed mode", proofPath("daily", "2026-11-23", frenzy[0].PlayerID) + "&mode=Bad/Mode", 404, CodeUnknownMode},
		{"bad challenge id", proofPath("challenge", "Not_An_Id", frenzy[0].PlayerID) + "&mode=frenzy", 400, CodeBadRequest},
	} {
		requireError(t, h.get(t, tc.path, ""), tc.status, tc.code)
	}
}
