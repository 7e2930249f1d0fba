package rest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/rating"
	"github.com/proofstell/proofstell/persistence"
)

// TestProfile_Ratings: a rated match shows on both players' own and public
// profiles as the model moved it; a solo game adds no rating.
func TestProfile_Ratings(t *testing.T) {
	t.Parallel()
	h, store := newDBHarness(t, nil)
	winner := signIn(t, h, "device-ratings-winner")
	loser := signIn(t, h, "device-ratings-loser")
	me := decode[profileResponse](t, h.get(t, "/api/v1/players/me", winner.AccessToken))
	require.NotNil(t, me.Ratings, "ratings is an empty list, never null")
	require.Empty(t, me.Ratings)

	playGame(t, store, testNow, persistence.KindMatch, map[string]int64{winner.Player.ID: 9, loser.Player.ID: 4})
	playGame(t, store, testNow, persistence.KindSolo, map[string]int64{winner.Player.ID: 30})
	want := rating.DefaultParams().Rate([]rating.Rating{rating.Default(), rating.Default()}, []int64{9, 4})

	w := h.get(t, "/api/v1/players/me", winner.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	me = decode[profileResponse](t, w)
	requireRatingJSON(t, want[0], me.Ratings)

	w = h.get(t, "/api/v1/players/"+loser.Player.ID, winner.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireRatingJSON(t, want[1], decode[publicProfileResponse](t, w).Ratings)
}

func requireRatingJSON(t *testing.T, want rating.Rating, got []ratingJSON) {
	t.Helper()
	require.Len(t, got, 1)
	require.Equal(t, "classic", got[0].Mode)
	require.InDelta(t, want.Mu, got[0].Mu, 1e-9)
	require.InDelta(t, want.Sigma, got[0].Sigma, 1e-9)
	require.InDelta(t, want.Ordinal(), got[0].Ordinal, 1e-9)
	require.Equal(t, 1, got[0].Matches)
}
