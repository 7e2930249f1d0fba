// Package testports hands out loopback ports for servers a test starts as
// separate processes (the proofstell binary, cluster members, redis-server,
// a throwaway PostgreSQL).
//
// Asking the kernel for port 0 and passing the number on races: between
// the pick and the child's bind, the kernel may give the same port to any
// other process's outgoing connection or :0 listener, because :0 ports come
// from the ephemeral range. These ports come from below it instead
// (20000–32000; Linux's ephemeral range starts at 32768), where the kernel
// hands out nothing by itself; within a process each port is handed out
// once, and the start is spread by pid so concurrent test binaries rarely
// meet. A port someone already listens on is skipped.
package testports

import (
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"testing"
)

// The range ports are handed out from: below the kernel's ephemeral range.
const (
	low  = 20000
	high = 32000
)

var next atomic.Int64

func init() {
	next.Store(int64(os.Getpid()) * 97 % (high - low))
}

// Free returns a loopback port no one listens on, handed out to no one else
// in this process. It fails the test when the whole range is taken.
func Free(t testing.TB) int {
	t.Helper()
	for range high - low {
		port := low + int(next.Add(1)%(high-low))
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // taken: the next one
		}
		_ = l.Close()
		return port
	}
	t.Fatalf("testports: no free loopback port in %d-%d", low, high)
	return 0
}
