package conns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
)

// Client is built once in the provider's Configure and shared by every type.
// It never calls a cloud on construction: clients of the SDKs are built on
// first use and kept.
type Client struct {
	cfg   Config
	retry RetryPolicy
	tr    *transport // Huawei calls: verifies TLS unless huaweicloud.insecure
	aliTr *transport // Alibaba calls: always verifies TLS (alicloud has no insecure setting)

	hwMu      sync.Mutex
	hwClients map[string]hwClient       // by service + endpoint (+ signed or not)
	hwCreds   hwCredentials             // Huawei keys, resolved on first use (credentials_huawei.go)
	projects  map[string]*projectLookup // by region

	aliMu      sync.Mutex
	aliConfigs map[string]*openapi.Config // by endpoint and region; a client per call is built over them (alibaba.go)
	aliCreds   *alibabaCredentials        // shared by every Alibaba call

	shared sync.Map // see Shared

	pace pacer // one limiter per cloud and API (pace.go)
}

// Shared returns the value kept under key, made by newValue on first use.
// The service packages keep here what lives as long as the client (one
// provider process, so one Terraform run), such as the ECS read batcher;
// key is a type of the package's own, so packages do not collide.
func (c *Client) Shared(key any, newValue func() any) any {
	if v, ok := c.shared.Load(key); ok {
		return v
	}
	v, _ := c.shared.LoadOrStore(key, newValue())
	return v
}

// New returns a client for cfg. It does no I/O.
func New(cfg Config) *Client {
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	secrets := []string{
		cfg.Huawei.SecretKey, cfg.Huawei.SecurityToken,
		cfg.Alibaba.SecretKey, cfg.Alibaba.SecurityToken,
	}
	retry := RetryPolicy{MaxRetries: cfg.MaxRetries, BaseDelay: DefaultBaseDelay, MaxDelay: DefaultMaxDelay}
	if cfg.Test.RetryBaseDelay > 0 {
		retry.BaseDelay = cfg.Test.RetryBaseDelay
	}
	if cfg.Test.RetryMaxDelay > 0 {
		retry.MaxDelay = cfg.Test.RetryMaxDelay
	}
	if cfg.RateLimits.Alibaba == 0 && cfg.Test.AlibabaCallsPerSecond > 0 {
		cfg.RateLimits.Alibaba = cfg.Test.AlibabaCallsPerSecond
	}
	c := &Client{
		cfg:        cfg,
		retry:      retry,
		tr:         newTransport(cfg.Huawei.Insecure, secrets),
		aliTr:      newTransport(false, secrets),
		hwClients:  map[string]hwClient{},
		projects:   map[string]*projectLookup{},
		aliConfigs: map[string]*openapi.Config{},
	}
	// Temporary secrets are masked in traces too, once they are known.
	c.aliCreds = newAlibabaCredentials(cfg.Alibaba, cfg.Test.AlibabaMetadataProxy, func(s ...string) {
		c.tr.addSecrets(s...)
		c.aliTr.addSecrets(s...)
	})
	return c
}

// Config returns the resolved configuration (for defaults such as region).
func (c *Client) Config() Config { return c.cfg }

// now is the time by the client's clock (TestSettings.Now).
func (c *Client) now() time.Time {
	if c.cfg.Test.Now != nil {
		return c.cfg.Test.Now()
	}
	return time.Now()
}

// CredentialsError names what a cloud is missing, and where to set it.
type CredentialsError struct {
	Cloud   string
	Missing []string
	// Tried lists every source of credentials looked at, in order, and why
	// each gave none.
	Tried []string
}

func (e *CredentialsError) Error() string {
	msg := fmt.Sprintf("%s is not configured: missing %s. Set them in the provider block or the environment.",
		e.Cloud, strings.Join(e.Missing, ", "))
	if len(e.Tried) > 0 {
		msg += "\n\nSources of credentials tried, in order:"
		for i, t := range e.Tried {
			msg += fmt.Sprintf("\n%d. %s", i+1, t)
		}
	}
	return msg
}

// CheckHuawei reports whether Huawei Cloud types can be used: a region and
// a source of credentials that gives keys. The first check resolves the
// source (credentials_huawei.go), so a refused agency or OIDC exchange
// fails the plan; later checks reuse its keys. It takes the caller's
// context, so the exchanges it makes at plan time are traced with the
// request (TF_LOG) and cancelled with it; it waits 2 minutes at most.
func (c *Client) CheckHuawei(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	h := c.cfg.Huawei
	settings := []setting{{"region", h.Region, EnvHuaweiRegion}}
	if h.AccessKey != "" || h.SecretKey != "" || (h.Region == "" && h.OIDC == nil && h.Profile == nil) {
		// Half a pair of keys is a mistake, not a request for another
		// source; with no region either, name everything a start needs.
		settings = append(settings,
			setting{"access_key", h.AccessKey, EnvHuaweiAccessKey},
			setting{"secret_key", h.SecretKey, EnvHuaweiSecretKey})
	}
	if err := checkRequired("Huawei Cloud", "huaweicloud", settings); err != nil {
		return err
	}
	_, err := c.huaweiKeys(ctx)
	return err
}

// CheckAlibaba reports whether Alibaba Cloud types can be used: a region
// and a credential source are set, and the source gives credentials. For a
// source of temporary credentials this is the first (and shared) fetch, so
// a refused AssumeRole fails the plan before any other call.
func (c *Client) CheckAlibaba() error {
	a := c.cfg.Alibaba
	src := a.AlibabaSource()
	settings := []setting{{"region", a.Region, EnvAlibabaRegion}}
	if src == "" || src == AlibabaSourceKeys {
		settings = append(settings,
			setting{"access_key", a.AccessKey, EnvAlibabaAccessKey},
			setting{"secret_key", a.SecretKey, EnvAlibabaSecretKey})
	}
	if err := checkRequired("Alibaba Cloud", "alicloud", settings); err != nil {
		var ce *CredentialsError
		if src == "" && errors.As(err, &ce) {
			ce.Tried = alibabaTried
		}
		return err
	}
	_, err := c.aliCreds.GetCredentials()
	return err
}

// setting is a required provider argument and the variable that supplies it.
type setting struct{ name, value, env string }

func checkRequired(cloud, block string, settings []setting) error {
	var missing []string
	for _, s := range settings {
		if s.value == "" {
			missing = append(missing, fmt.Sprintf("%s (%s.%s or %s)", s.name, block, s.name, s.env))
		}
	}
	if len(missing) > 0 {
		return &CredentialsError{Cloud: cloud, Missing: missing}
	}
	return nil
}

// IsCredentialsError reports a missing-configuration error.
func IsCredentialsError(err error) bool {
	var ce *CredentialsError
	return errors.As(err, &ce)
}
