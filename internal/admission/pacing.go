package admission

import (
	"math"
	"time"
)

// The retry hint of a busy answer is a return time (see the package doc):
// shed clients are spaced at overbook × the node's admission rate.

// adaptRate averages this sample's admissions into the admission rate and
// keeps its peak: the pacing rate follows the average up at once and fades
// with rateHalfLife. A floor of MinLimit games per RetryAfter keeps the
// pacing finite before any game was admitted.
func (c *Controller) adaptRate() {
	sample := float64(c.admits.Swap(0)) / c.opts.Interval.Seconds()
	if c.avgRate == 0 {
		c.avgRate = sample // the first admissions set it, not an eighth of them
	} else {
		c.avgRate += rateWeight * (sample - c.avgRate)
	}
	rate := max(c.avgRate, c.fade()*math.Float64frombits(c.rate.Load()), c.floorRate())
	c.rate.Store(math.Float64bits(rate))
	c.opts.Metrics.ReturnRate.Set(overbook * rate)
}

// retryAfter hands the shed client a return time, like a ticket at a
// counter: one step of 1/(overbook × rate) after the last one promised, and
// never sooner than RetryAfter from now. Clients refused in a burst are
// spread over the time the node needs to take them, so they come back at
// the rate places open: neither all at once (a wave of refusals) nor long
// after the node has room (a hint that guessed the queue too long). A
// return past MaxRetryAfter is not promised: the client gets the cap.
func (c *Controller) retryAfter() time.Duration {
	now := c.opts.Now().UnixNano()
	step := int64(float64(time.Second) / (overbook * c.currentRate()))
	earliest, horizon := now+int64(c.opts.RetryAfter), now+int64(c.opts.MaxRetryAfter)
	for {
		last := c.returnAt.Load()
		next := min(max(last, earliest)+step, horizon)
		if c.returnAt.CompareAndSwap(last, next) {
			return time.Duration(next - now)
		}
	}
}

// currentRate is the pacing rate: the peak admission rate, or the floor
// before the first sample.
func (c *Controller) currentRate() float64 {
	if r := math.Float64frombits(c.rate.Load()); r > 0 {
		return r
	}
	return c.floorRate()
}

// floorRate is the slowest pacing, MinLimit games per RetryAfter.
func (c *Controller) floorRate() float64 {
	return float64(c.opts.MinLimit) / c.opts.RetryAfter.Seconds()
}

// fade is the share of a remembered level left after one sample.
func (c *Controller) fade() float64 {
	return math.Exp2(-c.opts.Interval.Seconds() / rateHalfLife.Seconds())
}
