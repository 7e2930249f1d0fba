package game

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// replayWriter appends the canonical encoding's fields: u32 and i64 are
// big-endian (i64 two's complement), a duration is an i64 of nanoseconds,
// an f64 is the u64 of its IEEE-754 bits, a string is u32be(len) ‖ UTF-8
// bytes, a flag one byte 0 or 1.
type replayWriter struct{ b []byte }

func (w *replayWriter) raw(b []byte) { w.b = append(w.b, b...) }

func (w *replayWriter) u32(vs ...int) {
	for _, v := range vs {
		w.b = binary.BigEndian.AppendUint32(w.b, uint32(v)) //nolint:gosec // game bounds keep these small and non-negative
	}
}

func (w *replayWriter) i64(vs ...int64) {
	for _, v := range vs {
		w.b = binary.BigEndian.AppendUint64(w.b, uint64(v)) //nolint:gosec // two's complement by design
	}
}

func (w *replayWriter) dur(vs ...time.Duration) {
	for _, v := range vs {
		w.i64(int64(v))
	}
}

func (w *replayWriter) f64(vs ...float64) {
	for _, v := range vs {
		w.b = binary.BigEndian.AppendUint64(w.b, math.Float64bits(v))
	}
}

func (w *replayWriter) str(s string) {
	w.u32(len(s))
	w.b = append(w.b, s...)
}

func (w *replayWriter) flag(v bool) {
	if v {
		w.b = append(w.b, 1)
		return
	}
	w.b = append(w.b, 0)
}

// errShortReplay reports a replay that ends inside a field.
var errShortReplay = errors.New("replay ends early")

// replayReader reads replayWriter's fields; after the first error every
// read returns zero and err keeps that error.
type replayReader struct {
	b   []byte
	err error
}

func (r *replayReader) raw(n int) []byte {
	if r.err != nil || n > len(r.b) {
		if r.err == nil {
			r.err = errShortReplay
		}
		return make([]byte, n)
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *replayReader) u32() int {
	v := binary.BigEndian.Uint32(r.raw(4))
	if v > math.MaxInt32 && r.err == nil {
		r.err = errors.New("count or index out of range")
	}
	return int(v)
}

func (r *replayReader) i64() int64 { return int64(binary.BigEndian.Uint64(r.raw(8))) } //nolint:gosec // two's complement by design

func (r *replayReader) dur() time.Duration { return time.Duration(r.i64()) }

func (r *replayReader) f64() float64 { return math.Float64frombits(binary.BigEndian.Uint64(r.raw(8))) }

// maxReplayString bounds a string field (ids, names, judgements).
const maxReplayString = 256

func (r *replayReader) str() string {
	n := r.u32()
	if n > maxReplayString && r.err == nil {
		r.err = errors.New("string too long")
	}
	if r.err != nil {
		return ""
	}
	return string(r.raw(n))
}

// count reads a list length no larger than limit.
func (r *replayReader) count(limit int) int {
	n := r.u32()
	if n > limit && r.err == nil {
		r.err = errors.New("list too long")
	}
	if r.err != nil {
		return 0
	}
	return n
}

func (r *replayReader) flag() bool {
	b := r.raw(1)[0]
	if b > 1 && r.err == nil {
		r.err = errors.New("flag not 0 or 1")
	}
	return b == 1
}
