package mockcloud

import (
	"encoding/json"
	"net/http"
	"time"
)

// Fault changes how the server answers an operation, after the request's
// signature has been accepted.
//
// A fault with only Delay and/or Header lets the normal answer through
// afterwards (slow or decorated). A Drop closes the connection unanswered.
// Otherwise the fault answers itself: Body, else Fixture, else the cloud's
// usual error body for Status (see defaultFaultFixtures), with Status (or the
// fixture's own status, or 200 for a bare Body).
//
// Note that Go's HTTP client retries an idempotent request (GET) once when a
// reused keep-alive connection is closed before any answer: to see a Drop
// surface as an error there, use Times: 2 or a fresh connection.
type Fault struct {
	Status  int               // HTTP status to answer (0 = no status override)
	Body    string            // raw body; if empty and Fixture set, the fixture's body is used
	Fixture string            // name of a fixture file, e.g. "sms/error_403_SMS.9004.json"
	Header  map[string]string // extra answer headers
	Times   int               // how many requests it applies to; 0 = every request
	Delay   time.Duration     // sleep before answering (stops when the client goes away)
	// Hold, if set, is a barrier: the answer waits until it is closed (or
	// the client goes away), so a test can hold a call in flight for as
	// long as it needs, whatever the machine's speed.
	Hold <-chan struct{}
	Drop bool // hijack and close the connection without answering
}

// defaultFaultFixtures gives a fault that sets only Status the body the cloud
// really sends with that status.
var defaultFaultFixtures = map[string]map[int]string{
	huawei: {
		401: "huawei/error_401_APIGW.0301.json",
		403: "sms/error_403_SMS.9004.json",
		404: "huawei/error_404_APIGW.0101.json",
		429: "huawei/error_429_APIGW.0308.json",
		500: "sms/error_500_SMS.2007.json",
		502: "huawei/error_502.json",
		503: "huawei/error_503.json",
	},
	alibaba: {
		400: "alibaba/error_400_InvalidParameter.json",
		404: "alibaba/error_404_InvalidAction.NotFound.json",
		500: "alibaba/error_500_InternalError.json",
	},
}

// InjectFault queues a fault for an operation (names in routes.go). Faults
// for one operation apply in the order injected; one with Times 0 stays at
// the head of its queue until ClearFaults.
func (s *Server) InjectFault(op string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], f)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]Fault{}
}

// takeFault returns the fault that applies to this request of op, if any,
// and counts it used.
func (s *Server) takeFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	if f.Times > 0 {
		if q[0].Times--; q[0].Times == 0 {
			q = q[1:]
		}
		if len(q) == 0 {
			delete(s.faults, op)
		} else {
			s.faults[op] = q
		}
	}
	return f, true
}

// applyFault acts out a fault; false means the normal answer should follow.
func (s *Server) applyFault(c *call, f Fault) bool {
	if f.Delay > 0 && !sleep(c.r.Context(), f.Delay) {
		return true // the client went away: nobody to answer
	}
	if f.Hold != nil {
		select {
		case <-f.Hold:
		case <-c.r.Context().Done():
			return true
		}
	}
	if f.Drop {
		conn, _, err := http.NewResponseController(c.w).Hijack()
		if err != nil {
			// HTTP/2 or a recorder: abort the response instead, which
			// the client also sees as a broken connection.
			s.logf("mockcloud: cannot drop the connection, aborting the answer: %v", err)
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return true
	}
	for k, v := range f.Header {
		c.w.Header().Set(k, v)
	}
	switch {
	case f.Body != "":
		s.setRequestID(c)
		if c.w.Header().Get("Content-Type") == "" && json.Valid([]byte(f.Body)) {
			c.w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		}
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		c.w.WriteHeader(status)
		_, _ = c.w.Write([]byte(f.Body))
		return true
	case f.Fixture != "":
		s.send(c, answer{fixture: f.Fixture, status: f.Status})
		return true
	case f.Status != 0:
		if name := defaultFaultFixtures[c.cloud][f.Status]; name != "" {
			s.send(c, answer{fixture: name})
		} else {
			s.setRequestID(c)
			c.w.WriteHeader(f.Status)
		}
		return true
	}
	return false
}
