package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// defaults counts the default languages straight from the table.
func defaults(t testing.TB, url string) []string {
	t.Helper()
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	rows, err := conn.Query(ctxT(t), `SELECT code FROM languages WHERE is_default ORDER BY code`)
	require.NoError(t, err)
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	return codes
}

func TestStore_TranslationSeed(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	cat, err := s.TranslationCatalogue(ctxT(t))
	require.NoError(t, err)
	require.Equal(t, []persistence.Language{
		{Code: "en", Name: "English", Active: true, Default: true},
		{Code: "es", Name: "Español", Active: true},
	}, cat.Languages)
	keys := map[string]map[string]bool{}
	for _, tr := range cat.Translations {
		if keys[tr.Language] == nil {
			keys[tr.Language] = map[string]bool{}
		}
		keys[tr.Language][tr.Namespace+"/"+tr.Key] = true
	}
	require.Equal(t, keys["en"], keys["es"], "Spanish is complete")
	require.True(t, keys["es"]["badges/first-game.name"])
	require.True(t, keys["es"]["errors/not_found"])
}

func TestStore_DefaultLanguageConstraints(t *testing.T) {
	t.Parallel()
	_, _, url := newStore(t)
	conn, err := pgx.Connect(ctxT(t), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	for name, sql := range map[string]string{
		"two defaults":      `UPDATE languages SET is_default = true WHERE code = 'es'`,
		"zero defaults":     `UPDATE languages SET is_default = false WHERE code = 'en'`,
		"delete default":    `DELETE FROM languages WHERE code = 'en'`,
		"inactive default":  `UPDATE languages SET active = false WHERE code = 'en'`,
		"second default in": `INSERT INTO languages (code, name, is_default) VALUES ('fr', 'Français', true)`,
	} {
		_, err := conn.Exec(ctxT(t), sql)
		require.Error(t, err, name)
	}
	// One transaction may move the default: only its end is checked.
	tx, err := conn.Begin(ctxT(t))
	require.NoError(t, err)
	_, err = tx.Exec(ctxT(t), `UPDATE languages SET is_default = false WHERE code = 'en'`)
	require.NoError(t, err)
	_, err = tx.Exec(ctxT(t), `UPDATE languages SET is_default = true WHERE code = 'es'`)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctxT(t)))
	require.Equal(t, []string{"es"}, defaults(t, url))
}

func TestStore_SetDefaultLanguage(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := ctxT(t)
	_, err := s.SetDefaultLanguage(ctx, persistence.SystemActor("test"), "xx")
	require.ErrorIs(t, err, persistence.ErrNotFound)
	_, err = s.CreateLanguage(ctx, persistence.SystemActor("test"), persistence.Language{Code: "fr", Name: "Français"})
	require.NoError(t, err)
	_, err = s.SetDefaultLanguage(ctx, persistence.SystemActor("test"), "fr")
	require.ErrorIs(t, err, persistence.ErrConflict, "inactive")
	l, err := s.SetDefaultLanguage(ctx, persistence.SystemActor("test"), "es")
	require.NoError(t, err)
	require.True(t, l.Default)
	require.Equal(t, []string{"es"}, defaults(t, url))
	cat, err := s.TranslationCatalogue(ctx)
	require.NoError(t, err)
	require.True(t, cat.Languages[1].Default, "this node's cache dropped at once")
}

func TestStore_ConcurrentDefaultSwitches(t *testing.T) {
	t.Parallel()
	s, _, url := newStore(t)
	ctx := ctxT(t)
	for _, c := range []string{"fr", "de", "it"} {
		_, err := s.CreateLanguage(ctx, persistence.SystemActor("test"), persistence.Language{Code: c, Name: c, Active: true})
		require.NoError(t, err)
	}
	codes := []string{"en", "es", "fr", "de", "it"}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.SetDefaultLanguage(ctx, persistence.SystemActor("test"), codes[i%len(codes)])
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	require.Len(t, defaults(t, url), 1)
}

