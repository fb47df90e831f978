package acctest

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Diagnostic is one diagnostic of a `-json` run, as the CLI streams it.
type Diagnostic struct {
	Severity, Summary, Detail string
}

// Write replaces the CLI directory's main.tf with the provider's source
// block and cfg.
func (c *CLI) Write(t testing.TB, cfg string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.Dir, "main.tf"), []byte(RequiredProviders+cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// RunJSON runs terraform with args and -json, fails the test when it
// fails, and returns the diagnostics it printed: the provider's own words,
// unwrapped, whatever the CLI's way of printing them.
func (c *CLI) RunJSON(t testing.TB, args ...string) []Diagnostic {
	t.Helper()
	out, err := c.Run(append(args, "-json")...)
	var diags []Diagnostic
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Diagnostic *Diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Diagnostic != nil {
			diags = append(diags, *line.Diagnostic)
		}
	}
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return diags
}

// Warnings are the summaries and details of the warnings in diags, one
// string each.
func Warnings(diags []Diagnostic) []string {
	var out []string
	for _, d := range diags {
		if d.Severity == "warning" {
			out = append(out, d.Summary+": "+d.Detail)
		}
	}
	return out
}
