package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/proofstell/proofstell/persistence"
)

var _ persistence.TranslationStore = (*Store)(nil)

// codeCheckViolation is a CHECK constraint, or migration 022's trigger that
// wants exactly one default language.
const codeCheckViolation = "23514"

// lockLanguages serializes the writes that move the default (and language
// edits) while reads go on: without it two concurrent switches could each
// clear the default the other just set.
const lockLanguages = `LOCK TABLE languages IN SHARE ROW EXCLUSIVE MODE`

const languageColumns = `code, name, active, is_default`

// TranslationCatalogue implements persistence.TranslationStore from the
// node's copy (translationCache), read again only after a change.
func (s *Store) TranslationCatalogue(ctx context.Context) (*persistence.TranslationCatalogue, error) {
	now := s.now()
	cat, ok, gen := s.translations.get(now)
	if ok {
		return cat, nil
	}
	defer observe("translations", time.Now())
	cat = &persistence.TranslationCatalogue{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			if cat.Languages, err = readLanguages(ctx, tx); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT namespace, key, language, text FROM translations
				ORDER BY namespace, key, language`)
			if err != nil {
				return err
			}
			cat.Translations, err = pgx.CollectRows(rows, pgx.RowToStructByPos[persistence.Translation])
			return err
		})
	if err != nil {
		return nil, mapErr("read translations", err)
	}
	s.translations.put(cat, now, gen)
	return cat, nil
}

func readLanguages(ctx context.Context, q dbtx) ([]persistence.Language, error) {
	rows, err := q.Query(ctx, `SELECT `+languageColumns+` FROM languages ORDER BY code`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[persistence.Language])
}

// CreateLanguage implements persistence.TranslationStore.
func (s *Store) CreateLanguage(ctx context.Context, by persistence.AuditActor, l persistence.Language) (persistence.Language, error) {
	defer observe("create_language", time.Now())
	op := "create language " + l.Code
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		if _, err := tx.Exec(ctx, lockLanguages); err != nil {
			return nil, mapErr(op, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO languages (code, name, active) VALUES ($1, $2, $3)`, l.Code, l.Name, l.Active)
		if isCode(err, codeUniqueViolation) {
			return nil, fmt.Errorf("%s: %w: %w", op, persistence.ErrConflict, persistence.ErrExists)
		}
		if err != nil {
			return nil, mapLanguageErr(op, err)
		}
		if l.Default {
			err = moveDefault(ctx, tx, l.Code)
		}
		return change(persistence.ActionLanguageCreate, "language", l.Code, nil, l), err
	})
	if err != nil {
		return persistence.Language{}, languageErr(op, err)
	}
	s.InvalidateTranslations()
	return l, nil
}

// UpdateLanguage implements persistence.TranslationStore.
func (s *Store) UpdateLanguage(ctx context.Context, by persistence.AuditActor, code string, p persistence.LanguagePatch) (persistence.Language, error) {
	defer observe("update_language", time.Now())
	op := "update language " + code
	var out persistence.Language
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		if _, err := tx.Exec(ctx, lockLanguages); err != nil {
			return nil, mapErr(op, err)
		}
		before, err := readLanguage(ctx, tx, code)
		if err != nil {
			return nil, mapErr(op, err)
		}
		row := tx.QueryRow(ctx, `UPDATE languages SET name = coalesce($2, name), active = coalesce($3, active)
			WHERE code = $1 RETURNING `+languageColumns, code, p.Name, p.Active)
		err = row.Scan(&out.Code, &out.Name, &out.Active, &out.Default)
		return change(persistence.ActionLanguageUpdate, "language", code, before, out), mapLanguageErr(op, err)
	})
	if err != nil {
		return persistence.Language{}, languageErr(op, err)
	}
	s.InvalidateTranslations()
	return out, nil
}

// SetDefaultLanguage implements persistence.TranslationStore.
func (s *Store) SetDefaultLanguage(ctx context.Context, by persistence.AuditActor, code string) (persistence.Language, error) {
	defer observe("set_default_language", time.Now())
	op := "set default language " + code
	var out persistence.Language
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		if _, err := tx.Exec(ctx, lockLanguages); err != nil {
			return nil, mapErr(op, err)
		}
		var before persistence.Language
		var err error
		if before, err = readLanguage(ctx, tx, code); err != nil {
			return nil, mapErr(op, err)
		}
		if !before.Active {
			return nil, fmt.Errorf("%s: inactive: %w", op, persistence.ErrConflict)
		}
		if before.Default {
			out = before
			return nil, nil // already the default: nothing changes
		}
		out = before
		out.Default = true
		return change(persistence.ActionLanguageDefault, "language", code, before, out), moveDefault(ctx, tx, code)
	})
	if err != nil {
		return persistence.Language{}, languageErr(op, err)
	}
	s.InvalidateTranslations()
	return out, nil
}