func TestStore_LanguageEdits(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	_, err := s.CreateLanguage(ctx, persistence.SystemActor("test"), persistence.Language{Code: "es", Name: "again", Active: true})
	require.ErrorIs(t, err, persistence.ErrExists)
	_, err = s.CreateLanguage(ctx, persistence.SystemActor("test"), persistence.Language{Code: "fr", Name: "Français", Default: true})
	require.ErrorIs(t, err, persistence.ErrConflict, "an inactive language cannot be the default")
	l, err := s.CreateLanguage(ctx, persistence.SystemActor("test"), persistence.Language{Code: "fr", Name: "Français", Active: true, Default: true})
	require.NoError(t, err)
	require.True(t, l.Default)
	off := false
	_, err = s.UpdateLanguage(ctx, persistence.SystemActor("test"), "fr", persistence.LanguagePatch{Active: &off})
	require.ErrorIs(t, err, persistence.ErrConflict, "the default stays active")
	name := "Inglés"
	l, err = s.UpdateLanguage(ctx, persistence.SystemActor("test"), "en", persistence.LanguagePatch{Name: &name, Active: &off})
	require.NoError(t, err)
	require.Equal(t, persistence.Language{Code: "en", Name: "Inglés"}, l)
	_, err = s.UpdateLanguage(ctx, persistence.SystemActor("test"), "xx", persistence.LanguagePatch{Name: &name})
	require.ErrorIs(t, err, persistence.ErrNotFound)
}

func TestStore_PutTranslations(t *testing.T) {
	t.Parallel()
	s, _, _ := newStore(t)
	ctx := ctxT(t)
	require.NoError(t, s.PutTranslations(ctx, persistence.SystemActor("test"), []persistence.Translation{
		{Namespace: "errors", Key: "not_found", Language: "es", Text: "first"},
		{Namespace: "errors", Key: "not_found", Language: "es", Text: "no existe"},
		{Namespace: "modes", Key: "classic.name", Language: "es", Text: "Clásico"},
	}))
	cat, err := s.TranslationCatalogue(ctx)
	require.NoError(t, err)
	require.Contains(t, cat.Translations, persistence.Translation{Namespace: "errors", Key: "not_found", Language: "es", Text: "no existe"})
	require.Contains(t, cat.Translations, persistence.Translation{Namespace: "modes", Key: "classic.name", Language: "es", Text: "Clásico"})
	err = s.PutTranslations(ctx, persistence.SystemActor("test"), []persistence.Translation{
		{Namespace: "errors", Key: "x", Language: "es", Text: "kept?"},
		{Namespace: "errors", Key: "x", Language: "zz", Text: "unknown language"},
	})
	require.ErrorIs(t, err, persistence.ErrNotFound)
	cat, err = s.TranslationCatalogue(ctx)
	require.NoError(t, err)
	require.NotContains(t, cat.Translations, persistence.Translation{Namespace: "errors", Key: "x", Language: "es", Text: "kept?"}, "all or none")
}

// TestStore_ListenTranslations: a change made by another node reaches this
// node's catalogue through the notification.
func TestStore_ListenTranslations(t *testing.T) {
	t.Parallel()
	s, clk, url := newStore(t)
	other, err := postgres.Open(ctxT(t), config.Database{URL: url, MaxConns: 2}, clk.Now)
	require.NoError(t, err)
	t.Cleanup(other.Close)
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	changes := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.ListenTranslations(ctx, func() { changes <- struct{}{} }, nil)
	}()
	<-changes // listening
	before, err := s.TranslationCatalogue(ctx)
	require.NoError(t, err)
	require.NoError(t, other.PutTranslations(ctx, persistence.SystemActor("test"), []persistence.Translation{
		{Namespace: "errors", Key: "not_found", Language: "es", Text: "nada"},
	}))
	<-changes
	after, err := s.TranslationCatalogue(ctx)
	require.NoError(t, err)
	require.NotSame(t, before, after)
	require.Contains(t, after.Translations, persistence.Translation{Namespace: "errors", Key: "not_found", Language: "es", Text: "nada"})
	cancel()
	<-done
}
