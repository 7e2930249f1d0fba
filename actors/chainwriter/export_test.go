package chainwriter

// Metrics exported to the external tests.
var (
	MetricTxTotal  = txTotal
	MetricTxErrors = txErrors
	MetricDuration = txDuration
	MetricQueue    = queueDepth
	MetricQueueAge = queueAge
	MetricFeeBumps = feeBumps
)
