package mockcloud

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every embedded fixture parses and renders with the values the server supplies.
// fixtureTestData holds a value for every placeholder the fixtures use.
func fixtureTestData() map[string]any {
	return map[string]any{
		"RequestID": "r", "HostID": "h", "Access": "a", "Secret": "s", "SecurityToken": "t", "ExpiresAt": "e", "IssuedAt": "i", "SubjectToken": "st", "IdpID": "idp", "UserID": "u", "MetadataToken": "mt", "ProjectID": "p", "DomainID": "d", "Region": "cn-north-4", "AccessKey": "ak",
		"Message": `quote " and <tag>`, "Code": "C", "TaskID": "t", "TaskName": "n", "State": "MIGRATE_SUCCESS",
		"TargetServerID": "vm", "TargetServerName": "vmname", "Passphrase": "pp",
		// ECS (ecs.go)
		"ServerID": "s", "ServerName": "sn", "Status": "ACTIVE", "VMState": "active", "PowerState": 1, "Locked": true, "Microversion": "2.9",
		"Count": 0, "Servers": []any{},
		// Bastionhost (bastionhost.go)
		"InstanceId": "bastionhost-cn-x", "UserId": "1", "UserName": "u", "DisplayName": "U", "Source": "Local",
		"UserState": []string{"Normal"}, "Results": []any{}, "TotalCount": 0, "Users": []any{},
		// STS, ECS metadata, credentials URI (sts.go, alibaba_metadata.go)
		"TempAccessKeyId": "STS.x", "TempAccessKeySecret": "s", "TempSecurityToken": "t", "Expiration": "2026-01-01T00:00:00Z",
		"RoleArn": "acs:ram::1:role/r", "RoleSessionName": "n", "AssumedRoleID": "1:n", "OIDCProviderArn": "acs:ram::1:oidc-provider/p",
		"LastUpdated": "2026-01-01T00:00:00Z", "RoleName": "r", "Token": "t",
	}
}

func TestEmbeddedFixturesRender(t *testing.T) {
	data := fixtureTestData()
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

// LoadFixture compiles each body once (cut around its templates); what it
// renders is byte for byte what re-encoding the JSON on every request gives.
func TestCompiledBodiesRenderAsTheJSON(t *testing.T) {
	data := fixtureTestData()
	compiled := 0
	for _, name := range FixtureNames() {
		f, err := LoadFixture(name)
		if err != nil || len(f.Body) == 0 {
			continue
		}
		if f.body == nil {
			t.Errorf("%s: LoadFixture did not compile the body", name)
			continue
		}
		compiled++
		got, err := f.Render(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want, err := rewriteJSON(f.Body, func(_ []string, s string) ([]byte, error) {
			if !strings.Contains(s, "{{") {
				return jsonString(s), nil
			}
			r, err := execTemplate(s, data)
			if err != nil || !isRawAction(s) {
				return jsonString(r), err
			}
			return []byte(r), nil
		})
		if err != nil {
			t.Errorf("%s: reference render: %v", name, err)
			continue
		}
		if string(got.Body) != string(want) {
			t.Errorf("%s:\ncompiled  %s\nreference %s", name, got.Body, want)
		}
	}
	if compiled < 10 {
		t.Fatalf("only %d fixtures with a body were compared", compiled)
	}
}
