package conns

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
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
	hwClients map[string]*core.HcHttpClient // by service + endpoint
	projects  map[string]*projectLookup     // by region

	aliMu      sync.Mutex
	aliClients map[string]*openapi.Client // by endpoint
	aliCreds   *alibabaCredentials        // shared by every Alibaba call
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
	c := &Client{
		cfg: cfg,
		retry: RetryPolicy{
			MaxRetries: cfg.MaxRetries,
			BaseDelay:  DefaultBaseDelay,
			MaxDelay:   DefaultMaxDelay,
		},
		tr:         newTransport(cfg.Huawei.Insecure, secrets),
		aliTr:      newTransport(false, secrets),
		hwClients:  map[string]*core.HcHttpClient{},
		projects:   map[string]*projectLookup{},
		aliClients: map[string]*openapi.Client{},
	}
	// Temporary secrets are masked in traces too, once they are known.
	c.aliCreds = newAlibabaCredentials(cfg.Alibaba, func(s ...string) {
		c.tr.addSecrets(s...)
		c.aliTr.addSecrets(s...)
	})
	return c
}

// Config returns the resolved configuration (for defaults such as region).
func (c *Client) Config() Config { return c.cfg }

// CredentialsError names what a cloud is missing, and where to set it.
type CredentialsError struct {
	Cloud   string
	Missing []string
	// Tried lists every credential source looked at, in order, when none was found.
	Tried []string
}

func (e *CredentialsError) Error() string {
	s := fmt.Sprintf("%s is not configured: missing %s. Set them in the provider block or the environment.",
		e.Cloud, strings.Join(e.Missing, ", "))
	if len(e.Tried) > 0 {
		s += " No credentials were found; tried, in order:\n  - " + strings.Join(e.Tried, "\n  - ")
	}
	return s
}

// CheckHuawei reports whether Huawei Cloud types can be used.
func (c *Client) CheckHuawei() error {
	h := c.cfg.Huawei
	return checkRequired("Huawei Cloud", "huaweicloud", []setting{
		{"region", h.Region, EnvHuaweiRegion},
		{"access_key", h.AccessKey, EnvHuaweiAccessKey},
		{"secret_key", h.SecretKey, EnvHuaweiSecretKey},
	})
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
