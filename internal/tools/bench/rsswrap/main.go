// Command rsswrap measures the peak RSS of a provider process that terraform
// starts. `make bench` puts copies of it, named as the providers, in a
// dev_overrides directory: it runs the real binary of the same name from
// $RSSWRAP_REAL_DIR with the same arguments, environment and standard
// streams (go-plugin's handshake passes straight through), forwards signals,
// and when the provider exits appends "<name> <peak RSS in KiB>" to
// $RSSWRAP_OUT, taken from the kernel's rusage of the waited child.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
)

func main() {
	name := filepath.Base(os.Args[0])
	real := filepath.Join(os.Getenv("RSSWRAP_REAL_DIR"), name)
	cmd := exec.Command(real, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if f, ferr := os.OpenFile(os.Getenv("RSSWRAP_OUT"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil {
			_, _ = fmt.Fprintf(f, "%s %d\n", name, ru.Maxrss) // Linux reports KiB
			_ = f.Close()
		}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		os.Exit(exitErr.ExitCode())
	}
	if err != nil {
		os.Exit(1)
	}
}
