package rest

import (
	"strings"
	"testing"

	"github.com/proofstell/proofstell/actors/badges/criteria"
)

// requireCanonicalCriteria fails unless raw is criteria the engine accepts.
func requireCanonicalCriteria(t *testing.T, raw []byte) {
	if _, err := criteria.Decode(raw); err != nil {
		t.Fatalf("accepted criteria do not decode: %v", err)
	}
}

func FuzzDecodeBadgeCreate(f *testing.F) {
	for _, s := range []string{`{"slug":"a","name":"a","category":"c","criteria":{"kind":"first_game"}}`,
		`{"slug":"a","name":"a","category":"c","rarity":"epic","points":3,"criteria":{"kind":"board_rank","n":10,"board":"daily"}}`,
		`{"slug":"a","criteria":null}`, `{"x":1}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		b, err := decodeBadgeCreate(strings.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		if !badgeSlugPattern.MatchString(b.Slug) || !b.Rarity.Valid() || !boundedText(b.Name, 1, maxBadgeName) ||
			b.Points < 0 || b.Points > maxBadgePoints {
			t.Fatalf("accepted out-of-bounds badge %+v", b)
		}
		requireCanonicalCriteria(t, b.Criteria)
	})
}

func FuzzDecodeBadgePatch(f *testing.F) {
	for _, s := range []string{`{"name":"x"}`, `{"active":false}`, `{"criteria":{"kind":"total_score","n":5}}`,
		`{"rarity":"rare","points":1}`, `{}`, `{"slug":"x"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		u, err := decodeBadgePatch(strings.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		if u.Rarity != nil && !u.Rarity.Valid() {
			t.Fatalf("accepted rarity %q", *u.Rarity)
		}
		if u.Criteria != nil {
			requireCanonicalCriteria(t, u.Criteria)
		}
	})
}

func FuzzDecodeBadgeAward(f *testing.F) {
	for _, s := range []string{`{"playerId":"6f1c3a52-7c55-4b83-9f0e-2a0d6e7e1d10"}`, `{"playerId":""}`, `{}`, `null`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req, err := decodeBadgeAward(strings.NewReader(body))
		if err != nil {
			requireClientError(t, err)
			return
		}
		if len(req.PlayerID) != 36 {
			t.Fatalf("accepted player id %q", req.PlayerID)
		}
	})
}
