package playbot

// Mole kinds of game:mole.
const (
	KindNormal = "normal"
	KindGolden = "golden"
	KindBomb   = "bomb"
)

// Game states of game:state-change.
const (
	StateWaiting = "waiting"
	StateStarted = "started"
	StatePaused  = "paused"
	StateEnded   = "ended"
)

// Started is the ack of game:start.
type Started struct {
	SessionID string `json:"sessionId"`
	Mode      string `json:"mode"`
	Board     struct {
		Rows int `json:"rows"`
		Cols int `json:"cols"`
	} `json:"board"`
	DurationMs int64 `json:"durationMs"`
}

// StateChange is game:state-change.
type StateChange struct {
	State       string `json:"state"`
	StartsInMs  int64  `json:"startsInMs"`
	RemainingMs int64  `json:"remainingMs"`
	Reason      string `json:"reason"`
}

// Mole is game:mole.
type Mole struct {
	MoleID int64  `json:"moleId"`
	Hole   int    `json:"hole"`
	Kind   string `json:"kind"`
	UpMs   int64  `json:"upMs"`
}

// Hit is game:hit.
type Hit struct {
	MoleID   int64  `json:"moleId"`
	Hole     int    `json:"hole"`
	PlayerID string `json:"playerId"`
	Points   int64  `json:"points"`
	Score    int64  `json:"score"`
}

// Miss is game:miss.
type Miss struct {
	Hole   int    `json:"hole"`
	Reason string `json:"reason"`
	Score  int64  `json:"score"`
}

// Result is one player's line of game:over.
type Result struct {
	PlayerID string `json:"playerId"`
	Score    int64  `json:"score"`
	Hits     int64  `json:"hits"`
	Misses   int64  `json:"misses"`
}

// Over is game:over.
type Over struct {
	Results []Result `json:"results"`
	Flagged bool     `json:"flagged"`
}

// ErrorFrame is the payload of an error frame.
type ErrorFrame struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
