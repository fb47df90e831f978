package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// measurement is one terraform command: wall time, and CPU time of
// terraform and every provider process it started and waited for.
type measurement struct {
	wall, cpu time.Duration
}

// runOpts say how one terraform command runs.
type runOpts struct {
	dir       string
	cliConfig string // TF_CLI_CONFIG_FILE: which provider binaries
	// With the rsswrap CLI configuration, providers start through rsswrap,
	// which runs the real binary from rssRealDir and writes each provider
	// process's peak RSS to rssOut.
	rssOut     string
	rssRealDir string
	// exitCodes are accepted besides 0 (plan -detailed-exitcode answers 2
	// for changes).
	exitCodes []int
}

// terraform runs terraform args in o.dir and measures it. Output goes to a
// log file beside the configuration; a failure returns its tail.
func (b *bench) terraform(ctx context.Context, o runOpts, args ...string) (measurement, int, error) {
	logName := filepath.Join(o.dir, "terraform-"+args[0]+".log")
	logFile, err := os.Create(logName)
	if err != nil {
		return measurement{}, 0, err
	}
	defer func() { _ = logFile.Close() }()
	args = append(args, "-no-color")
	if args[0] != "validate" { // the one command without -input
		args = append(args, "-input=false")
	}
	cmd := exec.CommandContext(ctx, b.terraformBin, args...)
	cmd.Dir = o.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+o.cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1", // no call home: everything stays offline
		"TF_LOG=", "TF_LOG_PROVIDER=", "TF_LOG_CORE=", "TF_LOG_PATH=",
		"TF_PLUGIN_CACHE_DIR=",
		"RSSWRAP_REAL_DIR="+o.rssRealDir,
		"RSSWRAP_OUT="+o.rssOut,
	)
	start := time.Now()
	err = cmd.Run()
	m := measurement{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		// The rusage of a waited child includes the descendants it waited
		// for: here, the provider processes terraform started.
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
		if slices.Contains(o.exitCodes, code) {
			err = nil
		}
	}
	if err != nil {
		out, _ := os.ReadFile(logName)
		return m, code, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), o.dir, err, tail(out, 40))
	}
	return m, code, nil
}

// tail is the last n lines of out.
func tail(out []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// peakRSS reads what rsswrap wrote: one "binary maxrss_kb" line per
// provider process. It returns the largest value per binary name, in bytes.
func peakRSS(file string) (map[string]int64, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		name, kb, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(kb, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", file, line, err)
		}
		out[name] = max(out[name], n*1024)
	}
	return out, nil
}

// median of xs (xs is sorted in place); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// goBuild builds pkg into out as `make build` does (trimmed, stripped),
// with build tags if any.
func goBuild(ctx context.Context, root, pkg, out string, tags ...string) error {
	args := []string{"build", "-trimpath", "-ldflags", "-s -w", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}