// readLanguage reads one language in tx.
func readLanguage(ctx context.Context, tx pgx.Tx, code string) (persistence.Language, error) {
	var l persistence.Language
	err := tx.QueryRow(ctx, `SELECT `+languageColumns+` FROM languages WHERE code = $1`, code).
		Scan(&l.Code, &l.Name, &l.Active, &l.Default)
	return l, err
}

// languageErr wraps an error the language closures did not map already
// (an incomplete actor).
func languageErr(op string, err error) error {
	if errors.Is(err, persistence.ErrNoActor) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return err
}

// moveDefault clears the old default, then sets code's: two statements, so
// the partial unique index never sees two, and the deferred trigger checks
// at commit that there is one.
func moveDefault(ctx context.Context, tx pgx.Tx, code string) error {
	op := "move default language to " + code
	if _, err := tx.Exec(ctx, `UPDATE languages SET is_default = false WHERE is_default AND code <> $1`, code); err != nil {
		return mapErr(op, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE languages SET is_default = true WHERE code = $1`, code); err != nil {
		return mapLanguageErr(op, err)
	}
	return nil
}

// mapLanguageErr maps a broken language rule (an inactive default) to
// ErrConflict, the rest like mapErr.
func mapLanguageErr(op string, err error) error {
	if isCode(err, codeCheckViolation) {
		return fmt.Errorf("%s: %w: %w", op, persistence.ErrConflict, err)
	}
	return mapErr(op, err)
}

// PutTranslations implements persistence.TranslationStore. The batch is
// one audit entry: target the namespaces it touches, before the texts it
// replaced (absent keys were new), after the batch.
func (s *Store) PutTranslations(ctx context.Context, by persistence.AuditActor, ts []persistence.Translation) error {
	defer observe("put_translations", time.Now())
	if len(ts) == 0 {
		return nil
	}
	op := fmt.Sprintf("put %d translations", len(ts))
	ns, keys, langs, texts := make([]string, len(ts)), make([]string, len(ts)), make([]string, len(ts)), make([]string, len(ts))
	for i, t := range ts {
		ns[i], keys[i], langs[i], texts[i] = t.Namespace, t.Key, t.Language, t.Text
	}
	err := s.audited(ctx, by, func(tx pgx.Tx) ([]auditChange, error) {
		rows, err := tx.Query(ctx, `SELECT t.namespace, t.key, t.language, t.text FROM translations t
			JOIN unnest($1::text[], $2::text[], $3::text[]) AS b(n, k, l) ON (t.namespace, t.key, t.language) = (b.n, b.k, b.l)
			ORDER BY 1, 2, 3 FOR UPDATE OF t`, ns, keys, langs)
		if err != nil {
			return nil, err
		}
		before, err := pgx.CollectRows(rows, pgx.RowToStructByPos[persistence.Translation])
		if err != nil {
			return nil, err
		}
		// DISTINCT ON: a key twice in one batch keeps its last text rather than
		// failing the whole upsert ("cannot affect row a second time").
		_, err = tx.Exec(ctx, `INSERT INTO translations (namespace, key, language, text, updated_at)
			SELECT DISTINCT ON (n, k, l) n, k, l, t, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
				WITH ORDINALITY AS b(n, k, l, t, i) ORDER BY n, k, l, i DESC
			ON CONFLICT (namespace, key, language) DO UPDATE SET text = EXCLUDED.text, updated_at = EXCLUDED.updated_at`,
			ns, keys, langs, texts, s.now())
		return change(persistence.ActionTranslationUpsert, "translations", namespaces(ts), before, ts), err
	})
	if err != nil {
		return mapLanguageErr(op, err)
	}
	s.InvalidateTranslations()
	return nil
}

// namespaces lists the distinct namespaces of ts, sorted, comma-separated.
func namespaces(ts []persistence.Translation) string {
	seen := map[string]bool{}
	var out []string
	for _, t := range ts {
		if !seen[t.Namespace] {
			seen[t.Namespace] = true
			out = append(out, t.Namespace)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
