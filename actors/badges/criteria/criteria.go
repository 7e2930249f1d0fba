// Package criteria is the pure badge rule engine: a badge's criteria are
// data (JSON stored in the catalogue), decoded strictly here and evaluated
// against Facts about one player. It imports no actor runtime and does no
// I/O, so every rule is table-tested and the evaluator actor stays a thin
// shell (CONVENTIONS.md rule 3).
package criteria

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
)

// Kind names one rule; the values are stored in the catalogue.
type Kind string

// The supported rules.
const (
	KindFirstGame       Kind = "first_game"
	KindGamesPlayed     Kind = "games_played"
	KindSingleGameScore Kind = "single_game_score"
	KindTotalScore      Kind = "total_score"
	KindDailyStreak     Kind = "daily_streak"
	KindPerfectGame     Kind = "perfect_game"
	KindLongestCombo    Kind = "longest_combo"
	KindMatchesWon      Kind = "matches_won"
	KindBoardRank       Kind = "board_rank"
	// KindChallengesCompleted counts the challenges the player has a final
	// standing in; KindChallengesWon those it won (ranked within the
	// challenge's reward_top at its end).
	KindChallengesCompleted Kind = "challenges_completed"
	KindChallengesWon       Kind = "challenges_won"
	// KindChallengeReward is never met by evaluation: a badge with it is
	// only given as a challenge's reward badge (to its winners, when the
	// challenge ends) or by staff.
	KindChallengeReward Kind = "challenge_reward"
	// KindReferralReward is never met by evaluation either: a badge with it
	// is given to both players of a referral once the referred player has
	// played enough ranked games (persistence.ReferralStore), or by staff.
	KindReferralReward Kind = "referral_reward"
)

// MaxN bounds thresholds so progress arithmetic never overflows and a typo
// of a few extra zeros is caught at the admin edge.
const MaxN = 1_000_000_000_000

// MaxEncoded bounds the encoded criteria a decoder accepts.
const MaxEncoded = 1 << 10

// ErrInvalid is wrapped by every decoding or validation failure, so callers
// can answer "bad criteria" without parsing messages.
var ErrInvalid = errors.New("invalid badge criteria")

// namePattern is what a mode or board name may look like.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Criteria is one badge rule. N is the threshold (for board_rank, the worst
// rank that still qualifies); Mode narrows single_game_score to one game
// mode ("" means any) and names board_rank's ranked mode ("" means
// DefaultRankMode, so badges made before boards were per mode keep meaning
// classic's boards); Board names the board of board_rank.
type Criteria struct {
	Kind  Kind   `json:"kind"`
	N     int64  `json:"n,omitempty"`
	Mode  string `json:"mode,omitempty"`
	Board string `json:"board,omitempty"`
}

// rule says which fields a kind takes.
type rule struct {
	needsN, allowsMode, needsBoard bool
}

var rules = map[Kind]rule{
	KindFirstGame:       {},
	KindGamesPlayed:     {needsN: true},
	KindSingleGameScore: {needsN: true, allowsMode: true},
	KindTotalScore:      {needsN: true},
	KindDailyStreak:     {needsN: true},
	KindPerfectGame:     {},
	KindLongestCombo:    {needsN: true},
	KindMatchesWon:      {needsN: true},
	KindBoardRank:       {needsN: true, allowsMode: true, needsBoard: true},

	KindChallengesCompleted: {needsN: true},
	KindChallengesWon:       {needsN: true},
	KindChallengeReward:     {},
	KindReferralReward:      {},
}

// DefaultRankMode is the mode of a board_rank criterion that names none:
// the leaderboards' default mode (actors/leaderboard/standings.DefaultMode;
// a rules package imports no other package of ours).
const DefaultRankMode = "classic"

// RankKey is the Facts.Ranks key of mode's board: "<mode>/<board>", with
// "" standing for DefaultRankMode.
func RankKey(mode, board string) string {
	if mode == "" {
		mode = DefaultRankMode
	}
	return mode + "/" + board
}

// RankMode is the ranked mode whose boards c (a board_rank criterion) names.
func (c Criteria) RankMode() string {
	if c.Mode == "" {
		return DefaultRankMode
	}
	return c.Mode
}

// Decode reads exactly one JSON criteria object, rejecting unknown fields,
// unknown kinds and fields the kind does not take, so a stored criteria
// always means exactly one thing.
func Decode(data []byte) (Criteria, error) {
	if len(data) > MaxEncoded {
		return Criteria{}, fmt.Errorf("%w: longer than %d bytes", ErrInvalid, MaxEncoded)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Criteria
	if err := dec.Decode(&c); err != nil {
		return Criteria{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Criteria{}, fmt.Errorf("%w: trailing data", ErrInvalid)
	}
	return c, c.Validate()
}

// Validate checks c against its kind's rule.
func (c Criteria) Validate() error {
	r, ok := rules[c.Kind]
	switch {
	case !ok:
		return fmt.Errorf("%w: unknown kind %.32q", ErrInvalid, c.Kind)
	case r.needsN && (c.N < 1 || c.N > MaxN):
		return fmt.Errorf("%w: %s needs n between 1 and %d", ErrInvalid, c.Kind, int64(MaxN))
	case !r.needsN && c.N != 0:
		return fmt.Errorf("%w: %s takes no n", ErrInvalid, c.Kind)
	case c.Mode != "" && (!r.allowsMode || !namePattern.MatchString(c.Mode)):
		return fmt.Errorf("%w: %s takes no mode %.32q", ErrInvalid, c.Kind, c.Mode)
	case r.needsBoard && !namePattern.MatchString(c.Board):
		return fmt.Errorf("%w: %s needs a board", ErrInvalid, c.Kind)
	case !r.needsBoard && c.Board != "":
		return fmt.Errorf("%w: %s takes no board", ErrInvalid, c.Kind)
	}
	return nil
}

// Encode renders c as the canonical JSON stored in the catalogue.
func (c Criteria) Encode() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("encode criteria: %w", err)
	}
	return b, nil
}
