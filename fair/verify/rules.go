package verify

import "fmt"

// Bounds of the game (actors/session/game/mode.go) a replay must be within
// for the schedule and the judge to be computable.
const (
	maxHoles       = 64
	maxPlayers     = 8
	maxSpanNs      = int64(24 * 3600 * 1e9)
	maxInputs      = 8192
	maxRatePerSec  = 1000
	maxLimitSpanNs = int64(60 * 1e9)
)

// checkRules returns the first way the replay leaves the game's bounds, ""
// when it is within them.
func checkRules(r Replay) string {
	m := r.Rules
	switch {
	case m.Rows < 1 || m.Cols < 1 || m.Rows > maxHoles || m.Cols > maxHoles || m.Rows*m.Cols > maxHoles:
		return fmt.Sprintf("board %dx%d", m.Rows, m.Cols)
	case !inSpan(m.DurationNs, 1) || !inSpan(m.SpawnIntervalNs, 1) || !inSpan(m.VisibleNs, 1):
		return "durations outside (0, 24h]"
	case m.DurationNs/m.SpawnIntervalNs >= maxMoles:
		return "too many spawn slots"
	case m.MolesAtOnce < 1 || m.MolesAtOnce > maxHoles:
		return fmt.Sprintf("molesAtOnce %d", m.MolesAtOnce)
	case !(m.GoldenChance >= 0 && m.BombChance >= 0 && m.GoldenChance+m.BombChance <= 1):
		return "chances outside [0, 1]"
	case r.Limits.LagCapNs < 0 || r.Limits.LagCapNs > maxLimitSpanNs || r.Limits.MinReactionNs < 0 ||
		r.Limits.MaxWhacksPerSecond < 1 || r.Limits.MaxWhacksPerSecond > maxRatePerSec:
		return "limits outside their bounds"
	case len(r.Players) < 1 || len(r.Players) > maxPlayers:
		return fmt.Sprintf("%d players", len(r.Players))
	case len(r.Inputs) > maxInputs:
		return fmt.Sprintf("%d inputs", len(r.Inputs))
	}
	for i, in := range r.Inputs {
		if p := checkInput(r, in); p != "" {
			return fmt.Sprintf("input %d: %s", i, p)
		}
	}
	for i, res := range r.Results {
		if res.Player < 0 || res.Player >= int64(len(r.Players)) {
			return fmt.Sprintf("result %d: no player %d", i, res.Player)
		}
	}
	return ""
}

// checkInput bounds one whack: the server refuses a whack off the board or
// at or after the end, and never grants more allowance than the lag cap.
func checkInput(r Replay, in Input) string {
	switch {
	case in.Player < 0 || in.Player >= int64(len(r.Players)):
		return fmt.Sprintf("no player %d", in.Player)
	case in.Hole < 0 || in.Hole >= r.Rules.Rows*r.Rules.Cols:
		return fmt.Sprintf("no hole %d", in.Hole)
	case in.AtNs >= r.Rules.DurationNs || in.AtNs < -maxSpanNs:
		return fmt.Sprintf("at %d ns outside the game", in.AtNs)
	case in.AllowanceNs < 0 || in.AllowanceNs > r.Limits.LagCapNs:
		return fmt.Sprintf("allowance %d ns outside [0, lagCap]", in.AllowanceNs)
	}
	return ""
}

func inSpan(v, lowest int64) bool { return v >= lowest && v <= maxSpanNs }
