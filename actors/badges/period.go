package badges

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"

	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

// TopicPeriodFrozen is the second outbox topic the worker drains: a period
// was frozen at its close (persistence.PeriodStore.SavePeriodRoot).
const TopicPeriodFrozen = persistence.TopicPeriodFrozen

// challengeBoard is the board of one challenge: its frozen standings earn
// the challenge's reward badges (challenge.ended), never board_rank ones.
const challengeBoard = "challenge"

// processPeriod awards the rank badges of a frozen period of a mode's
// board: it reads the standings down to the worst rank any active
// board_rank badge of that mode's board accepts, evaluates those players
// with their rank, and announces the new awards. A board with no rank
// badge, and a challenge's board, is done with at once. A row without a
// mode (written before closes were per mode) is classic's.
func (w *Worker) processPeriod(ctx context.Context, it persistence.OutboxItem) error {
	var p persistence.PeriodFrozen
	if err := json.Unmarshal(it.Payload, &p); err != nil || p.Board == "" || p.Period == "" {
		w.deps.Logger.Error("badge worker: malformed period.frozen", slog.Int64("row", it.ID), slog.Any("error", err))
		processed.WithLabelValues(TopicPeriodFrozen, "malformed").Inc()
		return nil
	}
	mode := cmp.Or(p.Mode, criteria.DefaultRankMode)
	if p.Board == challengeBoard {
		processed.WithLabelValues(TopicPeriodFrozen, "skipped").Inc()
		return nil
	}
	catalogue, err := w.deps.Store.Badges(ctx, true)
	if err != nil {
		return fmt.Errorf("rank badges of %s/%s/%s: %w", mode, p.Board, p.Period, err)
	}
	worst := worstRank(catalogue, mode, p.Board)
	if worst == 0 {
		processed.WithLabelValues(TopicPeriodFrozen, "skipped").Inc()
		return nil
	}
	top, err := w.deps.Store.PeriodTop(ctx, persistence.BoardKey{Mode: mode, Board: p.Board, Period: p.Period}, worst)
	if err != nil {
		return fmt.Errorf("rank badges of %s/%s/%s: %w", mode, p.Board, p.Period, err)
	}
	ids := make([]string, 0, len(top))
	ranks := make(map[string]map[string]int64, len(top))
	for _, st := range top {
		ids = append(ids, st.PlayerID)
		ranks[st.PlayerID] = map[string]int64{criteria.RankKey(mode, p.Board): int64(st.Rank)}
	}
	return w.evaluate(ctx, TopicPeriodFrozen, ids, ranks)
}

// worstRank is the largest n among the board_rank criteria of mode's board
// in catalogue (0 when none), capped at math.MaxInt32: how deep a period's
// standings must be read to decide every rank badge of the board.
// Criteria that no longer decode are ignored, as badges.Assess does.
func worstRank(catalogue []persistence.Badge, mode, board string) int {
	var worst int64
	for _, b := range catalogue {
		c, err := criteria.Decode(b.Criteria)
		if err != nil || c.Kind != criteria.KindBoardRank || c.Board != board || c.RankMode() != mode {
			continue
		}
		worst = max(worst, min(c.N, math.MaxInt32))
	}
	return int(worst)
}
