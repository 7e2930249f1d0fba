package matchmaker

// Tick is the timer message, sent by tests in place of the timer.
type Tick = tick
