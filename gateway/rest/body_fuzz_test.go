package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/strictjson"
)

// bodyTypes is one zero value of every REST request body decoded by
// decodeBody.
func bodyTypes() []any {
	return []any{
		&guestRequest{}, &refreshRequest{}, &registerRequest{}, &loginRequest{}, &emailTokenRequest{},
		&emailRequest{}, &resetRequest{}, &upgradeRequest{}, &walletChallengeRequest{},
		&starknetVerifyRequest{}, &stellarVerifyRequest{}, &linkWalletRequest{}, &profilePatch{},
		&adminPatch{}, &badgeCreateRequest{}, &badgePatchRequest{}, &badgeAwardRequest{},
		&challengeRequest{}, &languageCreateRequest{}, &languagePatchRequest{}, &bulkTranslationsRequest{},
		&broadcastRequest{}, &preferencesRequest{},
	}
}

// FuzzDecodeBody feeds every request body type: a refusal is always a 4xx,
// and an accepted body has only exact, unique top-level keys of its type.
func FuzzDecodeBody(f *testing.F) {
	for _, s := range []string{
		`{"deviceId":"device-123"}`, `{"deviceId":"a","deviceId":"b"}`, `{"DeviceId":"a"}`,
		`{"email":"a@b.co","password":"x","EMAIL":"c@d.co"}`, `{"signature":["0x1"],"address":"0x2"}`,
		`{"role":"admin","Role":"player"}`, `{"criteria":{"a":1,"a":2}}`, `{"banned":true}`,
	} {
		for i := range bodyTypes() {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		types := bodyTypes()
		dst := types[int(kind)%len(types)]
		err := decodeBody(bytes.NewReader(body), dst)
		if err != nil {
			requireClientError(t, err)
			return
		}
		keys, ok := topLevelKeys(body)
		require.True(t, ok, "accepted %q", body)
		names := strictjson.FieldNames(dst)
		seen := map[string]bool{}
		for _, k := range keys {
			require.True(t, slices.Contains(names, k), "accepted key %q not spelled as a field of %T", k, dst)
			require.False(t, seen[k], "accepted duplicate key %q", k)
			seen[k] = true
		}
	})
}

// topLevelKeys lists the member keys of the JSON object in data, in order,
// by walking its tokens (an implementation independent of strictjson's).
func topLevelKeys(data []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		key, isKey := tok.(string)
		if err != nil || !isKey {
			return nil, false
		}
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	_, err := dec.Token()
	return keys, err == nil || errors.Is(err, io.EOF)
}
