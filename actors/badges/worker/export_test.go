package worker

// WorstRank and Processed expose internals to the external tests.
var (
	WorstRank = worstRank
	Processed = processed
)
