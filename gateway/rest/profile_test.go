package rest

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
)

func TestProfile_Patch(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-profile-patch")
	other := signIn(t, h.harness, "device-profile-other")
	patch := func(body string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/players/me", Token: me.AccessToken, Body: body})
	}
	w := patch(`{"username":"Mole_King","displayName":"The Mole King"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[profileResponse](t, w)
	require.Equal(t, "Mole_King", got.Username)
	require.Equal(t, "The Mole King", got.DisplayName)

	tests := []struct {
		body   string
		status int
		code   string
	}{
		{`{"username":"` + other.Player.Username + `"}`, 409, CodeConflict},
		{`{"username":"MOLE_KING"}`, 200, ""}, // own name, other case
		{`{"username":"ab"}`, 422, CodeValidationFailed},
		{`{"username":"bad name!"}`, 422, CodeValidationFailed},
		{`{"username":"` + strings.Repeat("a", 31) + `"}`, 422, CodeValidationFailed},
		{`{"displayName":"` + strings.Repeat("x", 51) + `"}`, 422, CodeValidationFailed},
		{`{"displayName":"tab\there"}`, 422, CodeValidationFailed},
		{`{}`, 422, CodeValidationFailed},
		{`{"id":"` + other.Player.ID + `"}`, 400, CodeBadRequest},
	}
	for _, tc := range tests {
		w := patch(tc.body)
		if tc.code == "" {
			require.Equal(t, tc.status, w.Code, w.Body.String())
			continue
		}
		requireError(t, w, tc.status, tc.code)
	}
	p, err := h.store.Player(t.Context(), other.Player.ID)
	require.NoError(t, err)
	require.Equal(t, other.Player.Username, p.Username, "no edit reached another player")
}

// TestProfile_RenameShowsOnLiveBoards: a new username reaches the live
// leaderboards at once, in place; a display-name edit does not touch them.
func TestProfile_RenameShowsOnLiveBoards(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-profile-rename")
	daily := standings.Daily.PeriodKey(h.clock.Now())
	h.boards.offer("daily", daily, standings.Entry{PlayerID: me.Player.ID, Username: me.Player.Username,
		Score: 42, AchievedAt: h.clock.Now()})
	top := func() standings.Ranked {
		w := h.get(t, "/api/v1/leaderboards/daily", me.AccessToken)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		var page struct {
			Entries []standings.Ranked `json:"entries"`
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &page))
		require.Len(t, page.Entries, 1)
		return page.Entries[0]
	}
	require.Equal(t, http.StatusOK, h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/players/me",
		Token: me.AccessToken, Body: `{"displayName":"Just A Name"}`}).Code)
	require.Equal(t, me.Player.Username, top().Username)
	require.Equal(t, http.StatusOK, h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/players/me",
		Token: me.AccessToken, Body: `{"username":"Renamed_Mole"}`}).Code)
	got := top()
	require.Equal(t, "Renamed_Mole", got.Username)
	require.EqualValues(t, 42, got.Score)
}

func TestProfile_PublicProfileHidesPrivateFields(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-public-me")
	other := signIn(t, h.harness, "device-public-other")
	w := h.get(t, "/api/v1/players/"+other.Player.ID, me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var body map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body))
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	require.ElementsMatch(t, []string{"id", "username", "displayName", "avatarUrl", "stats", "ratings"}, keys)
	requireError(t, h.get(t, "/api/v1/players/not-a-uuid", me.AccessToken), http.StatusNotFound, CodeNotFound)
}

// testImage encodes a w×h PNG.
func testImage(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// multipartAvatar wraps data as the "avatar" file of a form.
func multipartAvatar(t testing.TB, data []byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("avatar", "me.png")
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return buf.String(), mw.FormDataContentType()
}

func TestProfile_Avatar(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-avatar-1")
	upload := func(body, ct string) *httptest.ResponseRecorder {
		return h.do(t, request{Method: "POST", Path: "/api/v1/players/me/avatar", Token: me.AccessToken,
			Body: body, ContentType: ct})
	}
	w := upload(string(testImage(t, 400, 300)), "image/png")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	first := decode[map[string]string](t, w)["avatarUrl"]
	served := h.get(t, first, "")
	require.Equal(t, http.StatusOK, served.Code)
	require.Equal(t, "image/png", served.Header().Get("Content-Type"))
	cfg, err := png.DecodeConfig(bytes.NewReader(served.Body.Bytes()))
	require.NoError(t, err)
	require.Equal(t, [2]int{256, 256}, [2]int{cfg.Width, cfg.Height})

	body, ct := multipartAvatar(t, testImage(t, 64, 64))
	w = upload(body, ct)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	second := decode[map[string]string](t, w)["avatarUrl"]
	require.NotEqual(t, first, second)
	requireError(t, h.get(t, first, ""), http.StatusNotFound, CodeNotFound) // old file removed
	require.Equal(t, second, decode[profileResponse](t, h.get(t, "/api/v1/players/me", me.AccessToken)).AvatarURL)

	dir := h.storeDir(t)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	require.Equal(t, filepath.Base(second), entries[0].Name())
}

// storeDir is the avatar directory the harness was built with.
func (h *secHarness) storeDir(t testing.TB) string {
	t.Helper()
	return h.avatarDir
}

func TestProfile_AvatarRejects(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-avatar-bad")
	pngHeaderOnly := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	huge := testImage(t, 2000, 2000) // compresses well but must still respect the byte cap
	bigNoise := append(testImage(t, 8, 8), bytes.Repeat([]byte{1}, 70<<10)...)
	tests := []struct {
		name   string
		body   string
		ct     string
		status int
		code   string
	}{
		{"html pretending png", "<html><script>alert(1)</script></html>", "image/png", 422, CodeValidationFailed},
		{"truncated png", string(pngHeaderOnly), "image/png", 422, CodeValidationFailed},
		{"svg", `<svg xmlns="http://www.w3.org/2000/svg"></svg>`, "image/svg+xml", 422, CodeValidationFailed},
		{"too large", string(bigNoise), "image/png", 413, CodePayloadTooLarge},
		{"no content type", string(huge[:100]), "", 415, CodeUnsupportedMediaType},
		{"multipart without file", "--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nv\r\n--x--\r\n",
			"multipart/form-data; boundary=x", 400, CodeBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := request{Method: "POST", Path: "/api/v1/players/me/avatar", Token: me.AccessToken, Body: tc.body,
				ContentType: tc.ct}
			if tc.ct == "" {
				r.Header = map[string]string{"Content-Type": ""}
			}
			requireError(t, h.do(t, r), tc.status, tc.code)
		})
	}
	requireError(t, h.get(t, "/api/v1/avatars/..%2f..%2fetc%2fpasswd", ""), http.StatusNotFound, CodeNotFound)
}
