package mockcloud

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every embedded fixture parses and renders with the values the server supplies.
func TestEmbeddedFixturesRender(t *testing.T) {
	data := map[string]any{
		"RequestID": "r", "HostID": "h", "ProjectID": "p", "DomainID": "d", "Region": "cn-north-4", "AccessKey": "ak",
		"Message": "", "Code": "C", "TaskID": "t", "TaskName": "n", "State": "MIGRATE_SUCCESS",
		"TargetServerID": "vm", "TargetServerName": "vmname", "Passphrase": "pp",
		"ServerID": "s", "ServerName": "sn", "Status": "ACTIVE", "VMState": "active", "PowerState": 1, "Locked": true, "Microversion": "2.9",
		// Bastionhost (bastionhost.go)
		"InstanceId": "bastionhost-cn-x", "UserId": "1", "UserName": "u", "DisplayName": "U", "Source": "Local",
		"UserState": []string{"Normal"}, "Results": []any{}, "TotalCount": 0, "Users": []any{},
	}
	names := FixtureNames()
	if len(names) < 20 {
		t.Fatalf("only %d fixtures: %v", len(names), names)
	}
	for _, name := range names {
		f, err := LoadFixture(name)
		if err != nil {
			t.Error(err)
			continue
		}
		out, err := f.Render(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.RawBody == "" && len(f.Body) > 0 && !json.Valid(out.Body) { // no body at all is a 202/204
			t.Errorf("%s renders invalid JSON: %s", name, out.Body)
		}
		if strings.Contains(string(out.Body), "{{") {
			t.Errorf("%s left a placeholder: %s", name, out.Body)
		}
	}
}

func TestRenderTemplates(t *testing.T) {
	f, err := ParseFixture([]byte(`{"operation":"x","status":200,"headers":{"X-Id":"{{.ID}}"},
		"body":{"z":"{{.S}}","a":"{{json .B}}","n":1.50,"l":["{{.S}}-1",null,true],"o":{}}}`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Render(map[string]any{"ID": "7", "S": `q"<&>`, "B": false})
	if err != nil {
		t.Fatal(err)
	}
	// Key order kept, values escaped as JSON (not HTML), {{json}} gives raw JSON.
	want := `{"z":"q\"<&>","a":false,"n":1.50,"l":["q\"<&>-1",null,true],"o":{}}`
	if string(out.Body) != want || out.Header.Get("X-Id") != "7" || out.Status != 200 {
		t.Errorf("got %d %v %s\nwant %s", out.Status, out.Header, out.Body, want)
	}
	if _, err := f.Render(map[string]any{"S": "x"}); err == nil {
		t.Error("a missing template value was not an error")
	}
	if _, err := ParseFixture([]byte(`{"operation":"x","stauts":200}`)); err == nil {
		t.Error("a misspelt field was accepted")
	}
}
