package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/proofstell/proofstell/internal/strictjson"
)

// Body limits of individual fields.
const (
	minDeviceID     = 8
	maxDeviceID     = 128
	maxRefreshToken = 512
)

// guestRequest is the body of POST /auth/guest.
type guestRequest struct {
	DeviceID string `json:"deviceId"`
	// ReferralCode is honoured when the device's guest is created now.
	ReferralCode string `json:"referralCode"`
}

// refreshRequest is the body of POST /auth/refresh.
type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// jsonBody checks the content type and returns the body capped at limit
// bytes, ready for one of the decoders below.
func jsonBody(w http.ResponseWriter, r *http.Request, limit int64) (io.Reader, error) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return nil, newError(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
			"content type must be application/json")
	}
	return http.MaxBytesReader(w, r.Body, limit), nil
}

// decodeBody decodes exactly one JSON object into dst, a pointer to a
// request struct. Unknown fields, keys that match a field only
// case-insensitively and repeated keys are refused: a typo is an error, not
// a silently ignored value, and no two readers of one body can disagree.
func decodeBody(body io.Reader, dst any) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return decodeError(err)
	}
	if err := strictjson.Decode(data, dst); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeError turns a json decoding failure into a client error.
func decodeError(err error) *apiError {
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var keyErr *strictjson.KeyError
	switch {
	case errors.As(err, &tooLarge):
		return newError(http.StatusRequestEntityTooLarge, CodePayloadTooLarge,
			fmt.Sprintf("body exceeds %d bytes", tooLarge.Limit))
	case errors.As(err, &typeErr):
		return badRequest("field has the wrong type", typeErr.Field)
	case errors.As(err, &keyErr) && keyErr.Duplicate:
		return badRequest("body repeats a field", "body")
	case errors.As(err, &keyErr):
		return badRequest("body has a field this request does not take (names are case-sensitive)", "body")
	case errors.Is(err, strictjson.ErrTrailing):
		return badRequest("body must be exactly one JSON value", "body")
	case errors.Is(err, io.EOF):
		return badRequest("body is empty", "body")
	default:
		// Unknown fields and syntax errors land here; the decoder's text
		// names the field but also echoes input, so it is not sent.
		return badRequest("body is not valid JSON for this request", "body")
	}
}

// decodeGuest reads and validates a guest sign-in body.
func decodeGuest(body io.Reader) (guestRequest, error) {
	var req guestRequest
	if err := decodeBody(body, &req); err != nil {
		return guestRequest{}, err
	}
	return validateGuest(req)
}

// validateGuest checks the device id: bounded and printable, since it keys
// an account and appears in support tooling.
func validateGuest(req guestRequest) (guestRequest, error) {
	n := utf8.RuneCountInString(req.DeviceID)
	if n < minDeviceID || n > maxDeviceID || !printable(req.DeviceID) {
		return guestRequest{}, invalid("deviceId",
			fmt.Sprintf("deviceId must be %d to %d printable characters", minDeviceID, maxDeviceID))
	}
	return req, nil
}

// decodeRefresh reads and validates a refresh body.
func decodeRefresh(body io.Reader) (refreshRequest, error) {
	var req refreshRequest
	if err := decodeBody(body, &req); err != nil {
		return refreshRequest{}, err
	}
	return validateRefresh(req)
}

// validateRefresh checks the refresh token is present and plausibly sized
// before it reaches the store.
func validateRefresh(req refreshRequest) (refreshRequest, error) {
	if req.RefreshToken == "" || len(req.RefreshToken) > maxRefreshToken || !printable(req.RefreshToken) {
		return refreshRequest{}, invalid("refreshToken", "refreshToken is required")
	}
	return req, nil
}

// printable reports whether s is valid UTF-8 made only of printable runes
// (no control characters, which would end up in logs and usernames).
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// readBody reads the request's capped JSON body (jsonBody) and decodes it
// with decode: the two steps every handler with a body takes, in order.
func readBody[T any](a *api, w http.ResponseWriter, r *http.Request, decode func(io.Reader) (T, error)) (T, error) {
	body, err := jsonBody(w, r, a.Config.MaxBodyBytes)
	if err != nil {
		var zero T
		return zero, err
	}
	return decode(body)
}
