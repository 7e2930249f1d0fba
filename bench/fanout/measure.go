package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/bench/internal/parallel"
	"github.com/proofstell/proofstell/bench/internal/stats"
	appconfig "github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/persistence/redis"
)

// subscribeID is the request id of every socket's leaderboard:subscribe.
const subscribeID = 1

// result is one fan-out run.
type result struct {
	Accounts int
	Opened   int
	Failed   map[string]int
	Levels   []level
	Late     int64
	Closed   int64
}

// level is the measurement at one subscriber count.
type level struct {
	Subscribers int
	Broadcasts  int
	// Complete counts broadcasts every subscriber received within -wait.
	Complete int
	// Missing counts deliveries not received within -wait.
	Missing int
	// Last is, per broadcast, the time until its last subscriber received it.
	Last stats.Summary
	// Each is every single delivery's latency.
	Each stats.Summary
}

// measureFanout signs in, opens the sockets, then measures each level.
func measureFanout(ctx context.Context, cfg config, log io.Writer) (result, error) {
	res := result{Failed: map[string]int{}}
	bus, err := redis.Open(ctx, appconfig.Redis{URL: cfg.RedisURL, Prefix: cfg.RedisPrefix, SubscribeQueue: 1})
	if err != nil {
		return result{}, fmt.Errorf("open redis: %w", err)
	}
	defer func() { _ = bus.Close() }()
	tokens := signIn(ctx, cfg, res.Failed)
	res.Accounts = len(tokens)
	logf(log, "signed in %d guests", len(tokens))
	f := openSockets(ctx, cfg, tokens, res.Failed)
	defer f.close()
	res.Opened = len(f.subs)
	logf(log, "opened %d sockets", res.Opened)
	subscribed := 0
	for _, n := range cfg.Levels {
		if n > len(f.subs) {
			res.Failed["level "+strconv.Itoa(n)+" skipped: too few sockets"]++
			continue
		}
		subscribed += subscribe(ctx, cfg, f.subs[subscribed:n], res.Failed)
		lv, err := f.measureLevel(ctx, cfg, bus, subscribed)
		if err != nil {
			return result{}, err
		}
		logf(log, "%d subscribers: last %s", subscribed, lv.Last)
		res.Levels = append(res.Levels, lv)
	}
	res.Late, res.Closed = f.late.Load(), f.closed.Load()
	return res, nil
}

// signIn signs in one guest per socket of the largest level.
func signIn(ctx context.Context, cfg config, failed map[string]int) []string {
	tokens := make([]string, cfg.sockets())
	parallel.ForEach(ctx, len(tokens), cfg.Concurrency, func(i int) {
		if login, err := wsclient.GuestLogin(ctx, "http://"+cfg.Addr, cfg.deviceID(i)); err == nil {
			tokens[i] = login.AccessToken
		}
	})
	out := tokens[:0]
	for _, t := range tokens {
		if t != "" {
			out = append(out, t)
		}
	}
	if n := len(tokens) - len(out); n > 0 {
		failed["login"] += n
	}
	return out
}

// openSockets dials one socket per token and starts its reader.
func openSockets(ctx context.Context, cfg config, tokens []string, failed map[string]int) *fleet {
	readCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &fleet{cancel: cancel, base: time.Now(),
		sent: make([]atomic.Int64, len(cfg.Levels)*(cfg.Broadcasts+1))}
	subs := make([]*subscriber, len(tokens))
	parallel.ForEach(ctx, len(tokens), cfg.Concurrency, func(i int) {
		c, err := wsclient.Dial(ctx, "http://"+cfg.Addr, tokens[i])
		if err != nil {
			return
		}
		subs[i] = &subscriber{client: c, acked: make(chan struct{}, 1)}
		f.readers.Go(func() { f.read(readCtx, subs[i]) })
	})
	for _, s := range subs {
		if s != nil {
			f.subs = append(f.subs, s)
		}
	}
	if n := len(tokens) - len(f.subs); n > 0 {
		failed["dial"] += n
	}
	return f
}

// subscribe subscribes subs to the board and waits for each ack; it
// returns how many were acknowledged.
func subscribe(ctx context.Context, cfg config, subs []*subscriber, failed map[string]int) int {
	var ok atomic.Int64
	parallel.ForEach(ctx, len(subs), cfg.Concurrency, func(i int) {
		s := subs[i]
		err := s.client.Request(ctx, "leaderboard:subscribe", subscribeID, map[string]string{"leaderboardId": cfg.Board})
		if err != nil {
			return
		}
		select {
		case <-s.acked:
			ok.Add(1)
		case <-time.After(cfg.Wait):
		}
	})
	if n := len(subs) - int(ok.Load()); n > 0 {
		failed["subscribe"] += n
	}
	return len(subs)
}

// measureLevel publishes one warm-up broadcast, then cfg.Broadcasts
// measured ones, one at a time.
func (f *fleet) measureLevel(ctx context.Context, cfg config, bus *redis.Client, subscribers int) (level, error) {
	lv := level{Subscribers: subscribers, Broadcasts: cfg.Broadcasts}
	var last, each []time.Duration
	for i := range cfg.Broadcasts + 1 {
		got, err := f.broadcast(ctx, cfg, bus, subscribers)
		if err != nil {
			return level{}, err
		}
		if i == 0 {
			continue // warm-up
		}
		each = append(each, got...)
		lv.Missing += subscribers - len(got)
		if len(got) == subscribers {
			lv.Complete++
			last = append(last, slicesMax(got))
		}
		if !sleepCtx(ctx, cfg.Interval) {
			return level{}, fmt.Errorf("measure %d subscribers: %w", subscribers, ctx.Err())
		}
	}
	lv.Last, lv.Each = stats.Summarize(last), stats.Summarize(each)
	return lv, nil
}

// broadcast publishes the next broadcast and collects its receipts until
// every subscriber has it or cfg.Wait passes.
func (f *fleet) broadcast(ctx context.Context, cfg config, bus *redis.Client, subscribers int) ([]time.Duration, error) {
	seq := 0
	if prev := f.cur.Load(); prev != nil {
		seq = prev.seq + 1
	}
	if seq >= len(f.sent) {
		return nil, fmt.Errorf("broadcast %d: more than planned", seq)
	}
	payload, err := proto.Marshal(&protos.ClientEvent{Type: "leaderboard:update", Data: []byte(benchPrefix + strconv.Itoa(seq) + "}")})
	if err != nil {
		return nil, fmt.Errorf("encode broadcast: %w", err)
	}
	r := newRound(seq, subscribers)
	f.cur.Store(r)
	f.sent[seq].Store(int64(time.Since(f.base)))
	// The channel the server's hub subscribes to: REDIS_PREFIX + "events:" + topic.
	if err := bus.Publish(ctx, "events:leaderboard:"+cfg.Board, payload); err != nil {
		return nil, fmt.Errorf("publish broadcast %d: %w", seq, err)
	}
	timer := time.NewTimer(cfg.Wait)
	defer timer.Stop()
	select {
	case <-r.done:
	case <-timer.C:
	case <-ctx.Done():
		return nil, fmt.Errorf("broadcast %d: %w", seq, ctx.Err())
	}
	return r.received(), nil
}

func slicesMax(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// sleepCtx waits d unless ctx ends first; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
