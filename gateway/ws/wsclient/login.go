package wsclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Login is the answer of POST /api/v1/auth/guest.
type Login struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int64  `json:"expiresIn"`
	Player       struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	} `json:"player"`
}

// maxLoginBody bounds how much of a sign-in response is read.
const maxLoginBody = 64 << 10

// httpClient is shared by every sign-in so that many concurrent bots reuse
// keep-alive connections instead of exhausting ephemeral ports.
var httpClient = &http.Client{
	Timeout: 30 * time.Second,
	Transport: &http.Transport{
		Proxy:               nil, // benchmarks talk to loopback; never via a proxy
		MaxIdleConns:        512,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     30 * time.Second,
	},
}

// GuestLogin signs in (creating on first use) the guest account of deviceID
// (8..128 characters) at httpBaseURL, e.g. "http://127.0.0.1:3000".
func GuestLogin(ctx context.Context, httpBaseURL, deviceID string) (Login, error) {
	body, err := json.Marshal(map[string]string{"deviceId": deviceID})
	if err != nil {
		return Login{}, fmt.Errorf("encode guest sign-in: %w", err)
	}
	endpoint := strings.TrimSuffix(httpBaseURL, "/") + "/api/v1/auth/guest"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return Login{}, fmt.Errorf("build guest sign-in: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		return Login{}, fmt.Errorf("guest sign-in: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLoginBody))
	if err != nil {
		return Login{}, fmt.Errorf("read guest sign-in: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return Login{}, fmt.Errorf("guest sign-in: status %d: %s", resp.StatusCode, errorCode(raw))
	}
	var login Login
	if err := json.Unmarshal(raw, &login); err != nil {
		return Login{}, fmt.Errorf("decode guest sign-in: %w", err)
	}
	if login.AccessToken == "" {
		return Login{}, fmt.Errorf("guest sign-in: response has no access token")
	}
	return login, nil
}

// errorCode extracts the code of the API's error shape
// {"error":{"code","message"}} for error messages; never the whole body.
func errorCode(raw []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) != nil || e.Error.Code == "" {
		return "unrecognized error body"
	}
	return e.Error.Code
}
