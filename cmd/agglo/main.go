// Command agglo analyses the innovation development of urban agglomerations
// and recommends strategies under dual-circulation scenarios.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"agglo/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
