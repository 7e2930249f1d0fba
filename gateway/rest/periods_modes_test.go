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
	_, err := store.UpdateMode(t.Context(), persistence.SystemActor("test"), "classic-easy", persistence.ModeUpdate{Ranked: &practice})
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

// TestPeriodFrozen_RootAndStandingsPerModeAndChallenge: the frozen route
// serves each mode's root and final standings apart, and a challenge's
// final ranks by its id.
func TestPeriodFrozen_RootAndStandingsPerModeAndChallenge(t *testing.T) {
	t.Parallel()
	h, store := newPeriodHarness(t)
	frenzy, classic, challenge := frozenPeriod(30), frozenPeriod(4), frozenPeriod(6)
	keys := []persistence.BoardKey{
		{Mode: "frenzy", Board: "daily", Period: "2026-11-23"},
		{Mode: "classic", Board: "daily", Period: "2026-11-23"},
		{Mode: "frenzy", Board: "challenge", Period: "weekend-frenzy"},
	}
	for i, st := range [][]persistence.PeriodStanding{frenzy, classic, challenge} {
		k := keys[i]
		saveFrozen(t, store, persistence.PeriodRoot{Mode: k.Mode, Board: k.Board, Period: k.Period,
			Root: productionRoot(t, st), LeafCount: len(st)}, st)
	}
	path := "/api/v1/leaderboards/daily/periods/2026-11-23"

	w := h.get(t, path+"?mode=frenzy", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[frozenResponse](t, w)
	require.Equal(t, "frenzy", got.Mode)
	require.Equal(t, "frenzy/daily", got.ChainBoard)
	require.Equal(t, productionRoot(t, frenzy), got.Root)
	require.Equal(t, 30, got.LeafCount)
	require.Equal(t, 1, got.LeafVersion, "saved without a version: v1, as before 029")
	require.Equal(t, "pending", got.Status)
	require.Nil(t, got.TxHash)
	require.Len(t, got.Standings, defaultLimit)
	require.Equal(t, frenzy[0].PlayerID, got.Standings[0].PlayerID)

	w = h.get(t, path+"?limit=2", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got = decode[frozenResponse](t, w)
	require.Equal(t, "classic", got.Mode)
	require.Equal(t, "daily", got.ChainBoard)
	require.Equal(t, productionRoot(t, classic), got.Root)
	require.Equal(t, []frozenStanding{
		{Rank: 1, PlayerID: classic[0].PlayerID, Score: classic[0].Score, AchievedAt: classic[0].AchievedAt},
		{Rank: 2, PlayerID: classic[1].PlayerID, Score: classic[1].Score, AchievedAt: classic[1].AchievedAt},
	}, got.Standings)

	w = h.get(t, "/api/v1/leaderboards/challenge/periods/weekend-frenzy?mode=frenzy&limit=100", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got = decode[frozenResponse](t, w)
	require.Equal(t, "frenzy/challenge", got.ChainBoard)
	require.Len(t, got.Standings, 6)
	require.Equal(t, 6, got.Standings[5].Rank)

	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/leaderboards/challenge/periods/weekend-frenzy", 404, CodePeriodNotFrozen},
		{path + "?mode=nope", 404, CodeUnknownMode},
		{path + "?limit=0", 400, CodeBadRequest},
		{"/api/v1/leaderboards/global/periods/all", 400, CodeBadRequest},
		{"/api/v1/leaderboards/weekly/periods/2026-W47", 404, CodePeriodNotFrozen},
	} {
		requireError(t, h.get(t, tc.path, ""), tc.status, tc.code)
	}
}
