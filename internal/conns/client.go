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
	tr    *transport

	hwMu      sync.Mutex
	hwClients map[string]*core.HcHttpClient // by service + endpoint
	projects  map[string]*projectLookup     // by region

	aliMu      sync.Mutex
	aliClients map[string]*openapi.Client // by endpoint
}

// New returns a client for cfg. It does no I/O.
func New(cfg Config) *Client {
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	return &Client{
		cfg: cfg,
		retry: RetryPolicy{
			MaxRetries: cfg.MaxRetries,
			BaseDelay:  DefaultBaseDelay,
			MaxDelay:   DefaultMaxDelay,
		},
		tr: newTransport(cfg.Huawei.Insecure, []string{
			cfg.Huawei.SecretKey, cfg.Huawei.SecurityToken,
			cfg.Alibaba.SecretKey, cfg.Alibaba.SecurityToken,
		}),
		hwClients:  map[string]*core.HcHttpClient{},
		projects:   map[string]*projectLookup{},
		aliClients: map[string]*openapi.Client{},
	}
}

// Config returns the resolved configuration (for defaults such as region).
func (c *Client) Config() Config { return c.cfg }

// CredentialsError names what a cloud is missing, and where to set it.
type CredentialsError struct {
	Cloud   string
	Missing []string
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("%s is not configured: missing %s. Set them in the provider block or the environment.",
		e.Cloud, strings.Join(e.Missing, ", "))
}

// CheckHuawei reports whether Huawei Cloud types can be used.
func (c *Client) CheckHuawei() error {
	var missing []string
	h := c.cfg.Huawei
	if h.Region == "" {
		missing = append(missing, "region (huaweicloud.region or "+EnvHuaweiRegion+")")
	}
	if h.AccessKey == "" {
		missing = append(missing, "access_key (huaweicloud.access_key or "+EnvHuaweiAccessKey+")")
	}
	if h.SecretKey == "" {
		missing = append(missing, "secret_key (huaweicloud.secret_key or "+EnvHuaweiSecretKey+")")
	}
	if len(missing) > 0 {
		return &CredentialsError{Cloud: "Huawei Cloud", Missing: missing}
	}
	return nil
}

// CheckAlibaba reports whether Alibaba Cloud types can be used.
func (c *Client) CheckAlibaba() error {
	var missing []string
	a := c.cfg.Alibaba
	if a.Region == "" {
		missing = append(missing, "region (alicloud.region or "+EnvAlibabaRegion+")")
	}
	if a.AccessKey == "" {
		missing = append(missing, "access_key (alicloud.access_key or "+EnvAlibabaAccessKey+")")
	}
	if a.SecretKey == "" {
		missing = append(missing, "secret_key (alicloud.secret_key or "+EnvAlibabaSecretKey+")")
	}
	if len(missing) > 0 {
		return &CredentialsError{Cloud: "Alibaba Cloud", Missing: missing}
	}
	return nil
}

// IsCredentialsError reports a missing-configuration error.
func IsCredentialsError(err error) bool {
	var ce *CredentialsError
	return errors.As(err, &ce)
}
