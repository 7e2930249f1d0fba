package config

// Warnings lists what in a valid configuration an operator should know
// about at start: settings that work but are risky where they are. cmd logs
// each once.
func (c Config) Warnings() []string {
	var w []string
	if c.Env == EnvProduction && !c.Redis.Shared() {
		w = append(w, "REDIS_URL is empty: this production node keeps rate limits, lockouts, wallet nonces, "+
			"the revocation cache and the event bus in process; that is right for one node only, "+
			"and a restart forgets budgets and lockouts (revocations stay in PostgreSQL). Set REDIS_URL before adding a node")
	}
	return w
}
