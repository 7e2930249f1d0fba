// Package members runs real ProofStell member processes on loopback for the
// cluster benchmarks: it builds cmd/proofstell once, gives every member fixed
// loopback ports (HTTP, actor remoting, automanaged discovery) and a shared
// database, Redis prefix and JWT secret, starts, kills (SIGKILL) and restarts
// members by index, and reads their /metrics gauges.
//
// It only ever signals processes it started, by their pid, and only drops
// the database and Redis keys it created.
package members
