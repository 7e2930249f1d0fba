// Package migrations holds the database schema as numbered, forward-only SQL
// files embedded in the binary, so a node always knows exactly which schema it
// was built for. persistence/postgres applies them (Migrate) and refuses to run
// on a schema it does not know (CheckSchema).
//
// File names are NNN_description.sql. A released file is never edited: a
// change is a new file with the next number.
package migrations

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// FS holds the embedded migration files.
//
//go:embed *.sql
var FS embed.FS

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string // file name, for logs
	SQL     string
}

// All returns the embedded migrations ordered by version. It fails on a badly
// named file, a duplicate version or a gap, so a broken set never ships
// (TestAll runs it).
func All() ([]Migration, error) {
	return load(FS)
}

// Versions returns the known versions in order.
func Versions() ([]int, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	out := make([]int, len(all))
	for i, m := range all {
		out[i] = m.Version
	}
	return out, nil
}

// Hash fingerprints the whole migration set: tests name their template
// database after it so a changed schema gets a fresh template.
func Hash() (string, error) {
	all, err := All()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range all {
		_, _ = fmt.Fprintf(h, "%d\x00%s\x00%s\x00", m.Version, m.Name, m.SQL) // hash writes never fail
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	out := make([]Migration, 0, len(names))
	for _, name := range names {
		m, err := readOne(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d (versions start at 1, no gaps or duplicates)", m.Name, i+1)
		}
	}
	return out, nil
}

func readOne(fsys fs.FS, name string) (Migration, error) {
	prefix, _, ok := strings.Cut(name, "_")
	if !ok {
		return Migration{}, fmt.Errorf("migration %s: name must be NNN_description.sql", name)
	}
	version, err := strconv.Atoi(prefix)
	if err != nil || version <= 0 {
		return Migration{}, fmt.Errorf("migration %s: bad version prefix %q", name, prefix)
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Migration{}, fmt.Errorf("read migration %s: %w", name, err)
	}
	return Migration{Version: version, Name: name, SQL: string(body)}, nil
}
