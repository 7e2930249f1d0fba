// Package persistence defines the record types and store contracts of
// ProofStell. PostgreSQL (persistence/postgres) is the source of truth; Redis
// (persistence/redis) holds shared, short-lived state and cross-node pub/sub
// when several nodes run; a single node may keep that state in process
// instead (persistence/memory), behind the same contracts.
//
// Every store method takes the caller's context, wraps driver errors with
// context and maps the few conditions callers act on to the sentinel errors
// below, so no caller ever imports a driver.
//
// The outbox has two kinds of consumers: claimers (OutboxStore: one worker
// per row, rows leased and completed) and cursor readers (OutboxReader:
// every reader sees every row, each through its own cursor, gap-free at
// the snapshot horizon). Rows are never deleted.
package persistence
