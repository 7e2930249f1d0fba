package criteria_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/criteria"
)

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want criteria.Criteria
		err  bool
	}{
		{name: "first game", in: `{"kind":"first_game"}`, want: criteria.Criteria{Kind: criteria.KindFirstGame}},
		{name: "score per mode", in: `{"kind":"single_game_score","n":30,"mode":"classic"}`,
			want: criteria.Criteria{Kind: criteria.KindSingleGameScore, N: 30, Mode: "classic"}},
		{name: "score any mode", in: `{"kind":"single_game_score","n":30}`,
			want: criteria.Criteria{Kind: criteria.KindSingleGameScore, N: 30}},
		{name: "board rank", in: `{"kind":"board_rank","n":10,"board":"daily"}`,
			want: criteria.Criteria{Kind: criteria.KindBoardRank, N: 10, Board: "daily"}},
		{name: "max n", in: `{"kind":"total_score","n":1000000000000}`,
			want: criteria.Criteria{Kind: criteria.KindTotalScore, N: criteria.MaxN}},
		{name: "challenges completed", in: `{"kind":"challenges_completed","n":3}`,
			want: criteria.Criteria{Kind: criteria.KindChallengesCompleted, N: 3}},
		{name: "challenges won", in: `{"kind":"challenges_won","n":1}`,
			want: criteria.Criteria{Kind: criteria.KindChallengesWon, N: 1}},
		{name: "challenge reward", in: `{"kind":"challenge_reward"}`,
			want: criteria.Criteria{Kind: criteria.KindChallengeReward}},
		{name: "challenges completed n missing", in: `{"kind":"challenges_completed"}`, err: true},
		{name: "challenges won n zero", in: `{"kind":"challenges_won","n":0}`, err: true},
		{name: "challenges won n too large", in: `{"kind":"challenges_won","n":1000000000001}`, err: true},
		{name: "challenges won with mode", in: `{"kind":"challenges_won","n":1,"mode":"classic"}`, err: true},
		{name: "challenges completed with board", in: `{"kind":"challenges_completed","n":1,"board":"challenge"}`, err: true},
		{name: "challenge reward with n", in: `{"kind":"challenge_reward","n":1}`, err: true},
		{name: "referral reward", in: `{"kind":"referral_reward"}`,
			want: criteria.Criteria{Kind: criteria.KindReferralReward}},
		{name: "referral reward with n", in: `{"kind":"referral_reward","n":1}`, err: true},
		{name: "unknown kind", in: `{"kind":"whatever","n":1}`, err: true},
		{name: "empty kind", in: `{}`, err: true},
		{name: "unknown field", in: `{"kind":"games_played","n":1,"x":1}`, err: true},
		{name: "n missing", in: `{"kind":"games_played"}`, err: true},
		{name: "n zero", in: `{"kind":"matches_won","n":0}`, err: true},
		{name: "n negative", in: `{"kind":"daily_streak","n":-1}`, err: true},
		{name: "n too large", in: `{"kind":"total_score","n":1000000000001}`, err: true},
		{name: "n on first game", in: `{"kind":"first_game","n":1}`, err: true},
		{name: "mode on games played", in: `{"kind":"games_played","n":1,"mode":"classic"}`, err: true},
		{name: "bad mode", in: `{"kind":"single_game_score","n":1,"mode":"Classic!"}`, err: true},
		{name: "board missing", in: `{"kind":"board_rank","n":10}`, err: true},
		{name: "board rank of a mode", in: `{"kind":"board_rank","n":3,"board":"daily","mode":"frenzy"}`,
			want: criteria.Criteria{Kind: criteria.KindBoardRank, N: 3, Board: "daily", Mode: "frenzy"}},
		{name: "board rank of a bad mode", in: `{"kind":"board_rank","n":3,"board":"daily","mode":"Frenzy!"}`, err: true},
		{name: "board on other kind", in: `{"kind":"longest_combo","n":3,"board":"daily"}`, err: true},
		{name: "trailing value", in: `{"kind":"first_game"}{}`, err: true},
		{name: "not an object", in: `[]`, err: true},
		{name: "n as string", in: `{"kind":"games_played","n":"1"}`, err: true},
		{name: "empty", in: ``, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := criteria.Decode([]byte(tt.in))
			if tt.err {
				require.ErrorIs(t, err, criteria.ErrInvalid)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			enc, err := got.Encode()
			require.NoError(t, err)
			again, err := criteria.Decode(enc)
			require.NoError(t, err)
			require.Equal(t, got, again, "encode round-trips")
		})
	}
}

func TestDecode_TooLong(t *testing.T) {
	t.Parallel()
	long := make([]byte, criteria.MaxEncoded+1)
	_, err := criteria.Decode(long)
	require.ErrorIs(t, err, criteria.ErrInvalid)
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"kind":"first_game"}`, `{"kind":"board_rank","n":10,"board":"daily"}`,
		`{"kind":"single_game_score","n":30,"mode":"classic"}`, `{"kind":"x"}`, `{"n":1e99}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := criteria.Decode(data)
		if err != nil {
			require.ErrorIs(t, err, criteria.ErrInvalid)
			return
		}
		require.NoError(t, c.Validate())
		enc, err := c.Encode()
		require.NoError(t, err)
		again, err := criteria.Decode(enc)
		require.NoError(t, err)
		require.Equal(t, c, again)
	})
}
