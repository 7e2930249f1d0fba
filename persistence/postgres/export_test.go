package postgres

// CreateSessionSQL exposes the statement to plan tests (sessions_plan_test.go).
const CreateSessionSQL = createSessionSQL
