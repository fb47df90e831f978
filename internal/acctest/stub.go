package acctest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// AddProvider serves server in process under address (for example a stub
// of another provider whose state a test moves from) and adds it to the
// CLI's TF_REATTACH_PROVIDERS, so that terraform neither installs nor
// downloads it.
func (c *CLI) AddProvider(t testing.TB, address string, server func() tfprotov6.ProviderServer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	go func() {
		if err := tf6server.Serve(address, server, tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()), tf6server.WithoutLogStderrOverride()); err != nil {
			t.Error(err)
		}
	}()
	cfg := <-configCh
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})
	rc := reattachConfig{Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true}
	rc.Addr.Network, rc.Addr.String = cfg.Addr.Network(), cfg.Addr.String()
	const key = "TF_REATTACH_PROVIDERS="
	for i, e := range c.Env {
		if !strings.HasPrefix(e, key) {
			continue
		}
		all := map[string]reattachConfig{}
		if err := json.Unmarshal([]byte(strings.TrimPrefix(e, key)), &all); err != nil {
			t.Fatal(err)
		}
		all[address] = rc
		b, err := json.Marshal(all)
		if err != nil {
			t.Fatal(err)
		}
		c.Env[i] = key + string(b)
		return
	}
	t.Fatal("the CLI has no TF_REATTACH_PROVIDERS")
}
