// Package report writes the benchmark programs' markdown reports.
package report

import (
	"fmt"
	"io"
	"os"
)

// Emit writes a report to stdout and, when path is set, to that file too.
func Emit(stdout io.Writer, path string, write func(io.Writer) error) error {
	if err := write(stdout); err != nil {
		return err
	}
	if path == "" {
		return nil
	}
	f, err := os.Create(path) //nolint:gosec // the operator names the report file
	if err != nil {
		return fmt.Errorf("create report file: %w", err)
	}
	if err := write(f); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close report file: %w", err)
	}
	return nil
}
