// Command mamori is security governance software for government information
// systems. Run "mamori --help" for its commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"mamori/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := app.Run(ctx, &app.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:])
	stop()
	if code := app.ExitCode(err); code != 0 {
		fmt.Fprintln(os.Stderr, "mamori:", app.Describe(err))
		os.Exit(code)
	}
}
