package acctest

import (
	"regexp"
	"strings"
)

// noErrorLine matches any text without "Error: ", the start of each error
// Terraform prints. RE2 has no look-ahead, so it is written as the
// automaton's paths: after each 'E' (which occurs only first in the word),
// a partial "Error:" either restarts at another 'E', breaks off with any
// other character, or ends the text.
const noErrorLine = `(?:[^E]|E(?:E|r(?:E|r(?:E|o(?:E|r(?:E|:E)))))*` +
	`(?:[^rE]|r(?:[^rE]|r(?:[^oE]|o(?:[^rE]|r(?:[^:E]|:[^ E]))))))*` +
	`(?:E(?:E|r(?:E|r(?:E|o(?:E|r(?:E|:E)))))*(?:r(?:r(?:o(?:r:?)?)?)?)?)?`

// OnlyError matches Terraform output with exactly one error, which says msg
// (wrapped as WrappedError allows): one mistake, one error.
func OnlyError(msg string) *regexp.Regexp {
	words := strings.Fields(msg)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(`(?s)\A` + noErrorLine + `Error: ` + noErrorLine + strings.Join(words, `\s+`) + noErrorLine + `\z`)
}
