package rest

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/auth"
)

// requireNormalEmail checks a decoded email is a normalized bare address.
func requireNormalEmail(t *testing.T, email string) {
	t.Helper()
	require.Equal(t, normalizeEmail(email), email)
	require.LessOrEqual(t, len(email), maxEmail)
	require.Contains(t, email, "@")
	require.True(t, printable(email))
}

// requireStrong checks a decoded new password obeys the length rule.
func requireStrong(t *testing.T, password string) {
	t.Helper()
	n := utf8.RuneCountInString(password)
	require.GreaterOrEqual(t, n, auth.MinPasswordLen)
	require.LessOrEqual(t, n, auth.MaxPasswordLen)
}

func FuzzDecodeRegister(f *testing.F) {
	f.Add([]byte(`{"email":"a@example.com","username":"alice","password":"whack4moles"}`))
	f.Add([]byte(`{"email":" A@Example.COM ","username":"a_1","password":"ééééééé1"}`))
	f.Add([]byte(`{"email":"a@example.com","username":"alice","password":"alice"}`))
	f.Add([]byte(`{"email":"a@example.com","username":"alice","password":"whack4moles","x":1}`))
	f.Add([]byte(`{"email":"\u0000@x","username":"","password":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeRegister(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		requireNormalEmail(t, req.Email)
		require.True(t, usernamePattern.MatchString(req.Username))
		requireStrong(t, req.Password)
		require.False(t, strings.EqualFold(req.Password, req.Username))
	})
}

func FuzzDecodeLogin(f *testing.F) {
	f.Add([]byte(`{"email":"a@example.com","password":"x"}`))
	f.Add([]byte(`{"email":"a@example.com","password":""}`))
	f.Add([]byte(`{"email":"a@example.com"}`))
	f.Add([]byte(`{"email":["a"],"password":"x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeLogin(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		requireNormalEmail(t, req.Email)
		require.NotEmpty(t, req.Password)
		require.LessOrEqual(t, len(req.Password), maxPasswordBytes)
	})
}

func FuzzDecodeEmailToken(f *testing.F) {
	f.Add([]byte(`{"token":"abcdefghijklmnopqrstuvwxyz0123456789_-ABCDEFG"}`))
	f.Add([]byte(`{"token":"short"}`))
	f.Add([]byte(`{"token":"abcdefghijklmnop/../../"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeEmailToken(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.True(t, emailTokenPattern.MatchString(req.Token))
		require.GreaterOrEqual(t, len(req.Token), minEmailToken)
		require.LessOrEqual(t, len(req.Token), maxEmailToken)
	})
}

func FuzzDecodeEmailOnly(f *testing.F) {
	f.Add([]byte(`{"email":"a@example.com"}`))
	f.Add([]byte(`{"email":"a@example.com\r\nBcc: b@example.com"}`))
	f.Add([]byte(`{"email":"\"quoted local\"@example.com"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeEmailOnly(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		requireNormalEmail(t, req.Email)
		require.NotContains(t, req.Email, "\n", "no header injection into mails")
	})
}

func FuzzDecodeReset(f *testing.F) {
	f.Add([]byte(`{"token":"abcdefghijklmnopqrstuvwxyz012345","password":"new4password"}`))
	f.Add([]byte(`{"token":"abcdefghijklmnopqrstuvwxyz012345","password":"short1"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeReset(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		require.True(t, emailTokenPattern.MatchString(req.Token))
		requireStrong(t, req.Password)
	})
}

func FuzzDecodeUpgrade(f *testing.F) {
	f.Add([]byte(`{"email":"a@example.com","password":"whack4moles"}`))
	f.Add([]byte(`{"email":"a@example.com","username":"new_name","password":"whack4moles"}`))
	f.Add([]byte(`{"email":"a@example.com","username":"x","password":"whack4moles"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeUpgrade(bytes.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		requireNormalEmail(t, req.Email)
		require.True(t, req.Username == "" || usernamePattern.MatchString(req.Username))
		requireStrong(t, req.Password)
	})
}
