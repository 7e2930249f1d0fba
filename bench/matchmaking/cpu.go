package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// clockTick is the unit of /proc/<pid>/stat's CPU times (USER_HZ, 100 on
// Linux on every architecture Go supports here).
const clockTick = 10 * time.Millisecond

// cpuSnapshot is the CPU time spent so far by the processes watched.
type cpuSnapshot struct {
	Server   time.Duration // the server process (-pid), all threads
	Postgres time.Duration // every process named postgres
	Self     time.Duration // this load generator
}

// readCPU takes a snapshot; a process that cannot be read counts 0
// (the server's, when pid is 0).
func readCPU(pid int) cpuSnapshot {
	var s cpuSnapshot
	if pid > 0 {
		s.Server, _, _ = processCPU(fmt.Sprintf("/proc/%d/stat", pid))
	}
	s.Self, _, _ = processCPU("/proc/self/stat")
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range paths {
		if cpu, comm, err := processCPU(p); err == nil && comm == "postgres" {
			s.Postgres += cpu
		}
	}
	return s
}

// sub is the CPU spent between two snapshots.
func (s cpuSnapshot) sub(before cpuSnapshot) cpuSnapshot {
	return cpuSnapshot{Server: s.Server - before.Server, Postgres: s.Postgres - before.Postgres, Self: s.Self - before.Self}
}

// processCPU reads utime + stime and the command name of one process.
func processCPU(path string) (time.Duration, string, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // G304: a /proc stat file
	if err != nil {
		return 0, "", fmt.Errorf("read %s: %w", path, err)
	}
	return parseStat(raw)
}

// parseStat reads a /proc/<pid>/stat line: "pid (comm) state ..." where
// utime and stime are the 14th and 15th fields. comm may hold spaces and
// parentheses, so the fields are counted from its last ')'.
func parseStat(raw []byte) (time.Duration, string, error) {
	open, end := bytes.IndexByte(raw, '('), bytes.LastIndexByte(raw, ')')
	if open < 0 || end < open {
		return 0, "", fmt.Errorf("malformed stat %q", raw)
	}
	fields := bytes.Fields(raw[end+1:])
	if len(fields) < 13 {
		return 0, "", fmt.Errorf("malformed stat %q", raw)
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime
		n, err := strconv.ParseInt(string(f), 10, 64)
		if err != nil || n < 0 {
			return 0, "", fmt.Errorf("malformed stat field %q", f)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, string(raw[open+1 : end]), nil
}
