// Package settings is the node's runtime settings: what admins change
// without a restart (registration open or closed, maintenance mode, the
// default mode, the REST rate limits, the optional modules' switches).
//
// Settings are stored in PostgreSQL (migration 033) as one document of
// overrides with a version counter; a setting never set keeps its static
// default from config (env). An edit is a JSON merge patch (RFC 7386) of
// that document: a null removes an override, so the setting falls back to
// its default. Every edit is validated here, once, with the path of each
// offending field ("maintenance.until").
//
// Each node keeps the effective settings in a Holder, read lock-free on hot
// paths (every REST write, every new game). The holder reloads when the
// store signals a change (PostgreSQL NOTIFY from migration 033's trigger,
// the mechanism of the modes and translations caches) and, as a fallback
// for a missed signal, whenever a poll of the version (every second at
// most) finds it moved. Observers hear every change, which is how sockets
// learn that maintenance started or ended.
package settings
