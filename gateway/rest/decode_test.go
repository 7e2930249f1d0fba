package rest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecodeGuest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		body       string
		wantStatus int
		wantCode   string
		wantDevice string
	}{
		{"valid", `{"deviceId":"device-123"}`, 0, "", "device-123"},
		{"minimum length", `{"deviceId":"12345678"}`, 0, "", "12345678"},
		{"maximum length", `{"deviceId":"` + strings.Repeat("d", 128) + `"}`, 0, "", strings.Repeat("d", 128)},
		{"too short", `{"deviceId":"1234567"}`, http.StatusUnprocessableEntity, CodeValidationFailed, ""},
		{"too long", `{"deviceId":"` + strings.Repeat("d", 129) + `"}`, http.StatusUnprocessableEntity, CodeValidationFailed, ""},
		{"control character", `{"deviceId":"device\u0000123"}`, http.StatusUnprocessableEntity, CodeValidationFailed, ""},
		{"missing field", `{}`, http.StatusUnprocessableEntity, CodeValidationFailed, ""},
		{"null", `null`, http.StatusBadRequest, CodeBadRequest, ""},
		{"duplicate key", `{"deviceId":"device-123","deviceId":"device-456"}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"key differs in case", `{"DeviceId":"device-123"}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"case twin after the key", `{"deviceId":"device-123","DEVICEID":"device-456"}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"unknown field", `{"deviceId":"device-123","admin":true}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"wrong type", `{"deviceId":12345678}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"two values", `{"deviceId":"device-123"}{"deviceId":"device-456"}`, http.StatusBadRequest, CodeBadRequest, ""},
		{"trailing garbage", `{"deviceId":"device-123"} x`, http.StatusBadRequest, CodeBadRequest, ""},
		{"empty", ``, http.StatusBadRequest, CodeBadRequest, ""},
		{"array", `[]`, http.StatusBadRequest, CodeBadRequest, ""},
		{"syntax", `{"deviceId":`, http.StatusBadRequest, CodeBadRequest, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := decodeGuest(strings.NewReader(tc.body))
			if tc.wantStatus == 0 {
				require.NoError(t, err)
				require.Equal(t, tc.wantDevice, req.DeviceID)
				return
			}
			ae := classify(err)
			require.Equal(t, tc.wantStatus, ae.Status)
			require.Equal(t, tc.wantCode, ae.Code)
		})
	}
}

func TestDecodeRefresh(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		body       string
		wantStatus int
	}{
		{"valid", `{"refreshToken":"abc"}`, 0},
		{"empty token", `{"refreshToken":""}`, http.StatusUnprocessableEntity},
		{"oversized token", `{"refreshToken":"` + strings.Repeat("a", maxRefreshToken+1) + `"}`, http.StatusUnprocessableEntity},
		{"unknown field", `{"refreshToken":"abc","x":1}`, http.StatusBadRequest},
		{"two values", `{"refreshToken":"abc"} {}`, http.StatusBadRequest},
		{"duplicate key", `{"refreshToken":"abc","refreshToken":"abc"}`, http.StatusBadRequest},
		{"key differs in case", `{"RefreshToken":"abc"}`, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := decodeRefresh(strings.NewReader(tc.body))
			if tc.wantStatus == 0 {
				require.NoError(t, err)
				require.Equal(t, "abc", req.RefreshToken)
				return
			}
			require.Equal(t, tc.wantStatus, classify(err).Status)
		})
	}
}

// requireClientError checks a decoder failed the way a client error should:
// classified below 500, never as an internal error.
func requireClientError(t *testing.T, err error) {
	t.Helper()
	ae := classify(err)
	require.GreaterOrEqual(t, ae.Status, 400)
	require.Less(t, ae.Status, 500)
}

func FuzzDecodeGuest(f *testing.F) {
	f.Add([]byte(`{"deviceId":"device-123"}`))
	f.Add([]byte(`{"deviceId":"device-123"} {}`))
	f.Add([]byte(`{"deviceId":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`))
	f.Add([]byte(`{"deviceId":"ééééééééé"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeGuest(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.True(t, printable(req.DeviceID))
		require.GreaterOrEqual(t, len([]rune(req.DeviceID)), minDeviceID)
		require.LessOrEqual(t, len([]rune(req.DeviceID)), maxDeviceID)
	})
}

func FuzzDecodeRefresh(f *testing.F) {
	f.Add([]byte(`{"refreshToken":"abc"}`))
	f.Add([]byte(`{"refreshToken":""}`))
	f.Add([]byte(`{"refreshToken":"abc","refreshToken":"def"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeRefresh(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.NotEmpty(t, req.RefreshToken)
		require.LessOrEqual(t, len(req.RefreshToken), maxRefreshToken)
	})
}
