package mockcloud_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/sms/v3/model"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// The documented example (seed 001) as written. It cannot be registered as
// it is: it has no hostname, which the same document makes mandatory, and
// it gives five numbers of its own tables as strings, one of them "3.30GiB".
const suseDocumented = "testdata/sources_register_suse_documented.json"

// suseRegistered is the documented example corrected by suseCorrections:
// what the provider's acceptance test registers and the demo seed holds.
const suseRegistered = "testdata/sources_register_suse.json"

// suseCorrections turn the documented example into a registration that
// follows the document's tables. Nothing else differs (checked below).
var suseCorrections = map[string]any{
	"hostname": "host-192-168-136-xxx", // mandatory for registration; the example has none
	"volume_groups.0.logical_volumes.0.inode_size": 256.0,        // "256": Integer in the table
	"btrfs_list.0.size":                            3543348019.0, // "3.30GiB": Long (bytes) in the table; 3.30 × 2^30
	"btrfs_list.0.nodesize":                        16384.0,      // "16384": Long
	"btrfs_list.0.sectorsize":                      4096.0,       // "4096": Integer
	"btrfs_list.0.g_vol_used_size":                 3894038528.0, // "3894038528": Long
}

// seedRealism are where the demo seed's source server differs from the
// documented example: its placeholders given values a person would see on
// a real host (addresses in the documentation range 192.0.2.0/24).
var seedRealism = map[string]any{
	"name":               "host-192-0-2-10",
	"hostname":           "host-192-0-2-10",
	"ip":                 "192.0.2.10",
	"memory":             4096.0, // MB; the example's 934752256 MB would be 891 TB
	"networks.0.ip":      "192.0.2.10",
	"networks.0.netmask": "255.255.255.0", // the example: "netmask"
	"networks.0.gateway": "192.0.2.1",     // the example: "gateway"
	"networks.0.mac":     "fa:16:3e:5c:2a:10",
}

func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// setPath sets a dotted path (list positions as numbers) in a decoded document.
func setPath(t *testing.T, doc map[string]any, path string, val any) {
	t.Helper()
	parts := strings.Split(path, ".")
	var cur any = doc
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = val
				return
			}
			cur = c[p]
		case []any:
			var n int
			fmt.Sscan(p, &n)
			if last {
				c[n] = val
				return
			}
			cur = c[n]
		default:
			t.Fatalf("path %s: %T at %s", path, cur, p)
		}
	}
}

// suseRegistration is the corrected example, decoded.
func suseRegistration(t *testing.T) map[string]any { return readJSON(t, suseRegistered) }

// diffPaths lists the paths where two decoded documents differ.
func diffPaths(prefix string, a, b any) []string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return []string{prefix}
		}
		var out []string
		keys := map[string]bool{}
		for k := range av {
			keys[k] = true
		}
		for k := range bv {
			keys[k] = true
		}
		for k := range keys {
			out = append(out, diffPaths(strings.TrimPrefix(prefix+"."+k, "."), av[k], bv[k])...)
		}
		return out
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return []string{prefix}
		}
		var out []string
		for i := range av {
			out = append(out, diffPaths(fmt.Sprintf("%s.%d", prefix, i), av[i], bv[i])...)
		}
		return out
	default:
		if !reflect.DeepEqual(a, b) {
			return []string{prefix}
		}
		return nil
	}
}

func TestSUSECorrectionsAreOnlyTheListedOnes(t *testing.T) {
	documented, registered := readJSON(t, suseDocumented), suseRegistration(t)
	got := diffPaths("", documented, registered)
	if len(got) != len(suseCorrections) {
		t.Errorf("%s differs from %s at %v, want exactly the %d corrected paths", suseRegistered, suseDocumented, got, len(suseCorrections))
	}
	for p, want := range suseCorrections {
		doc := readJSON(t, suseDocumented)
		setPath(t, doc, p, want)
		if d := diffPaths("", doc, registered); len(d) != len(suseCorrections)-1 {
			t.Errorf("correction %s = %v is not what %s holds (differences left: %v)", p, want, suseRegistered, d)
		}
	}
}

