package playbot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func fixed(v float64) func() float64 { return func() float64 { return v } }

func TestReflex_Delay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		reflex    Reflex
		mole      Mole
		want      time.Duration
		wantWhack bool
	}{
		{name: "fastest usual reaction", reflex: DefaultReflex(fixed(0)), mole: Mole{Kind: KindNormal, UpMs: 800},
			want: 200 * time.Millisecond, wantWhack: true},
		{name: "jitter scales the extra", reflex: DefaultReflex(fixed(0.5)), mole: Mole{Kind: KindNormal, UpMs: 800},
			want: 375 * time.Millisecond, wantWhack: true},
		{name: "slowest usual reaction", reflex: DefaultReflex(fixed(0.99)), mole: Mole{Kind: KindGolden, UpMs: 800},
			want: 546500 * time.Microsecond, wantWhack: true},
		{name: "a short mole is whacked just before it goes down", reflex: DefaultReflex(fixed(0.9)),
			mole: Mole{Kind: KindNormal, UpMs: 260}, want: 200 * time.Millisecond, wantWhack: true},
		{name: "never faster than the floor", reflex: Reflex{Typical: 10 * time.Millisecond, Min: 150 * time.Millisecond, Rand: fixed(0)},
			mole: Mole{Kind: KindNormal, UpMs: 800}, want: 150 * time.Millisecond, wantWhack: true},
		{name: "too quick for a person", reflex: DefaultReflex(fixed(0)), mole: Mole{Kind: KindNormal, UpMs: 200}},
		{name: "bombs are left alone", reflex: DefaultReflex(fixed(0)), mole: Mole{Kind: KindBomb, UpMs: 800}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tt.reflex.Delay(tt.mole)
			require.Equal(t, tt.wantWhack, ok)
			require.Equal(t, tt.want, got)
		})
	}
}
