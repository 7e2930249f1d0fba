package redis

import (
	"bufio"
	"context"
	"strings"
	"sync"

	goredis "github.com/redis/go-redis/v9"
)

// serverWatch notices when the client's connections land on another Redis
// server process than before (a restart, or a failover to a replica), by
// the run_id every new connection reads from INFO. A replica promoted while
// behind keeps old keys (the rebuilt marker among them) yet misses the
// newest writes; only its new run_id gives it away.
type serverWatch struct {
	mu       sync.Mutex
	runID    string
	onChange []func()
}

// OnServerChange registers fn to run when a new connection finds a Redis
// server other than the one seen before. fn runs on the connecting
// goroutine before the connection is used, so it must be quick and must not
// call Redis.
func (c *Client) OnServerChange(fn func()) {
	c.server.mu.Lock()
	defer c.server.mu.Unlock()
	c.server.onChange = append(c.server.onChange, fn)
}

// onConnect is go-redis's OnConnect hook. A server that refuses INFO
// (renamed by a managed service) is simply not watched.
func (c *Client) onConnect(ctx context.Context, cn *goredis.Conn) error {
	info, err := cn.Info(ctx, "server").Result()
	if err != nil {
		return nil
	}
	if id := runID(info); id != "" {
		c.server.observe(id)
	}
	return nil
}

// observe records id and runs the callbacks when it replaces another.
func (w *serverWatch) observe(id string) {
	w.mu.Lock()
	changed := w.runID != "" && w.runID != id
	w.runID = id
	callbacks := append([]func(){}, w.onChange...)
	w.mu.Unlock()
	if changed {
		for _, fn := range callbacks {
			fn()
		}
	}
}

// runID extracts run_id from an INFO server reply.
func runID(info string) string {
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "run_id:"); ok {
			return v
		}
	}
	return ""
}
