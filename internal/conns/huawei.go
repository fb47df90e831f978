package conns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/exchange"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
)

// HuaweiCall is one call to a Huawei Cloud API through the SDK core.
type HuaweiCall struct {
	Service   string // ServiceIAM, ServiceSMS, ServiceECS
	Region    string // "" means the provider's region
	Operation string // the API's name, e.g. "sms.UnlockTargetEcs", for logs and errors
	Request   any    // SDK request model or a struct matching NewDef's fields
	// NewDef builds the request definition. The SDK stores the decoded
	// answer in it, so every attempt needs a fresh one.
	NewDef func() *def.HttpRequestDef
	// Idempotent calls are retried on 5xx and dropped connections too.
	Idempotent bool
	// Headers are extra request headers, e.g. a microversion.
	Headers map[string]string
	// Check, if set, rejects a decoded answer that lacks what the API
	// documents (an empty body decodes without error): the answer then
	// counts as unreadable, retried like one when the call is idempotent.
	Check func(out any) error
}

// CallHuawei sends call with the retry policy and returns the decoded answer
// (the def's response object).
func (c *Client) CallHuawei(ctx context.Context, call HuaweiCall) (any, error) {
	if err := c.CheckHuawei(ctx); err != nil {
		return nil, err
	}
	out, err := c.callHuawei(ctx, call, c.huaweiKeys)
	return out, refused(err, c.HuaweiCredentialSource())
}

// callHuawei sends call signed with the keys keys gives for each attempt
// (they may have been refreshed in between), or unsigned when keys is nil.
func (c *Client) callHuawei(ctx context.Context, call HuaweiCall, keys func(context.Context) (hwKeys, error)) (any, error) {
	region := call.Region
	if region == "" {
		region = c.cfg.Huawei.Region
	}
	var out any
	err := c.retry.Do(ctx, call.Operation, call.Idempotent, func(ctx context.Context) error {
		return c.paced(ctx, cloudHuawei, call.Operation, func(ctx context.Context) error {
			return c.huaweiAttempt(ctx, call, region, keys, &out)
		})
	})
	return out, err
}

// huaweiAttempt sends call once, storing the decoded answer in out.
func (c *Client) huaweiAttempt(ctx context.Context, call HuaweiCall, region string, keys func(context.Context) (hwKeys, error), out *any) error {
	var k *hwKeys
	if keys != nil {
		got, err := keys(ctx)
		if err != nil {
			return err
		}
		k = &got
	}
	hc, err := c.huaweiClient(call.Service, region, k)
	if err != nil {
		return err
	}
	ctx, ai := withAnswerInfo(ctx)
	id, release := c.tr.register(ctx)
	defer release()
	headers := map[string]string{callHeader: id}
	for k, v := range call.Headers {
		headers[k] = v
	}
	exg := &exchange.SdkExchange{ApiReference: &exchange.ApiReference{}, Attributes: map[string]any{}}
	resp, err := hc.SyncInvokeWithExtraHeaders(call.Request, call.NewDef(), exg, headers)
	if err != nil {
		return huaweiError(call.Operation, err)
	}
	if call.Check != nil {
		if err := call.Check(resp); err != nil {
			return unreadable("Huawei Cloud", call.Operation, ai, err.Error())
		}
	}
	*out = resp
	return nil
}

// HuaweiEndpoint is the endpoint used for a service in a region.
func (c *Client) HuaweiEndpoint(service, region string) string {
	e := c.cfg.Huawei.Endpoints
	override := map[string]string{ServiceIAM: e.IAM, ServiceSMS: e.SMS, ServiceECS: e.ECS}[service]
	if override != "" {
		return override
	}
	return DefaultHuaweiEndpoint(service, region)
}

// hwClient is an SDK client bound to one set of keys.
type hwClient struct {
	ak string // "" for unsigned
	hc *core.HcHttpClient
}

// huaweiClient returns the SDK client of a service endpoint for keys k (nil:
// unsigned). Clients are kept per endpoint and rebuilt when the keys change,
// which temporary keys do.
func (c *Client) huaweiClient(service, region string, k *hwKeys) (*core.HcHttpClient, error) {
	endpoint := c.HuaweiEndpoint(service, region)
	key, ak := service+" "+endpoint+" signed", ""
	if k == nil {
		key = service + " " + endpoint + " unsigned"
	} else {
		ak = k.AK
	}
	c.hwMu.Lock()
	defer c.hwMu.Unlock()
	if e, ok := c.hwClients[key]; ok && e.ak == ak {
		return e.hc, nil
	}
	h := c.cfg.Huawei
	// Credentials are passed explicitly so the SDK never walks its default
	// chain (env, profile, the ECS metadata service). No ProjectId: paths
	// carry the project id themselves, so the SDK never calls IAM.
	var creds auth.ICredential = unsignedCredential{}
	credsType := "conns.unsignedCredential" //nolint:gosec // a type name the SDK checks, not a credential
	if k != nil {
		bc, err := basic.NewCredentialsBuilder().
			WithAk(k.AK).WithSk(k.SK).WithSecurityToken(k.Token).
			SafeBuild()
		if err != nil {
			return nil, fmt.Errorf("building Huawei Cloud credentials: %w", err)
		}
		creds, credsType = bc, "basic.Credentials" //nolint:gosec // a type name, not a credential
	}
	httpConfig := config.DefaultHttpConfig().
		WithTimeout(60 * time.Second).
		WithIgnoreSSLVerification(h.Insecure).
		WithHttpRoundTripper(c.tr)
	if c.cfg.UserAgent != "" {
		httpConfig = httpConfig.WithUserAgent(c.cfg.UserAgent)
	}
	hc, err := core.NewHcHttpClientBuilder().
		WithCredentialsType(credsType).
		WithEndpoints([]string{endpoint}).
		WithCredential(creds).
		WithHttpConfig(httpConfig).
		SafeBuild()
	if err != nil {
		return nil, fmt.Errorf("building the Huawei Cloud %s client for %s: %w", service, endpoint, err)
	}
	c.hwClients[key] = hwClient{ak: ak, hc: hc}
	return hc, nil
}

// huaweiError turns what the SDK returns into a CloudError.
func huaweiError(operation string, err error) error {
	ce := &CloudError{Cloud: "Huawei Cloud", Operation: operation}
	var sre *sdkerr.ServiceResponseError
	var srv sdkerr.ServiceResponseError
	switch {
	case errors.As(err, &sre):
		fillHuawei(ce, sre)
	case errors.As(err, &srv):
		fillHuawei(ce, &srv)
	default:
		ce.Err = err
	}
	return ce
}

func fillHuawei(ce *CloudError, sre *sdkerr.ServiceResponseError) {
	ce.HTTPStatus = sre.StatusCode
	ce.Code = sre.ErrorCode
	ce.Message = sre.ErrorMessage
	ce.RequestID = sre.RequestId
	if sre.StatusCode < http.StatusBadRequest {
		// The SDK reports an answer it could not decode as a
		// ServiceResponseError with the success status.
		ce.Message = "the answer could not be read: " + sre.ErrorMessage
	}
}
