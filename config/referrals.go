package config

import "time"

// Referrals configures referral rewards and their anti-farming checks
// (issue #16, actors/referrals).
type Referrals struct {
	// Games is how many finished, unflagged ranked games the referred
	// player plays before both players are rewarded.
	Games int
	// DailyCap is the most referrals a referrer gets accepted per rolling
	// 24 hours; past it a sign-up still succeeds but its referral is
	// refused. 0 means no cap.
	DailyCap int
	// IPWindow refuses a referral whose sign-up comes from an IP the
	// referrer signed in from within this long.
	IPWindow time.Duration
	// FingerprintSecret keys the sign-in fingerprints (HMAC-SHA256): with
	// it a leaked fingerprint table cannot be reversed by hashing every
	// IPv4 address. Every node must share it, or their fingerprints never
	// match.
	FingerprintSecret string
	// FingerprintSecretGenerated is true when FingerprintSecret was
	// generated for development: fingerprints then match only within the
	// process.
	FingerprintSecretGenerated bool
}

func defaultReferrals() Referrals {
	return Referrals{Games: 3, DailyCap: 10, IPWindow: 24 * time.Hour}
}

func (c Config) validateReferrals(p *problems) {
	r := c.Referrals
	p.count("REFERRAL_GAMES", int64(r.Games), 1, 1000)
	p.count("REFERRAL_DAILY_CAP", int64(r.DailyCap), 0, 100_000)
	p.between("REFERRAL_IP_WINDOW", r.IPWindow, 0, 365*24*time.Hour)
	switch {
	case r.FingerprintSecret == "" && c.Env == EnvProduction:
		p.add("REFERRAL_FINGERPRINT_SECRET", "required in production")
	case r.FingerprintSecretGenerated && c.Env == EnvProduction:
		p.add("REFERRAL_FINGERPRINT_SECRET", "production refuses a generated secret")
	}
	if c.Env != EnvDevelopment {
		p.secret("REFERRAL_FINGERPRINT_SECRET", r.FingerprintSecret)
	}
}
