package rest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // decoders the avatar upload accepts
	_ "image/jpeg" // (registered with image.Decode)
	"image/png"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/go-chi/chi/v5"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // webp decoder for image.Decode
)

// Avatar rules.
const (
	avatarSide = 256
	// maxAvatarPixels bounds the decoded size (a decompression bomb is a
	// tiny file that decodes to gigabytes): 4096×4096 RGBA is 64 MiB.
	maxAvatarPixels = 4096 * 4096
	// multipartOverhead is what boundaries and part headers may add to the
	// file itself.
	multipartOverhead = 16 << 10
)

// sniffedImages are the content types accepted, judged by content, never by
// the client's Content-Type or file name.
var sniffedImages = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// validAvatarFile is the only shape a stored avatar name has.
var validAvatarFile = regexp.MustCompile(`^[0-9a-f]{32}\.png$`)

// errNotImage rejects an upload that is not a decodable image.
var errNotImage = errors.New("not a supported image")

// uploadAvatar replaces the caller's avatar: the upload (multipart field
// "avatar" or a raw image body) is sniffed, decoded, cropped to a square,
// scaled to 256×256 and stored as PNG under a random name; the old file is
// removed. Re-encoding drops metadata and anything smuggled in the file.
func (a *api) uploadAvatar(w http.ResponseWriter, r *http.Request) error {
	if a.Security.Profiles == nil || a.Config.AvatarDir == "" {
		return fmt.Errorf("upload avatar: %w", errNotConfigured)
	}
	raw, err := a.readAvatar(w, r)
	if err != nil {
		return err
	}
	encoded, err := normalizeAvatar(raw)
	if err != nil {
		return invalid("avatar", "avatar must be a PNG, JPEG, GIF or WebP image")
	}
	name, err := a.storeAvatar(encoded)
	if err != nil {
		return err
	}
	previous, err := a.Security.Profiles.SetAvatar(r.Context(), playerID(r), name)
	if err != nil {
		a.removeAvatar(name)
		return fmt.Errorf("upload avatar: %w", err)
	}
	a.removeAvatar(previous)
	writeJSON(w, http.StatusOK, map[string]string{"avatarUrl": avatarURL(name)})
	return nil
}

// readAvatar returns the uploaded bytes, refusing more than AvatarMaxBytes.
func (a *api) readAvatar(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := a.Config.AvatarMaxBytes
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, newError(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
			"content type must be multipart/form-data or an image")
	}
	body := http.MaxBytesReader(w, r.Body, limit+multipartOverhead)
	var src io.Reader = body
	if mediaType == "multipart/form-data" {
		if src, err = avatarPart(body, params["boundary"]); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		return nil, avatarReadError(err, limit)
	}
	if int64(len(data)) > limit {
		return nil, avatarReadError(&http.MaxBytesError{Limit: limit}, limit)
	}
	return data, nil
}

// avatarReadError maps a failed read to 413 or 400.
func avatarReadError(err error, limit int64) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newError(http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
			fmt.Sprintf("avatar exceeds %d bytes", limit))
	}
	return badRequest("avatar upload could not be read", "avatar")
}

// normalizeAvatar decodes an upload sniffed as an accepted image type and
// re-encodes it as a 256×256 PNG.
func normalizeAvatar(raw []byte) ([]byte, error) {
	if !sniffedImages[http.DetectContentType(raw)] {
		return nil, errNotImage
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxAvatarPixels {
		return nil, errNotImage
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNotImage, err)
	}
	dst := image.NewRGBA(image.Rect(0, 0, avatarSide, avatarSide))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, centerSquare(img.Bounds()), draw.Src, nil)
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("encode avatar: %w", err)
	}
	return out.Bytes(), nil
}

// centerSquare is the largest square centred in b.
func centerSquare(b image.Rectangle) image.Rectangle {
	side := min(b.Dx(), b.Dy())
	x := b.Min.X + (b.Dx()-side)/2
	y := b.Min.Y + (b.Dy()-side)/2
	return image.Rect(x, y, x+side, y+side)
}

// storeAvatar writes data under a fresh random name, atomically (temp file
// then rename), so a reader never sees half a file.
func (a *api) storeAvatar(data []byte) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("avatar name: %w", err)
	}
	name := hex.EncodeToString(b[:]) + ".png"
	if err := os.MkdirAll(a.Config.AvatarDir, 0o750); err != nil {
		return "", fmt.Errorf("avatar dir: %w", err)
	}
	tmp, err := os.CreateTemp(a.Config.AvatarDir, ".upload-*")
	if err != nil {
		return "", fmt.Errorf("store avatar: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("store avatar: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(a.Config.AvatarDir, name)); err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("store avatar: %w", err)
	}
	return name, nil
}

// removeAvatar deletes a stored avatar; a missing file is fine and a name
// of any other shape is never turned into a path.
func (a *api) removeAvatar(name string) {
	if !validAvatarFile.MatchString(name) {
		return
	}
	if err := os.Remove(filepath.Join(a.Config.AvatarDir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		a.logger.Warn("remove old avatar", slog.String("file", name), slog.Any("error", err))
	}
}

// avatarFile serves a stored avatar. Only names of the generated shape are
// looked up, so no request can reach outside AvatarDir.
func (a *api) avatarFile(w http.ResponseWriter, r *http.Request) error {
	name := chi.URLParam(r, "file")
	if !validAvatarFile.MatchString(name) || a.Config.AvatarDir == "" {
		return newError(http.StatusNotFound, CodeNotFound, "not found")
	}
	// os.Root confines the lookup to AvatarDir even if the name check
	// above were ever loosened.
	root, err := os.OpenRoot(a.Config.AvatarDir)
	if err != nil {
		return newError(http.StatusNotFound, CodeNotFound, "not found")
	}
	defer func() { _ = root.Close() }()
	f, err := root.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return newError(http.StatusNotFound, CodeNotFound, "not found")
	}
	if err != nil {
		return fmt.Errorf("open avatar: %w", err)
	}
	defer func() { _ = f.Close() }()
	w.Header().Set("Content-Type", "image/png")
	// Names are never reused, so the content never changes.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f); err != nil {
		a.logger.Debug("write avatar", slog.Any("error", err))
	}
	return nil
}
