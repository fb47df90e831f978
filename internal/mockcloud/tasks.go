package mockcloud

import (
	"sort"
)

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

// Tasks returns every task, by id.
func (s *Server) Tasks() []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Task, 0, len(s.tasks))
	for _, t := range s.tasks {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// GET /v3/tasks (the SDK's ListTasks): filters state, name and id; pages
// by limit (default 200) and offset, with count the number of matches.
func (s *Server) listTasks(c *call) answer {
	q := c.r.URL.Query()
	var matches []any
	for _, t := range s.Tasks() {
		if !filterMatch(q.Get("state"), t.State) || !filterMatch(q.Get("name"), t.Name) || !filterMatch(q.Get("id"), t.ID) {
			continue
		}
		matches = append(matches, map[string]any{
			"id": t.ID, "name": t.Name, "type": "MIGRATE_BLOCK", "os_type": "LINUX", "state": t.State,
			"create_date": 1731290000000, "priority": 1, "speed_limit": 0, "migrate_speed": 0.0, "compress_rate": 0.0,
			"start_target_server": true, "error_json": "", "total_time": 3600000, "migration_ip": "192.168.0.21",
			"enterprise_project_id": "0",
			"target_server": map[string]any{
				"id": "c4d3b2a1-6f5e-4b4c-8d9e-8f7a6b5c4d3e", "vm_id": t.TargetServerID, "name": t.TargetServerName,
				"ip": "192.168.0.21", "os_type": "LINUX", "os_version": "CENTOS_7_9_64BIT",
			},
		})
	}
	page, bad := smsPage(q, matches)
	if bad != nil {
		return *bad
	}
	return answer{fixture: "sms/list_tasks.json", data: map[string]any{"count": len(matches), "tasks": page}}
}
