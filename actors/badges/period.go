package badges

import (
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

// processPeriod awards the rank badges of a frozen period: it reads the
// standings down to the worst rank any active board_rank badge of the
// board accepts, evaluates those players with their rank, and announces
// the new awards. A board with no rank badge is done with at once.
func (w *Worker) processPeriod(ctx context.Context, it persistence.OutboxItem) error {
	var p persistence.PeriodFrozen
	if err := json.Unmarshal(it.Payload, &p); err != nil || p.Board == "" || p.Period == "" {
		w.deps.Logger.Error("badge worker: malformed period.frozen", slog.Int64("row", it.ID), slog.Any("error", err))
		processed.WithLabelValues(TopicPeriodFrozen, "malformed").Inc()
		return nil
	}
	catalogue, err := w.deps.Store.Badges(ctx, true)
	if err != nil {
		return fmt.Errorf("rank badges of %s/%s: %w", p.Board, p.Period, err)
	}
	worst := worstRank(catalogue, p.Board)
	if worst == 0 || (p.Mode != "" && p.Mode != "classic") {
		processed.WithLabelValues(TopicPeriodFrozen, "skipped").Inc()
		return nil
	}
	top, err := w.deps.Store.PeriodTop(ctx, persistence.BoardKey{Mode: "classic", Board: p.Board, Period: p.Period}, worst)
	if err != nil {
		return fmt.Errorf("rank badges of %s/%s: %w", p.Board, p.Period, err)
	}
	ids := make([]string, 0, len(top))
	ranks := make(map[string]map[string]int64, len(top))
	for _, st := range top {
		ids = append(ids, st.PlayerID)
		ranks[st.PlayerID] = map[string]int64{p.Board: int64(st.Rank)}
	}
	return w.evaluate(ctx, TopicPeriodFrozen, ids, ranks)
}

// worstRank is the largest n among the board_rank criteria of board in
// catalogue (0 when none), capped at math.MaxInt32: how deep a period's
// standings must be read to decide every rank badge of the board.
// Criteria that no longer decode are ignored, as badges.Assess does.
func worstRank(catalogue []persistence.Badge, board string) int {
	var worst int64
	for _, b := range catalogue {
		c, err := criteria.Decode(b.Criteria)
		if err != nil || c.Kind != criteria.KindBoardRank || c.Board != board {
			continue
		}
		worst = max(worst, min(c.N, math.MaxInt32))
	}
	return int(worst)
}