// registerBody decodes a JSON document into the SDK's request body, as a
// provider builds it.
func registerBody(t *testing.T, doc map[string]any) *model.PostSourceServerBody {
	t.Helper()
	b, _ := json.Marshal(doc)
	var body model.PostSourceServerBody
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	return &body
}

// The documented SUSE host (corrected as above) registers through the real
// SDK, reads back field for field, is listed, and is deleted once.
func TestSourceServerLifecycleThroughSDK(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	reg := suseRegistration(t)

	out, err := c.RegisterServer(&model.RegisterServerRequest{Body: registerBody(t, reg)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Id == nil || *out.Id == "" {
		t.Fatalf("register answered %v", out)
	}
	id := *out.Id
	stored, ok := s.SourceServer(id)
	if !ok || stored.Hostname != "host-192-168-136-xxx" || len(*stored.BtrfsList) != 1 || len(*(*stored.BtrfsList)[0].Subvolumn) != 23 {
		t.Fatalf("stored %+v", stored)
	}

	shown, err := c.ShowServer(&model.ShowServerRequest{SourceId: id})
	if err != nil {
		t.Fatal(err)
	}
	if *shown.Id != id || shown.State.Value() != "waiting" || !*shown.Connected || *shown.EnterpriseProjectId != "0" {
		t.Errorf("show: id %v state %v connected %v", *shown.Id, shown.State, *shown.Connected)
	}
	// Every registered field the show answer carries comes back as sent.
	raw, _ := json.Marshal(shown)
	var answer map[string]any
	_ = json.Unmarshal(raw, &answer)
	echoed := 0
	for k, v := range reg {
		if av, ok := answer[k]; ok {
			echoed++
			if d := diffPaths(k, v, av); len(d) > 0 {
				t.Errorf("show answer differs from the registration at %v", d)
			}
		}
	}
	if echoed != 13 { // ip name hostname os_type os_version firmware cpu_quantity memory disks volume_groups btrfs_list networks agent_version
		t.Errorf("%d registered fields in the show answer, want 13", echoed)
	}
	for _, k := range []string{"platform", "boot_loader", "has_rsync", "kernel_version", "linux_block_check", "io_read_wait"} {
		if _, ok := answer[k]; ok {
			t.Errorf("show answer has %s, which ShowServer does not return", k)
		}
	}

	list, err := c.ListServers(&model.ListServersRequest{Name: stringPtr("host-192-168-136-xxx")})
	if err != nil {
		t.Fatal(err)
	}
	if *list.Count != 1 || len(*list.SourceServers) != 1 || *(*list.SourceServers)[0].Id != id ||
		(*list.SourceServers)[0].OsType.Value() != "LINUX" || *(*list.SourceServers)[0].CpuQuantity != 1 {
		t.Errorf("list = %+v", list)
	}
	// memory is MB in the registration and the show answer (seed 001, the
	// SDK's RegisterServer and ShowServer models) and bytes in the list
	// answer (the SDK's SourceServersResponseBody).
	if *shown.Memory != 934752256 {
		t.Errorf("show: memory %d MB, want the registered 934752256", *shown.Memory)
	}
	if got := *(*list.SourceServers)[0].Memory; got != 934752256<<20 {
		t.Errorf("list: memory %d, want %d bytes (934752256 MB)", got, int64(934752256)<<20)
	}

	if _, err := c.DeleteServer(&model.DeleteServerRequest{SourceId: id}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.SourceServer(id); ok {
		t.Error("the server is still there after delete")
	}
	for _, call := range []func() error{
		func() error { _, err := c.ShowServer(&model.ShowServerRequest{SourceId: id}); return err },
		func() error { _, err := c.DeleteServer(&model.DeleteServerRequest{SourceId: id}); return err },
	} {
		expectSMSError(t, call(), 404, "SMS.2216")
	}
	if n := s.Calls("sms.DeleteServer"); n != 2 {
		t.Errorf("Calls(sms.DeleteServer) = %d", n)
	}
}

func stringPtr(s string) *string { return &s }

func expectSMSError(t *testing.T, err error, status int, code string) *sdkerr.ServiceResponseError {
	t.Helper()
	var sre *sdkerr.ServiceResponseError
	if !errors.As(err, &sre) {
		t.Fatalf("error %v (%T), want a %d %s answer", err, err, status, code)
	}
	if sre.StatusCode != status || sre.ErrorCode != code || sre.RequestId == "" {
		t.Fatalf("got HTTP %d %s (request id %q): %s; want %d %s", sre.StatusCode, sre.ErrorCode, sre.RequestId, sre.ErrorMessage, status, code)
	}
	return sre
}

type rawRegisterRequest struct {
	Body json.RawMessage `json:"body"`
}

type rawRegisterResponse struct {
	Id             *string `json:"id,omitempty"`
	HttpStatusCode int     `json:"-"`
}

// postRaw sends a registration body byte for byte, signed by the SDK core.
func postRaw(t *testing.T, s *mockcloud.Server, body []byte) error {
	t.Helper()
	reqDef := def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/v3/sources").
		WithResponse(new(rawRegisterResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
		Build()
	_, err := hcClient(t, s.URL(), hwCreds).Sync(&rawRegisterRequest{Body: body}, reqDef)
	return err
}

// The example exactly as documented is refused, and nothing is stored.
func TestDocumentedExampleAsWrittenIsRefused(t *testing.T) {
	s := startMock(t)
	b, err := os.ReadFile(suseDocumented)
	if err != nil {
		t.Fatal(err)
	}
	sre := expectSMSError(t, postRaw(t, s, b), 400, "SMS.9001")
	if !strings.Contains(sre.ErrorMessage, "must be of type int64, not a JSON string") {
		t.Errorf("message %q does not name the type error", sre.ErrorMessage)
	}
	// With the numbers fixed but still no hostname, the mandatory field is named.
	doc := suseRegistration(t)
	delete(doc, "hostname")
	b, _ = json.Marshal(doc)
	sre = expectSMSError(t, postRaw(t, s, b), 400, "SMS.9001")
	if !strings.Contains(sre.ErrorMessage, "hostname is mandatory for registration") {
		t.Errorf("message %q", sre.ErrorMessage)
	}
	if n := len(s.SourceServers()); n != 0 {
		t.Errorf("%d servers stored after refused registrations", n)
	}
}

// Registration checks mandatory fields, enumerations and limits as the
// document states them, with the field in the message.
func TestRegisterServerValidates(t *testing.T) {
	s := startMock(t)
	for name, tc := range map[string]struct {
		change func(map[string]any)
		want   string
	}{
		"os_type":       {func(d map[string]any) { d["os_type"] = "SOLARIS" }, `os_type "SOLARIS" is not one of LINUX, WINDOWS`},
		"firmware":      {func(d map[string]any) { d["firmware"] = "CSM" }, `firmware "CSM" is not one of BIOS, UEFI`},
		"platform":      {func(d map[string]any) { d["platform"] = "openstack" }, `platform "openstack"`},
		"cpu_quantity":  {func(d map[string]any) { d["cpu_quantity"] = 70000 }, "cpu_quantity 70000 is not between 0 and 65535"},
		"io_read_wait":  {func(d map[string]any) { d["io_read_wait"] = 10000.5 }, "io_read_wait 10000.5"},
		"ip":            {func(d map[string]any) { delete(d, "ip") }, "ip is mandatory for registration"},
		"name too long": {func(d map[string]any) { d["name"] = strings.Repeat("n", 256) }, "name is longer than 255 characters"},
		"disk name":     {func(d map[string]any) { delete(d["disks"].([]any)[1].(map[string]any), "name") }, "disks[1].name is mandatory"},
		"network mac":   {func(d map[string]any) { delete(d["networks"].([]any)[0].(map[string]any), "mac") }, "networks[0].mac is mandatory"},
		"subvolume uuid": {func(d map[string]any) {
			delete(d["btrfs_list"].([]any)[0].(map[string]any)["subvolumn"].([]any)[3].(map[string]any), "uuid")
		}, "btrfs_list[0].subvolume[3].uuid is mandatory"},
		"lv mount point":  {func(d map[string]any) { lv(d)["mount_point"] = nil }, "volume_groups[0].logical_volumes[0].mount_point is mandatory"},
		"string for long": {func(d map[string]any) { d["memory"] = "lots" }, "memory must be of type int64"},
	} {
		t.Run(name, func(t *testing.T) {
			doc := suseRegistration(t)
			tc.change(doc)
			b, _ := json.Marshal(doc)
			sre := expectSMSError(t, postRaw(t, s, b), 400, "SMS.9001")
			if !strings.Contains(sre.ErrorMessage, tc.want) {
				t.Errorf("message %q does not contain %q", sre.ErrorMessage, tc.want)
			}
		})
	}
	if n := len(s.SourceServers()); n != 0 {
		t.Errorf("%d servers stored after refused registrations", n)
	}
	// The table's name "subvolume" is read too.
	doc := suseRegistration(t)
	b0 := doc["btrfs_list"].([]any)[0].(map[string]any)
	b0["subvolume"], b0["subvolumn"] = b0["subvolumn"], nil
	b, _ := json.Marshal(doc)
	if err := postRaw(t, s, b); err != nil {
		t.Fatal(err)
	}
	if v := s.SourceServers(); len(v) != 1 || len(*(*v[0].BtrfsList)[0].Subvolumn) != 23 {
		t.Errorf("subvolumes under the table's name were not kept: %+v", v)
	}
}

func lv(d map[string]any) map[string]any {
	return d["volume_groups"].([]any)[0].(map[string]any)["logical_volumes"].([]any)[0].(map[string]any)
}

func TestListServersFiltersAndPages(t *testing.T) {
	s := startMock(t)
	for i := 0; i < 7; i++ {
		state := "waiting"
		if i%3 == 0 {
			state = "replicate"
		}
		s.PutSourceServer(mockcloud.SourceServer{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("web-%d", i%4), Hostname: "h",
			IP: fmt.Sprintf("10.0.0.%d", i), OSType: "LINUX", OSVersion: "CENTOS_7_9_64BIT", State: state, AddDate: int64(1000 + i),
		})
	}
	c := smsClient(t, s.URL(), hwCreds)
	ids := func(r *model.ListServersResponse) []string {
		var out []string
		for _, v := range *r.SourceServers {
			out = append(out, (*v.Id)[len(*v.Id)-1:])
		}
		return out
	}
	list := func(req model.ListServersRequest) *model.ListServersResponse {
		t.Helper()
		r, err := c.ListServers(&req)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	i32 := func(n int32) *int32 { return &n }
	replicate := model.GetListServersRequestStateEnum().REPLICATE

	for name, tc := range map[string]struct {
		req   model.ListServersRequest
		count int32
		ids   []string
	}{
		"all":            {model.ListServersRequest{}, 7, []string{"0", "1", "2", "3", "4", "5", "6"}},
		"state":          {model.ListServersRequest{State: &replicate}, 3, []string{"0", "3", "6"}},
		"name":           {model.ListServersRequest{Name: stringPtr("web-1")}, 2, []string{"1", "5"}},
		"ip":             {model.ListServersRequest{Ip: stringPtr("10.0.0.4")}, 1, []string{"4"}},
		"id":             {model.ListServersRequest{Id: stringPtr("00000000-0000-4000-8000-000000000002")}, 1, []string{"2"}},
		"name and state": {model.ListServersRequest{Name: stringPtr("web-2"), State: &replicate}, 1, []string{"6"}},
		"page 2 of 3":    {model.ListServersRequest{Limit: i32(3), Offset: i32(3)}, 7, []string{"3", "4", "5"}},
		"last page":      {model.ListServersRequest{Limit: i32(3), Offset: i32(6)}, 7, []string{"6"}},
		"past the end":   {model.ListServersRequest{Limit: i32(3), Offset: i32(9)}, 7, nil},
		"limit 0 = 200":  {model.ListServersRequest{Limit: i32(0)}, 7, []string{"0", "1", "2", "3", "4", "5", "6"}},
		"no match":       {model.ListServersRequest{Name: stringPtr("db")}, 0, nil},
	} {
		r := list(tc.req)
		if *r.Count != tc.count || !reflect.DeepEqual(ids(r), tc.ids) {
			t.Errorf("%s: count %d ids %v, want %d %v", name, *r.Count, ids(r), tc.count, tc.ids)
		}
	}
}

func TestUpdateServerName(t *testing.T) {
	s := startMock(t)
	id := s.PutSourceServer(mockcloud.SourceServer{Name: "old", Hostname: "h", IP: "10.0.0.1", OSType: "LINUX", OSVersion: "v"})
	c := smsClient(t, s.URL(), hwCreds)
	if _, err := c.UpdateServerName(&model.UpdateServerNameRequest{SourceId: id, Body: &model.PutSourceServerBody{Name: stringPtr("new")}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SourceServer(id); v.Name != "new" {
		t.Errorf("name = %q", v.Name)
	}
	_, err := c.UpdateServerName(&model.UpdateServerNameRequest{SourceId: "nope", Body: &model.PutSourceServerBody{Name: stringPtr("x")}})
	expectSMSError(t, err, 404, "SMS.2216")
}

// Every value a source-server fixture takes from its handler is one the
// handler supplies (the fixtures use index, so that a missing key would
// silently render null rather than fail).
func TestSourceFixturesGetEveryValue(t *testing.T) {
	s := startMock(t)
	c := smsClient(t, s.URL(), hwCreds)
	out, err := c.RegisterServer(&model.RegisterServerRequest{Body: registerBody(t, suseRegistration(t))})
	if err != nil {
		t.Fatal(err)
	}
	supplied := map[string]map[string]bool{}
	keysOf := func(m map[string]any) map[string]bool {
		k := map[string]bool{}
		for name := range m {
			k[name] = true
		}
		return k
	}
	v, _ := s.SourceServer(*out.Id)
	supplied["sms/sources_show_server.json"] = keysOf(mockcloud.ShowDataForTest(v))
	supplied["sms/sources_list_servers.json"] = map[string]bool{"count": true, "source_servers": true}
	supplied["sms/sources_register_server.json"] = map[string]bool{"SourceID": true}
	keyRE := regexp.MustCompile(`index \. \\?"([a-zA-Z_]+)\\?"`)
	for _, name := range mockcloud.FixtureNames() {
		if !strings.HasPrefix(name, "sms/sources_") {
			continue
		}
		b, err := os.ReadFile("fixtures/" + name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			if !supplied[name][m[1]] {
				t.Errorf("%s uses %q, which its handler does not supply", name, m[1])
			}
		}
	}
}

func TestLoadSeedSourceServers(t *testing.T) {
	s := mockcloud.New(mockcloud.Options{})
	if err := s.LoadSeed(mockcloud.DemoSeed()); err != nil {
		t.Fatal(err)
	}
	v := s.SourceServers()
	if len(v) != 1 || v[0].ID == "" || v[0].State != "waiting" || !v[0].Connected || v[0].AddDate == 0 {
		t.Fatalf("demo seed source servers: %+v", v)
	}
	// The demo's server is the documented SUSE host, as registered, with
	// plausible values where the document's example has placeholders.
	var seed struct {
		SourceServers []map[string]any `json:"source_servers"`
	}
	if err := json.Unmarshal(mockcloud.DemoSeed(), &seed); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "state", "connected"} {
		delete(seed.SourceServers[0], k)
	}
	registered := suseRegistration(t)
	for p, v := range seedRealism {
		setPath(t, registered, p, v)
	}
	if d := diffPaths("", seed.SourceServers[0], registered); len(d) > 0 {
		t.Errorf("the demo seed's source server differs from %s with seedRealism at %v", suseRegistered, d)
	}
	for _, bad := range []string{
		`{"source_servers": [{"id": "x", "ip": "10.0.0.1", "os_type": "LINUX", "os_version": "v"}]}`,
		`{"source_servers": [{"id": "x", "hostname": "h", "ip": "10.0.0.1", "os_type": "LINUX", "os_version": "v", "cpus": 2}]}`,
	} {
		if err := mockcloud.New(mockcloud.Options{}).LoadSeed([]byte(bad)); err == nil {
			t.Errorf("seed %s was accepted", bad)
		}
	}
}
