// Package cli implements the agglo command line: one file per command.
package cli

import (
	"context"
	"fmt"
	"io"
)

// Main runs the command line with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	_ = ctx
	_ = stdin
	fmt.Fprintln(stdout, "agglo")
	_ = stderr
	return 0
}
