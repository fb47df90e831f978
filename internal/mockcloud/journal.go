package mockcloud

import (
	"net/http"
	"time"
)

// Entry is one request the server served.
type Entry struct {
	Op                     string // operation name; "auth" if the signature was rejected, "" if no route matched
	Method, Path, RawQuery string
	Header                 http.Header // request headers as received (the test may check e.g. OpenStack-API-Version)
	Body                   []byte      // request body
	Status                 int         // status answered (0 if dropped or the client left first)
	Faulted                bool        // an injected fault applied (including a delay-only fault)
	Throttled              bool        // refused by an account limit (EnforceLimit): nothing changed
	RequestID              string
	Time                   time.Time
}

// record adds an entry to the journal and logs op, method, path and status
// (never headers, query or bodies: they carry signatures and passphrases).
func (s *Server) record(e Entry) {
	s.mu.Lock()
	s.calls[e.Op]++
	s.journal = append(s.journal, e)
	// Trim in one go once twice over the limit, so each request costs O(1).
	if limit := s.opts.JournalLimit; len(s.journal) > 2*limit {
		s.journal = append([]Entry(nil), s.journal[len(s.journal)-limit:]...)
	}
	s.mu.Unlock()
	s.logf("mockcloud: %s %s %s -> %d", opOrDash(e.Op), e.Method, e.Path, e.Status)
}

func opOrDash(op string) string {
	if op == "" {
		return "-"
	}
	return op
}

// Journal returns the entries kept, in the order served.
func (s *Server) Journal() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.journal...)
}

// Calls is the number of requests served for op (faulted ones included)
// since the start or the last ResetJournal.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// ResetJournal empties the journal and the call counts.
func (s *Server) ResetJournal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.journal = nil
	s.calls = map[string]int{}
	s.throttled = map[string]int{}
}
