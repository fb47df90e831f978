package conns

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud"
)

// instanceClient is a client with no source of Huawei keys but the ECS
// metadata service of m, whose token calls wait for hold.
func instanceClient(t *testing.T, m *mockcloud.Server, hold chan struct{}) *Client {
	for _, e := range []string{EnvHuaweiAccessKey, EnvHuaweiSecretKey, EnvHuaweiIdpID, EnvHuaweiIDTokenFile,
		"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", EnvHuaweiSDKIdpID, EnvHuaweiSDKIDTokenFile} {
		t.Setenv(e, "")
	}
	t.Setenv(EnvHuaweiSDKCredentials, filepath.Join(t.TempDir(), "none"))
	t.Setenv(EnvHuaweiMetadataEndpoint, m.URL())
	m.InjectFault("metadata.GetToken", mockcloud.Fault{Hold: hold})
	return New(Config{Huawei: HuaweiConfig{Region: "cn-north-4", Endpoints: HuaweiEndpoints{IAM: m.URL()}}})
}

// resolving starts a caller of c.huaweiSource with ctx and returns once its
// resolution is under way (held by the mock until hold is closed or ctx
// ends); its error comes on the channel.
func resolving(ctx context.Context, c *Client) <-chan error {
	errc := make(chan error, 1)
	go func() { _, err := c.huaweiSource(ctx); errc <- err }()
	for {
		c.hwCreds.mu.Lock()
		started := c.hwCreds.inflight != nil
		c.hwCreds.mu.Unlock()
		if started {
			return errc
		}
		runtime.Gosched()
	}
}

// startWaiters starts n callers of c.huaweiSource and returns once all of
// them wait for the resolution in flight.
func startWaiters(c *Client, n int) (wait func() []error) {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = c.huaweiSource(context.Background()) })
	}
	for {
		c.hwCreds.mu.Lock()
		joined := c.hwCreds.inflight != nil && c.hwCreds.inflight.waiters == n
		c.hwCreds.mu.Unlock()
		if joined {
			break
		}
		runtime.Gosched()
	}
	return func() []error { wg.Wait(); return errs }
}

// Callers that wait for a resolution whose own caller's context ends do
// not take that caller's error: they resolve again, with their contexts.
func TestHuaweiSourceWaitersOutliveTheResolversContext(t *testing.T) {
	m := mockcloud.StartT(t, mockcloud.Options{})
	m.SetHuaweiInstanceAgency(true)
	hold := make(chan struct{})
	c := instanceClient(t, m, hold)
	ctx, cancel := context.WithCancel(context.Background())
	first := resolving(ctx, c)
	wait := startWaiters(c, 3)
	cancel()
	if err := <-first; err == nil {
		t.Fatal("the cancelled caller found a source")
	}
	close(hold) // the waiters' own resolution may go on
	for i, err := range wait() {
		if err != nil {
			t.Errorf("waiter %d took the cancelled caller's failure: %v", i, err)
		}
	}
	if got := c.HuaweiCredentialSource(); !strings.Contains(got, "the ECS instance's agency") {
		t.Errorf("source %q", got)
	}
	// The keys' call, the second of the exchange, is made only by a caller
	// that got its token: the cancelled one never does (its token call may
	// still be answered, to nobody, as the mock sees the client leave late).
	if n := m.Calls("metadata.GetSecurityKey"); n != 1 {
		t.Errorf("%d metadata key calls, want 1: one resolution for the three waiters", n)
	}
}

// Callers that wait for a resolution that fails on its own (an instance
// without an agency) share its failure: one probe of the metadata service
// for them all. The next caller, later, probes again.
func TestHuaweiSourceWaitersShareAFailure(t *testing.T) {
	m := mockcloud.StartT(t, mockcloud.Options{})
	hold := make(chan struct{})
	c := instanceClient(t, m, hold)
	first := resolving(context.Background(), c)
	wait := startWaiters(c, 3)
	close(hold)
	var ce *CredentialsError
	if err := <-first; !errors.As(err, &ce) {
		t.Fatalf("an instance without an agency: %v", err)
	}
	for i, err := range wait() {
		if !errors.As(err, &ce) {
			t.Errorf("waiter %d: %v, want the shared CredentialsError", i, err)
		}
	}
	if n := m.Calls("metadata.GetToken"); n != 1 {
		t.Errorf("%d metadata token calls for 4 concurrent callers, want 1", n)
	}
	if _, err := c.huaweiSource(context.Background()); !errors.As(err, &ce) {
		t.Fatalf("a later caller: %v", err)
	}
	if n := m.Calls("metadata.GetToken"); n != 2 {
		t.Errorf("a later caller made %d metadata token calls in all, want 2: the failure was kept", n)
	}
}
