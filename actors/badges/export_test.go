package badges

// WorstRank and Processed expose internals to the external tests.
var (
	WorstRank = worstRank
	Processed = processed
)
