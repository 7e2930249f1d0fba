package leaderboard

import (
	"errors"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// ErrBadQuery marks a request naming an unknown board, a malformed period or
// out-of-range limits. Callers map it to a client error.
var ErrBadQuery = errors.New("bad leaderboard query")

// ParseIdentity parses and validates a grain identity,
// "<mode>/<board>/<period>" (standings.Key.Identity).
func ParseIdentity(id string) (standings.Key, error) {
	k, err := standings.ParseKey(id)
	if err != nil {
		return standings.Key{}, fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	return k, nil
}

// storedKey is the key as the stores name it.
func storedKey(k standings.Key) persistence.BoardKey {
	return persistence.BoardKey{Mode: k.Mode, Board: string(k.Board), Period: k.Period}
}

// checkKey validates a key built by a caller.
func checkKey(k standings.Key) error {
	if _, err := standings.NewKey(k.Mode, string(k.Board), k.Period); err != nil {
		return fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	return nil
}

// Times travel as Unix microseconds (Postgres precision); every entry is
// normalised to it on the way in so cursors built from replies match the
// index exactly.
func microUTC(t time.Time) time.Time { return time.UnixMicro(t.UnixMicro()).UTC() }

func entryFromStanding(s persistence.Standing) standings.Entry {
	return standings.Entry{PlayerID: s.PlayerID, Username: s.Username, Score: s.Score, AchievedAt: microUTC(s.AchievedAt)}
}

func entryFromProto(p *protos.StandingEntry) standings.Entry {
	return standings.Entry{
		PlayerID:   p.GetPlayerId(),
		Username:   p.GetUsername(),
		Score:      p.GetScore(),
		AchievedAt: time.UnixMicro(p.GetAchievedAtUnixMicro()).UTC(),
	}
}

func entryToProto(e standings.Entry) *protos.StandingEntry {
	return &protos.StandingEntry{
		PlayerId:            e.PlayerID,
		Username:            e.Username,
		Score:               e.Score,
		AchievedAtUnixMicro: e.AchievedAt.UnixMicro(),
	}
}

func rankedToProto(rs []standings.Ranked) []*protos.RankedEntry {
	out := make([]*protos.RankedEntry, len(rs))
	for i, r := range rs {
		out[i] = &protos.RankedEntry{Rank: int64(r.Rank), Entry: entryToProto(r.Entry)}
	}
	return out
}

func rankedFromProto(ps []*protos.RankedEntry) []standings.Ranked {
	out := make([]standings.Ranked, len(ps))
	for i, p := range ps {
		out[i] = standings.Ranked{Rank: int(p.GetRank()), Entry: entryFromProto(p.GetEntry())}
	}
	return out
}

func rankedToEvents(rs []standings.Ranked) []events.Standing {
	out := make([]events.Standing, len(rs))
	for i, r := range rs {
		out[i] = events.Standing{
			Rank:       int64(r.Rank),
			PlayerID:   r.PlayerID,
			Username:   r.Username,
			Score:      r.Score,
			AchievedAt: r.AchievedAt,
		}
	}
	return out
}
