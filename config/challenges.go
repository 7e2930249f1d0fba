package config

// Challenges configures the challenge jobs of the scheduler singleton
// (issue #15).
type Challenges struct {
	// Secret keys the daily challenge's rules (HMAC-SHA256 of the date,
	// actors/scheduler/daily): whoever knows it can compute any day's
	// challenge in advance, so it is a secret like JWT_SECRET. Every node
	// should share it, though only the scheduler's leader uses it.
	Secret string
	// SecretGenerated is true when Secret was generated for development:
	// a restarted node then derives days not generated yet differently.
	SecretGenerated bool
}

// validateChallenges requires the secret in production only: outside it,
// Load generates one when it is unset.
func (c Config) validateChallenges(p *problems) {
	ch := c.Challenges
	switch {
	case ch.Secret == "" && c.Env == EnvProduction:
		p.add("CHALLENGE_SECRET", "required in production")
	case ch.SecretGenerated && c.Env == EnvProduction:
		p.add("CHALLENGE_SECRET", "production refuses a generated secret")
	}
	if c.Env != EnvDevelopment {
		p.secret("CHALLENGE_SECRET", ch.Secret)
	}
}
