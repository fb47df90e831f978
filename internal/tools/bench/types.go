package main

import (
	"fmt"
	"strings"
)

// kind is where a type sits in a configuration.
type kind string

const (
	kindResource  kind = "resource"
	kindData      kind = "data"
	kindEphemeral kind = "ephemeral"
)

// benchType is one cloudlock type the bench knows how to use: how to write n
// instances of it, and what the mock must hold for them. A type the provider
// does not offer (yet) is skipped, so the table can name types that land
// later; a type the provider offers that is missing here is reported.
type benchType struct {
	name string
	kind kind
	// body is the inside of a block whose instance count.index uses the
	// mock's object number count.index.
	body string
	// seed adds what n instances need to the mock's seed (nil: nothing).
	seed func(s seed, n int)
	// scale: part of the scale (apply of N) and refresh figures.
	scale bool
}

// seed is the mock's JSON seed (mockcloud.Seed) built as a map, so the bench
// names the keys of services that may not have landed in the mock yet.
type seed map[string][]map[string]any

// ID shapes: the types validate ids at plan time, so the generated ones look
// like the cloud's. The same expressions are used in HCL (with count.index)
// and in Go (with fmt), so the two always agree.
const (
	taskIDFormat   = "7a9a9540-ff28-4869-b9e4-%012d" // SMS task ids are UUIDs
	serverIDFormat = "2f6b5e1c-8d3a-4c7e-9b1f-%012d" // ECS server ids are UUIDs
	bastionID      = "bastionhost-cn-bench0001"
)

// hclID is the HCL expression of the id format for count.index.
func hclID(format string) string {
	return fmt.Sprintf("format(%q, count.index)", format)
}

// benchTypes is every type the bench uses, one entry each.
var benchTypes = []benchType{
	{
		name: "cloudlock_sms_task_unlock", kind: kindResource, scale: true,
		body: "task_id = " + hclID(taskIDFormat),
		seed: seedTasks,
	},
	{
		name: "cloudlock_sms_task_passphrase", kind: kindData,
		body: "task_id = " + hclID(taskIDFormat),
		seed: seedTasks,
	},
	{
		name: "cloudlock_sms_task_passphrase", kind: kindEphemeral,
		body: "task_id = " + hclID(taskIDFormat),
		seed: seedTasks,
	},
	{
		name: "cloudlock_ecs_server_lock", kind: kindResource, scale: true,
		body: "server_id = " + hclID(serverIDFormat),
		seed: func(s seed, n int) {
			for i := range n {
				s.add("ecs_servers", map[string]any{
					"id": fmt.Sprintf(serverIDFormat, i), "name": fmt.Sprintf("bench-%d", i),
					"status": "ACTIVE", "locked": false,
				})
			}
		},
	},
	{
		// A registration as an Agent sends it (the demo's Linux host); the
		// mock gives each its own id, so it needs no seed.
		name: "cloudlock_sms_source_server", kind: kindResource,
		body: `name = "bench-${count.index}"
hostname = "bench-${count.index}"
ip = "10.0.1.${count.index % 250 + 2}"
os_type = "LINUX"
os_version = "CENTOS_7_9_64BIT"
firmware = "BIOS"
boot_loader = "GRUB"
has_rsync = true
cpu_quantity = 2
memory = 4096
platform = "other"
disks {
  name            = "/dev/vda"
  device_use      = "BOOT"
  partition_style = "MBR"
  size            = 42949672960
  used_size       = 8589934592
}
networks {
  name    = "eth0"
  ip      = "10.0.1.${count.index % 250 + 2}"
  netmask = "255.255.255.0"
  gateway = "10.0.1.1"
  mac     = "fa:16:3e:1d:2c:3b"
}`,
	},
	{
		name: "cloudlock_sms_source_servers", kind: kindData,
		body: `state = "waiting"`,
	},
	{
		// In the start-up configuration: one instance with a few users.
		name: "cloudlock_bastionhost_user_unlock", kind: kindResource,
		body: fmt.Sprintf("instance_id = %q\nuser_ids = [for u in range(3) : tostring(u + 1)]", bastionID),
		seed: func(s seed, _ int) { seedBastion(s, 3) },
	},
}

// seedTasks adds n SMS tasks (shared by the SMS types: a task is added once).
func seedTasks(s seed, n int) {
	have := len(s["tasks"])
	for i := have; i < n; i++ {
		s.add("tasks", map[string]any{
			"id": fmt.Sprintf(taskIDFormat, i), "name": fmt.Sprintf("bench-%d", i), "state": "MIGRATE_SUCCESS",
			"target_server_id": fmt.Sprintf(serverIDFormat, i), "target_server_name": fmt.Sprintf("bench-%d-target", i),
			"target_locked": true,
		})
	}
}

// seedBastion adds the bench's bastion host with users "1".."n", all frozen.
func seedBastion(s seed, n int) {
	if len(s["bastionhost_instances"]) > 0 {
		return
	}
	users := make([]map[string]any, n)
	for i := range users {
		users[i] = map[string]any{"user_id": fmt.Sprint(i + 1), "user_name": fmt.Sprintf("user%d", i+1), "user_state": []string{"Frozen"}}
	}
	s.add("bastionhost_instances", map[string]any{"instance_id": bastionID, "users": users})
}

func (s seed) add(key string, v map[string]any) { s[key] = append(s[key], v) }

// block is one configuration block: n instances of a type, or of the
// baselines' stand-in for it.
type block struct {
	kind  kind
	typ   string
	name  string
	count int
	body  string
}

func (b block) hcl() string {
	body := strings.ReplaceAll(strings.TrimSpace(b.body), "\n", "\n  ")
	return fmt.Sprintf("%s %q %q {\n  count = %d\n  %s\n}\n", b.kind, b.typ, b.name, b.count, body)
}

// asBaseline is the block as baseline (b) writes it: the no-op provider's
// noop_thing of the same kind and count.
func (b block) asBaseline() block {
	return block{kind: b.kind, typ: "noop_thing", name: b.name, count: b.count, body: `name = "thing-${count.index}"`}
}

// asWide is the block as noopwide_thing: baseline (b) with the state shape
// of a cloudlock lock (ids of the same length).
func (b block) asWide() block {
	return block{kind: kindResource, typ: "noopwide_thing", name: b.name, count: b.count, body: "name = " + hclID(taskIDFormat)}
}

// asTerraform is the block as baseline (a) writes it: terraform_data, which
// no plugin serves (Terraform has no built-in data source or ephemeral
// resource, so every kind becomes a terraform_data resource).
func (b block) asTerraform() block {
	return block{kind: kindResource, typ: "terraform_data", name: b.name, count: b.count, body: `input = "thing-${count.index}"`}
}
