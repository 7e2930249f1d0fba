package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// endDue ends every challenge due to end: it freezes the challenge's board,
// records the final standings (MarkEnded, which also queues the rewards)
// and announces the challenges this call ended (within AnnounceWindow of
// their end). A challenge whose step
// fails stays due and is tried again at the next tick.
func endDue(ctx context.Context, d Deps, lease persistence.Lease, now time.Time) challengeRun {
	due, err := d.Challenges.DueToEnd(ctx, now)
	if err != nil {
		return failed(err)
	}
	var run challengeRun
	for _, c := range due {
		ev, first, err := endChallenge(ctx, d, lease, c, now)
		switch {
		case err != nil:
			run.fail(err)
			if errors.Is(err, persistence.ErrStaleEpoch) {
				return run
			}
		case !first:
			run.outcomes = append(run.outcomes, outcomeAlreadyEnded)
		case now.Sub(c.EndsAt) > AnnounceWindow:
			run.outcomes = append(run.outcomes, outcomeEndedLate)
		default:
			run.outcomes = append(run.outcomes, outcomeEnded)
			run.announce = append(run.announce, &protos.ClientEvent{Type: TypeChallengeEnded, Data: events.Encode(ev)})
		}
	}
	return run
}

// endChallenge freezes c's board and records its end; first reports whether
// this call recorded it.
func endChallenge(ctx context.Context, d Deps, lease persistence.Lease, c persistence.Challenge, now time.Time) (ChallengeEnded, bool, error) {
	key := standings.ChallengeKey(c.Mode, c.ID)
	ranked, err := freezeBoard(ctx, d, lease, key)
	if err != nil {
		return ChallengeEnded{}, false, fmt.Errorf("end challenge %s: freeze %s: %w", c.ID, key, err)
	}
	final := make([]persistence.ChallengeStanding, len(ranked))
	ev := ChallengeEnded{ChallengeID: c.ID, Mode: c.Mode, Winners: []ChallengeWinner{}}
	for i, st := range ranked {
		won := st.Rank <= c.RewardTop
		final[i] = persistence.ChallengeStanding{PlayerID: st.PlayerID, Rank: st.Rank, Score: st.Score, Won: won}
		if won {
			ev.Winners = append(ev.Winners, ChallengeWinner{PlayerID: st.PlayerID, Rank: st.Rank, Score: st.Score})
		}
	}
	first, err := d.Challenges.MarkEnded(ctx, c.ID, lease.Holder, lease.Epoch, final, now)
	if err != nil || !first {
		return ChallengeEnded{}, false, err
	}
	nameWinners(ctx, d, key, ev.Winners)
	return ev, true, nil
}

// nameWinners fills in the winners' usernames from the board's records. A
// failure leaves them out: the event is announced anyway, and clients can
// read the names from the board.
func nameWinners(ctx context.Context, d Deps, key standings.Key, winners []ChallengeWinner) {
	if len(winners) == 0 {
		return
	}
	at := make(map[string]int, len(winners))
	for i, w := range winners {
		at[w.PlayerID] = i
	}
	_ = d.Standings.EachStanding(ctx, boardKey(key), func(st persistence.Standing) error {
		if i, ok := at[st.PlayerID]; ok {
			winners[i].Username = st.Username
		}
		return nil
	})
}

// freezeBoard freezes one board period (FreezeBoard) and returns its final
// standings in rank order: the ones it ranked, or, when an earlier run
// (maybe a previous leader's) froze it, the ones stored then.
func freezeBoard(ctx context.Context, d Deps, lease persistence.Lease, key standings.Key) ([]persistence.PeriodStanding, error) {
	o, err := FreezeBoard(ctx, d, lease, key)
	switch {
	case err != nil:
		return nil, err
	case o.Result == FreezeAlreadyFrozen:
		ranked, err := d.Periods.PeriodStandings(ctx, boardKey(key))
		if err != nil {
			return nil, fmt.Errorf("read frozen standings: %w", err)
		}
		return ranked, nil
	}
	return o.Standings, nil
}
