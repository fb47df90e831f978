package mockcloud

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Seed is the initial state of a server, as JSON (see fixtures/demo-seed.json).
type Seed struct {
	Tasks []Task `json:"tasks"`

	// ECS servers (ecs.go)
	ECSServers []ECSServer `json:"ecs_servers,omitempty"`

	// Bastionhost instances and users (bastionhost.go)
	BastionhostInstances []BastionhostInstance `json:"bastionhost_instances"`

	// SMS source servers (sources.go)
	SourceServers []SourceServer `json:"source_servers"`
}

// DemoSeed is the built-in seed used by `make demo` and the standalone server.
func DemoSeed() []byte {
	b, err := fs.ReadFile(fixtureFS, "fixtures/demo-seed.json")
	if err != nil {
		panic(err) // embedded at build time
	}
	return b
}

// LoadSeed adds the state described by a JSON seed. Tasks without a
// passphrase get a random one, so no passphrase is ever written down.
// Unknown fields are errors, so a misspelt seed fails loudly.
func (s *Server) LoadSeed(data []byte) error {
	var seed Seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&seed); err != nil {
		return fmt.Errorf("mockcloud: seed: %w", err)
	}
	for _, t := range seed.Tasks {
		if t.ID == "" {
			return fmt.Errorf("mockcloud: seed: a task has no id")
		}
		if t.Passphrase == "" {
			t.Passphrase = RandomPassphrase()
		}
		s.PutTask(t)
	}

	// ECS servers (ecs.go)
	for _, v := range seed.ECSServers {
		if v.ID == "" {
			return fmt.Errorf("mockcloud: seed: an ECS server has no id")
		}
		s.PutECSServer(v)
	}

	// Bastionhost instances and users (bastionhost.go)
	for _, inst := range seed.BastionhostInstances {
		if inst.ID == "" {
			return fmt.Errorf("mockcloud: seed: a bastionhost instance has no instance_id")
		}
		for _, u := range inst.Users {
			if u.UserID == "" {
				return fmt.Errorf("mockcloud: seed: a user of bastionhost instance %s has no user_id", inst.ID)
			}
		}
		s.PutBastionhostInstance(inst)
	}

	// SMS source servers (sources.go; the checks: sources_register.go)
	for _, v := range seed.SourceServers {
		if err := seedSourceServer(s, v); err != nil {
			return fmt.Errorf("mockcloud: seed: source server %q: %w", v.ID, err)
		}
	}
	return nil
}

// RandomPassphrase returns a fresh 24-character passphrase.
func RandomPassphrase() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Snapshot is the server's world as a seed that LoadSeed takes back: what
// an apply left in the mock, for a test that continues from a state that
// apply wrote (internal/upgrade). Task passphrases are left out, so no
// passphrase is ever written down; LoadSeed gives each task a new one.
// Every list is sorted by id, so the same world writes the same file.
func (s *Server) Snapshot() Seed {
	s.mu.Lock()
	defer s.mu.Unlock()
	seed := Seed{
		Tasks:                []Task{},
		ECSServers:           []ECSServer{},
		BastionhostInstances: []BastionhostInstance{},
		SourceServers:        []SourceServer{},
	}
	for _, t := range s.tasks {
		t.Passphrase = ""
		seed.Tasks = append(seed.Tasks, t)
	}
	for _, v := range s.ecsServers {
		v.lagReads = 0
		seed.ECSServers = append(seed.ECSServers, v)
	}
	for _, inst := range s.bastionhost {
		out := *inst
		out.Users = make([]BastionhostUser, len(inst.Users))
		for i, u := range inst.Users {
			u.UserState = slices.Clone(u.UserState)
			out.Users[i] = u
		}
		seed.BastionhostInstances = append(seed.BastionhostInstances, out)
	}
	for _, v := range s.sources {
		seed.SourceServers = append(seed.SourceServers, v)
	}
	slices.SortFunc(seed.Tasks, func(a, b Task) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(seed.ECSServers, func(a, b ECSServer) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(seed.BastionhostInstances, func(a, b BastionhostInstance) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(seed.SourceServers, func(a, b SourceServer) int { return strings.Compare(a.ID, b.ID) })
	return seed
}
