package config

import "time"

// Admission configures overload protection (issue #12, target 2): when the
// node sheds new games with busy, and the caps it enforces. See
// internal/admission.
type Admission struct {
	// MaxActiveGames caps the games played through this node's connections
	// at once; 0: no cap (pressure alone decides).
	MaxActiveGames int
	// MaxOpening caps the games admitted whose session has not answered
	// yet: the queue in front of session creation.
	MaxOpening int
	// SchedLatency is the limit of the Go scheduler's p99 run-queue delay
	// over a sample; 0 disables the signal.
	SchedLatency time.Duration
	// PoolWait is the limit of the PostgreSQL pool's mean acquire wait over
	// a sample; 0 disables the signal.
	PoolWait time.Duration
	// RetryAfter is the shortest retry hint of a busy answer; shed clients
	// are given return times paced at the node's admission rate, to 10× it
	// at most.
	RetryAfter time.Duration
	// Interval is the pressure sampling period.
	Interval time.Duration
}

func defaultAdmission() Admission {
	return Admission{MaxOpening: 256, SchedLatency: 100 * time.Millisecond, PoolWait: 250 * time.Millisecond,
		RetryAfter: time.Second, Interval: 250 * time.Millisecond}
}

func (c Config) validateAdmission(p *problems) {
	a := c.Admission
	p.count("MAX_ACTIVE_GAMES", int64(a.MaxActiveGames), 0, 10_000_000)
	p.count("ADMISSION_MAX_OPENING", int64(a.MaxOpening), 1, 1_000_000)
	p.between("ADMISSION_SCHED_LATENCY", a.SchedLatency, 0, 10*time.Second)
	p.between("ADMISSION_POOL_WAIT", a.PoolWait, 0, 10*time.Second)
	p.between("ADMISSION_RETRY_AFTER", a.RetryAfter, 10*time.Millisecond, time.Minute)
	p.between("ADMISSION_INTERVAL", a.Interval, 10*time.Millisecond, 10*time.Second)
}
