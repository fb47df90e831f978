package mockcloud_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// A snapshot written out and seeded again gives the same world, changes
// included, and never carries a passphrase.
func TestSnapshotRoundTrips(t *testing.T) {
	s := mockcloud.New(mockcloud.Options{})
	if err := s.LoadSeed(mockcloud.DemoSeed()); err != nil {
		t.Fatal(err)
	}
	// What an apply leaves: a task's target released, a server locked, a
	// user unlocked.
	task, _ := s.Task("7a9a9540-ff28-4869-b9e4-855fbe12a001")
	task.TargetLocked = false
	s.PutTask(task)
	s.SetECSServerLocked("2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01", true)
	s.SetBastionhostUserState("bastionhost-cn-demo0001", "1", "Normal")

	snap := s.Snapshot()
	b, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range s.Tasks() {
		if task.Passphrase == "" || strings.Contains(string(b), task.Passphrase) {
			t.Fatalf("the snapshot holds the passphrase of task %s (or the seed gave it none)", task.ID)
		}
	}
	again := mockcloud.New(mockcloud.Options{})
	if err := again.LoadSeed(b); err != nil {
		t.Fatalf("the snapshot does not seed: %v\n%s", err, b)
	}
	if got := again.Snapshot(); !reflect.DeepEqual(got, snap) {
		t.Errorf("seeded from its snapshot, the world differs:\n got %+v\nwant %+v", got, snap)
	}
	if u, _ := again.BastionhostUser("bastionhost-cn-demo0001", "1"); u.Frozen() {
		t.Error("user 1 was unlocked before the snapshot, frozen after it")
	}
	if v, _ := again.ECSServer("2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"); !v.Locked {
		t.Error("the server was locked before the snapshot, unlocked after it")
	}
}
