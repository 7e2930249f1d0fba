package badges

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/proofstell/proofstell/actors/badges/award"
	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// TopicChallengeEnded is the third outbox topic the worker drains: a
// challenge ended and its final standings were stored
// (persistence.ChallengeJobs.MarkEnded).
const TopicChallengeEnded = persistence.TopicChallengeEnded

// processChallenge gives an ended challenge's reward badge to its winners,
// then re-assesses the catalogue (challenges_completed, challenges_won and
// the rest) for everyone with a final standing, and announces the new
// awards. Both steps are idempotent, so a redelivered row awards nothing
// twice.
func (w *Worker) processChallenge(ctx context.Context, it persistence.OutboxItem) error {
	var e persistence.ChallengeEndedEvent
	if err := json.Unmarshal(it.Payload, &e); err != nil || !standings.ValidChallengeID(e.ChallengeID) {
		w.deps.Logger.Error("badge worker: malformed challenge.ended", slog.Int64("row", it.ID), slog.Any("error", err))
		processed.WithLabelValues(TopicChallengeEnded, "malformed").Inc()
		return nil
	}
	rewards, err := w.reward(ctx, e)
	w.announce(rewards)
	if err != nil {
		return err
	}
	return w.evaluate(ctx, TopicChallengeEnded, e.Players, nil)
}

// reward awards e's reward badge to each of its winners, returning the
// awards the store reports as new. A challenge without a reward, or whose
// badge is gone or retired, rewards nobody; a winner whose account is gone
// is passed over (a banned one is refused by the store).
func (w *Worker) reward(ctx context.Context, e persistence.ChallengeEndedEvent) ([]award.Award, error) {
	if e.RewardBadge == "" || len(e.Winners) == 0 {
		return nil, nil
	}
	badge, ok, err := w.activeBadge(ctx, e.RewardBadge)
	if err != nil || !ok {
		if err == nil {
			w.deps.Logger.Warn("badge worker: reward badge not active", slog.String("challenge", e.ChallengeID),
				slog.String("badge", e.RewardBadge))
		}
		return nil, err
	}
	var out []award.Award
	for _, p := range e.Winners {
		awarded, err := w.deps.Store.AwardBadge(ctx, p, badge.ID, persistence.SourceAuto)
		switch {
		case errors.Is(err, persistence.ErrNotFound):
			w.deps.Logger.Warn("badge worker: challenge winner not found", slog.String("challenge", e.ChallengeID),
				slog.String("player", p))
		case err != nil:
			return out, fmt.Errorf("reward of challenge %s to %s: %w", e.ChallengeID, p, err)
		case awarded:
			out = append(out, award.Award{PlayerID: p, Badge: badge})
		}
	}
	return out, nil
}

// activeBadge finds the badge id in the active catalogue; ok is false when
// it is not there (deleted or retired).
func (w *Worker) activeBadge(ctx context.Context, id string) (persistence.Badge, bool, error) {
	catalogue, err := w.deps.Store.Badges(ctx, true)
	if err != nil {
		return persistence.Badge{}, false, fmt.Errorf("reward badge %s: %w", id, err)
	}
	for _, b := range catalogue {
		if b.ID == id {
			return b, true, nil
		}
	}
	return persistence.Badge{}, false, nil
}
