package sms_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/acctest"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// The full registration the generated configurations take their values
// from: the document's example (as the mock's tests correct it), with a
// value for every optional argument and nested attribute it leaves out.
func fullRegistration(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../mockcloud/testdata/sources_register_suse.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	// Two elements of each list are enough to meet every nested attribute
	// set and left out; the example's 23 subvolumes only make plans slower.
	trim := func(l any) []any {
		if s := l.([]any); len(s) > 2 {
			return s[:2]
		}
		return l.([]any)
	}
	doc["disks"] = trim(doc["disks"])
	for _, d := range doc["disks"].([]any) {
		d.(map[string]any)["physical_volumes"] = trim(d.(map[string]any)["physical_volumes"])
	}
	for _, b := range doc["btrfs_list"].([]any) {
		b.(map[string]any)["subvolumn"] = trim(b.(map[string]any)["subvolumn"])
	}
	for _, g := range doc["volume_groups"].([]any) {
		g.(map[string]any)["logical_volumes"] = trim(g.(map[string]any)["logical_volumes"])
	}
	for k, v := range map[string]any{
		"domain_id": "0b7a3c5e9d1f4a2b8c6d0e1f2a3b4c5d", "raw_devices": "", "driver_files": false, "system_services": false,
		"account_rights": true, "system_dir": "C:\\Windows", "migration_cycle": "checking", "state": "waiting",
		"oem_system": false, "start_type": "MANUAL", "has_tc": true, "platform": "hw",
	} {
		doc[k] = v
	}
	for i, d := range doc["disks"].([]any) {
		d := d.(map[string]any)
		d["os_disk"], d["relation_name"], d["inode_size"] = i == 0, fmt.Sprintf("/dev/vd%c", 'a'+i), json.Number("256")
		for j, p := range d["physical_volumes"].([]any) {
			p := p.(map[string]any)
			p["index"], p["uuid"], p["size_per_cluster"] = json.Number(fmt.Sprint(j)), fmt.Sprintf("uuid-%d-%d", i, j), json.Number("4096")
		}
	}
	for _, n := range doc["networks"].([]any) {
		n := n.(map[string]any)
		n["ipv6"], n["mtu"], n["id"] = "fe80::1", json.Number("1500"), "nic-0"
	}
	for _, g := range doc["volume_groups"].([]any) {
		g := g.(map[string]any)
		g["free_size"] = json.Number("0")
		for _, lv := range g["logical_volumes"].([]any) {
			lv := lv.(map[string]any)
			lv["block_count"], lv["block_size"], lv["inode_nums"], lv["device_use"] = json.Number("0"), json.Number("4096"), json.Number("0"), "NORMAL"
		}
	}
	return doc
}

// The arguments every registration needs, and the nested attributes the
// document marks "Mandatory: Yes": never left out.
var sourceMandatory = map[string]bool{
	"ip": true, "hostname": true, "os_type": true, "os_version": true,
	"disks.name": true, "disks.device_use": true, "disks.size": true, "disks.used_size": true, "disks.physical_volumes": true,
	"networks.name": true, "networks.ip": true, "networks.netmask": true, "networks.gateway": true, "networks.mac": true,
	"volume_groups.logical_volumes.file_system": true, "volume_groups.logical_volumes.inode_size": true,
	"volume_groups.logical_volumes.mount_point": true, "volume_groups.logical_volumes.name": true,
	"volume_groups.logical_volumes.size": true, "volume_groups.logical_volumes.used_size": true,
	"volume_groups.logical_volumes.free_size": true,
}

// optionalPaths lists the optional arguments and nested attributes of doc
// by dotted path (lists are looked into, whatever their index), sorted.
func optionalPaths(doc map[string]any, prefix string, out map[string]bool) {
	for k, v := range doc {
		p := strings.TrimPrefix(prefix+"."+k, ".")
		// Every attribute of a Btrfs file system and subvolume is
		// mandatory; the list itself is not.
		if !sourceMandatory[p] && !strings.HasPrefix(p, "btrfs_list.") {
			out[p] = true
		}
		if l, ok := v.([]any); ok {
			for _, e := range l {
				if m, ok := e.(map[string]any); ok {
					optionalPaths(m, p, out)
				}
			}
		}
	}
}

// without is doc with every path of drop removed (in every list element).
func without(v any, prefix string, drop map[string]bool) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			p := strings.TrimPrefix(prefix+"."+k, ".")
			if drop[p] {
				continue
			}
			out[k] = without(e, p, drop)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = without(e, prefix, drop)
		}
		return out
	}
	return v
}

// sourceConfig is the resource block named name for the attributes of doc
// (the wire's "subvolumn" is the schema's "subvolume"), with extra lines.
// The nested lists are written as blocks, one per element (an empty list:
// none), as the schema takes them.
func sourceConfig(name string, doc map[string]any, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nresource %q %q {\n", sourceType, name)
	writeBody(&b, doc, "  ")
	b.WriteString(extra + "}\n")
	return b.String()
}

// writeBody writes the arguments of doc, and its lists of objects as blocks.
func writeBody(b *strings.Builder, doc map[string]any, indent string) {
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if k == "subvolumn" {
			name = "subvolume"
		}
		if l, ok := doc[k].([]any); ok && (len(l) == 0 || isObject(l[0])) {
			for _, e := range l {
				fmt.Fprintf(b, "%s%s {\n", indent, name)
				writeBody(b, e.(map[string]any), indent+"  ")
				fmt.Fprintf(b, "%s}\n", indent)
			}
			continue
		}
		fmt.Fprintf(b, "%s%s = %s\n", indent, name, acctest.HCL(doc[k], indent))
	}
}

