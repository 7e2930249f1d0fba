package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/grains"
)

// Page is one page of a board in rank order.
type Page struct {
	Entries []standings.Ranked
	Total   int
	// NextCursor resumes after the last entry; empty on the last page.
	NextCursor string
}

// Client queries leaderboard grains for request handlers. Its calls block,
// so it must never be used inside an actor's Receive. A board whose grain
// serves on this node is read from the grain's View in the caller's
// goroutine; any other is asked through a request (a grain on another
// member, or one not active yet: the request activates it).
type Client struct {
	root  *actor.RootContext
	dir   grains.Directory
	views *Views
}

// NewClient talks to grains found through dir and reads the local ones
// through views, the registry given to their props as Deps.Views (nil:
// every read is a request).
func NewClient(root *actor.RootContext, dir grains.Directory, views *Views) *Client {
	return &Client{root: root, dir: dir, views: views}
}

// local returns the view of a board period's grain serving on this node
// that a read may use now, or nil.
func (c *Client) local(key standings.Key) *View {
	if v := c.views.lookup(key.Identity()); v != nil && v.ready() {
		return v
	}
	return nil
}

// Top returns up to limit (1..MaxPageSize) entries, after the cursor entry
// when after is set. Errors wrap ErrBadQuery or grains.ErrUnavailable.
func (c *Client) Top(ctx context.Context, key standings.Key, limit int, after *standings.Entry) (Page, error) {
	if err := checkKey(key); err != nil {
		return Page{}, fmt.Errorf("top of %s: %w", key, err)
	}
	if limit < 1 || limit > MaxPageSize {
		return Page{}, fmt.Errorf("top of %s: limit %d: %w", key, limit, ErrBadQuery)
	}
	q := &protos.TopQuery{Limit: int32(limit)} //nolint:gosec // bounded by MaxPageSize above
	if after != nil {
		q.After = entryToProto(*after)
	}
	var page Page
	var hasMore bool
	if v := c.local(key); v != nil {
		page.Entries, page.Total, hasMore = v.top(q)
	} else {
		var r *protos.TopReply
		if err := ask(ctx, c, key, q, &r); err != nil {
			return Page{}, fmt.Errorf("top of %s: %w", key, err)
		}
		page = Page{Entries: rankedFromProto(r.GetEntries()), Total: int(r.GetTotal())}
		hasMore = r.GetHasMore()
	}
	if hasMore && len(page.Entries) > 0 {
		page.NextCursor = standings.EncodeCursor(page.Entries[len(page.Entries)-1].Entry)
	}
	return page, nil
}

// Rank returns the player's standing and the board's size; found is false
// when the player has no entry on that period.
func (c *Client) Rank(ctx context.Context, key standings.Key, playerID string) (standings.Ranked, int, bool, error) {
	if err := checkKey(key); err != nil {
		return standings.Ranked{}, 0, false, fmt.Errorf("rank on %s: %w", key, err)
	}
	if v := c.local(key); v != nil {
		ranked, total, found := v.rank(playerID)
		if !found {
			return standings.Ranked{}, total, false, nil
		}
		return ranked, total, true, nil
	}
	var r *protos.RankReply
	if err := ask(ctx, c, key, &protos.RankQuery{PlayerId: playerID}, &r); err != nil {
		return standings.Ranked{}, 0, false, fmt.Errorf("rank on %s: %w", key, err)
	}
	if !r.GetFound() {
		return standings.Ranked{}, int(r.GetTotal()), false, nil
	}
	ranked := rankedFromProto([]*protos.RankedEntry{r.GetEntry()})[0]
	return ranked, int(r.GetTotal()), true, nil
}

// Around returns the player's neighbourhood of radius (0..MaxRadius) ranks
// on each side, clipped at the ends of the board.
func (c *Client) Around(ctx context.Context, key standings.Key, playerID string, radius int) ([]standings.Ranked, int, bool, error) {
	if err := checkKey(key); err != nil {
		return nil, 0, false, fmt.Errorf("around on %s: %w", key, err)
	}
	if radius < 0 || radius > MaxRadius {
		return nil, 0, false, fmt.Errorf("around on %s: radius %d: %w", key, radius, ErrBadQuery)
	}
	if v := c.local(key); v != nil {
		entries, total := v.around(playerID, radius)
		return entries, total, len(entries) > 0, nil
	}
	q := &protos.AroundQuery{PlayerId: playerID, Radius: int32(radius)} //nolint:gosec // bounded by MaxRadius above
	var r *protos.AroundReply
	if err := ask(ctx, c, key, q, &r); err != nil {
		return nil, 0, false, fmt.Errorf("around on %s: %w", key, err)
	}
	return rankedFromProto(r.GetEntries()), int(r.GetTotal()), r.GetFound(), nil
}

// Apply offers committed results to the board's period without waiting:
// the results are in Postgres already, so a lost message only delays them
// until the grain's next rebuild. A read through this node's Clients that
// starts after Apply returned sees the results (View: read-your-apply).
func (c *Client) Apply(ctx context.Context, key standings.Key, entries []standings.Entry) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("apply to %s: %w", key, err)
	}
	id := key.Identity()
	if len(entries) == 0 {
		return nil
	}
	msg := &protos.ApplyStandings{Entries: make([]*protos.StandingEntry, len(entries))}
	for i, e := range entries {
		msg.Entries[i] = entryToProto(e)
	}
	if v := c.views.lookup(id); v != nil {
		v.pending.Add(1) // before the send: reads queue behind it until offered
		c.root.Send(v.grain, &localApply{apply: msg, view: v})
		return nil
	}
	pid, err := c.dir.PID(ctx, grains.KindLeaderboard, id)
	if err != nil {
		return fmt.Errorf("apply to %s: %w", id, err)
	}
	c.root.Send(pid, msg)
	return nil
}

// ask sends q to the grain and stores its reply in *out, turning QueryFailed
// and unexpected replies into grains.ErrUnavailable.
func ask[R any](ctx context.Context, c *Client, key standings.Key, q any, out *R) error {
	reply, err := grains.Request(ctx, c.root, c.dir, grains.KindLeaderboard, key.Identity(), q)
	if err != nil {
		return err
	}
	switch r := reply.(type) {
	case R:
		*out = r
		return nil
	case *protos.QueryFailed:
		return fmt.Errorf("%s: %w", r.GetReason(), grains.ErrUnavailable)
	default:
		return fmt.Errorf("unexpected reply %T: %w", reply, grains.ErrUnavailable)
	}
}

// Rename shows playerID under username on the live grains of every board's
// current period (at now) of each of the ranked modes where the player stands under another name: the
// stored standings are renamed with the profile, but an active grain keeps
// the names it loaded. It offers the player's current entry again under the
// new name, which the grain applies in place (standings.Index.Offer). Best
// effort: a grain that is down shows the new name once it rebuilds; the
// errors of every board are joined.
func (c *Client) Rename(ctx context.Context, modes []string, playerID, username string, now time.Time) error {
	var errs []error
	for _, mode := range modes {
		errs = append(errs, c.renameIn(ctx, mode, playerID, username, now))
	}
	return errors.Join(errs...)
}

// renameIn is Rename on the boards of one mode.
func (c *Client) renameIn(ctx context.Context, mode, playerID, username string, now time.Time) error {
	var errs []error
	for _, b := range standings.Boards() {
		key := standings.CurrentKey(mode, b, now)
		r, _, found, err := c.Rank(ctx, key, playerID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !found || r.Username == username {
			continue
		}
		e := r.Entry
		e.Username = username
		if err := c.Apply(ctx, key, []standings.Entry{e}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
