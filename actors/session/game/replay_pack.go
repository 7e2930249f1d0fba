package game

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
)

// maxReplayBytes bounds an unpacked replay: MaxInputs inputs of at most
// ~330 bytes each (string fields are capped) plus the rest fit well within.
const maxReplayBytes = 4 << 20

// packers reuses DEFLATE writers: each holds a few hundred KiB of tables,
// too much to allocate per finished game on the commit path.
var packers = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // only an invalid level fails
	return w
}}

// PackReplay is the stored form of a replay: its canonical encoding,
// DEFLATE-compressed (RFC 1951). A game's log compresses well (repeated
// player indexes, judgements and small offsets).
func PackReplay(r Replay) []byte {
	packed, _ := PackReplayHashed(r)
	return packed
}

// PackReplayHashed is PackReplay plus the replay hash (Hash, as raw
// SHA-256 bytes) from the one encoding, so the commit path stores both
// without encoding twice.
func PackReplayHashed(r Replay) (packed []byte, hash [32]byte) {
	canonical := r.Encode()
	var buf bytes.Buffer
	w := packers.Get().(*flate.Writer) //nolint:forcetypeassert // the pool holds nothing else
	w.Reset(&buf)
	_, _ = w.Write(canonical) // a bytes.Buffer never fails
	_ = w.Close()
	packers.Put(w)
	return buf.Bytes(), sha256.Sum256(canonical)
}

// UnpackReplay reverses PackReplay. ErrBadReplay for bytes that do not
// inflate to a canonical replay within maxReplayBytes.
func UnpackReplay(packed []byte) (Replay, error) {
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(packed)), maxReplayBytes+1))
	if err != nil {
		return Replay{}, fmt.Errorf("%w: inflate: %w", ErrBadReplay, err)
	}
	if len(raw) > maxReplayBytes {
		return Replay{}, fmt.Errorf("%w: larger than %d bytes", ErrBadReplay, maxReplayBytes)
	}
	return DecodeReplay(raw)
}
