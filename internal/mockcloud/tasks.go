package mockcloud

// Task is an SMS migration task and the one fact about its target server the
// provider changes: whether SMS still holds it locked.
type Task struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	State            string `json:"state"` // e.g. "MIGRATE_SUCCESS"
	Passphrase       string `json:"passphrase,omitempty"`
	TargetServerID   string `json:"target_server_id"`
	TargetServerName string `json:"target_server_name"`
	TargetLocked     bool   `json:"target_locked"` // unlock sets false
}

// PutTask adds or replaces a task.
func (s *Server) PutTask(t Task) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tasks[t.ID] = t
}

// Task returns the task with this id.
func (s *Server) Task(id string) (Task, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[id]
	return t, ok
}

// DeleteTask removes a task; later requests for it get SMS's 404.
func (s *Server) DeleteTask(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tasks, id)
}

// updateTask changes a task in place under the lock; false if there is none.
func (s *Server) updateTask(id string, change func(*Task)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tasks[id]
	if ok {
		change(&t)
		s.tasks[id] = t
	}
	return ok
}

const taskNotFound = "sms/error_404_SMS.6301.json"

// GET /v3/tasks/{TaskID}
func (s *Server) showTask(c *call) answer {
	t, ok := s.Task(c.params["TaskID"])
	if !ok {
		return answer{fixture: taskNotFound}
	}
	return answer{fixture: "sms/show_task.json", data: map[string]any{
		"TaskName":         t.Name,
		"State":            t.State,
		"TargetServerID":   t.TargetServerID,
		"TargetServerName": t.TargetServerName,
	}}
}

// POST /v3/tasks/{TaskID}/unlock: unlocking an unlocked target succeeds too,
// as the API documents no error for it.
func (s *Server) unlockTargetEcs(c *call) answer {
	if !s.updateTask(c.params["TaskID"], func(t *Task) { t.TargetLocked = false }) {
		return answer{fixture: taskNotFound}
	}
	return answer{fixture: "sms/unlock_target_ecs.json"}
}

// GET /v3/tasks/{TaskID}/passphrase
func (s *Server) showPassphrase(c *call) answer {
	t, ok := s.Task(c.params["TaskID"])
	if !ok {
		return answer{fixture: taskNotFound}
	}
	return answer{fixture: "sms/show_passphrase.json", data: map[string]any{"Passphrase": t.Passphrase}}
}