func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

const sourceType = "cloudlock_sms_source_server"

// The status attributes an update that only renames (or changes timeouts)
// cannot change.
var sourceStatus = []string{"connected", "current_state", "current_migration_cycle", "add_date", "enterprise_project_id"}

// Convergence as a property: configurations generated over every optional
// argument and nested attribute of the source server (each set or left
// out, pairwise), each created, updated in place, forgotten and imported
// (by id, and by identity on CLIs ≥ 1.12) with the same hand-written
// configuration. After each apply the harness plans again and fails on a
// non-empty plan; the write calls of each step are counted in the mock's
// journal, and the plans after an apply must make none.
func TestAccSourceServer_convergence(t *testing.T) {
	full := fullRegistration(t)
	paths := map[string]bool{}
	optionalPaths(full, "", paths)
	paths["timeouts"] = true
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	rows := acctest.Covering(len(names))
	t.Logf("%d optional arguments and nested attributes, %d generated configurations", len(names), len(rows))
	identity := acctest.CLIAtLeast(t, 1, 12)

	for i, row := range rows {
		t.Run(acctest.RowName(i, names, row), func(t *testing.T) {
			t.Parallel()
			drop := map[string]bool{}
			for k, on := range row {
				if !on {
					drop[names[k]] = true
				}
			}
			doc := without(full, "", drop).(map[string]any)
			timeouts := func(create string) string {
				if drop["timeouts"] {
					return ""
				}
				return fmt.Sprintf("  timeouts {\n    create = %q\n  }\n", create)
			}
			// The update changes what can change in place: the name when
			// the configuration sets one, and timeouts (set them when the
			// configuration has none).
			renamed := map[string]any{}
			for k, v := range doc {
				renamed[k] = v
			}
			if _, ok := doc["name"]; ok {
				renamed["name"] = "suse-12-renamed"
			}
			updateTimeouts := "  timeouts {\n    create = \"7m\"\n  }\n"

			m := acctest.StartMock(t)
			mark := acctest.NewWriteMark(m)
			// What SMS holds for the imports: the full registration, as its
			// Agent registered it, under other addresses.
			seed := func(ip, hostname string) string {
				var v mockcloud.SourceServer
				b, _ := json.Marshal(full)
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatal(err)
				}
				v.IP, v.Hostname = ip, hostname
				v.Connected, v.AddDate, v.EnterpriseProjectID = true, 1731290000000, "0"
				return m.PutSourceServer(v)
			}
			// One resource is created, one imported by id, one by identity
			// (CLIs ≥ 1.12): each differs from doc only in ip and hostname.
			type instance struct{ name, ip, hostname, importBy, id string }
			instances := []instance{{name: "created", ip: "192.168.136.21", hostname: "suse-create"}}
			instances = append(instances, instance{name: "by_id", ip: "192.168.136.22", hostname: "suse-import-id", importBy: "id"})
			instances[1].id = seed(instances[1].ip, instances[1].hostname)
			if identity {
				instances = append(instances, instance{name: "by_identity", ip: "192.168.136.23", hostname: "suse-import-identity", importBy: "identity"})
				instances[2].id = seed(instances[2].ip, instances[2].hostname)
			}
			config := func(d map[string]any, extra string) string {
				out := acctest.ProviderConfig(m)
				for _, in := range instances {
					c := map[string]any{}
					for k, v := range d {
						c[k] = v
					}
					c["ip"], c["hostname"] = in.ip, in.hostname
					out += sourceConfig(in.name, c, extra)
					switch in.importBy {
					case "id":
						out += fmt.Sprintf("import {\n  to = %s.%s\n  id = %q\n}\n", sourceType, in.name, in.id)
					case "identity":
						out += fmt.Sprintf("import {\n  to = %s.%s\n  identity = {\n    id = %q\n  }\n}\n", sourceType, in.name, in.id)
					}
				}
				return out
			}
			var updated []plancheck.PlanCheck
			for _, in := range instances {
				a := sourceType + "." + in.name
				updated = append(updated, plancheck.ExpectResourceAction(a, plancheck.ResourceActionUpdate),
					acctest.ExpectKnownAtPlan(a, sourceStatus...))
			}
			renames := 0
			if _, ok := doc["name"]; ok {
				renames = len(instances)
			}
			steps := []resource.TestStep{
				{
					// Created and imported: one registration, nothing else written.
					Config: config(doc, timeouts("5m")),
					Check:  mark.Expect(1),
				},
				{
					PreConfig:        mark.NoneSince(t),
					Config:           config(renamed, updateTimeouts),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: updated},
					Check:            mark.Expect(renames),
				},
			}
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}
