package conns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// AlibabaCall is one Alibaba Cloud RPC call through darabonba-openapi.
type AlibabaCall struct {
	Service    string // "bastionhost"
	Region     string // "" means the provider's region
	Action     string // e.g. "UnlockUsers"
	Version    string // e.g. "2019-12-09"
	Params     map[string]string
	Idempotent bool
	// Check, if set, rejects a decoded answer (out) that lacks what the API
	// documents: it then counts as unreadable, as in HuaweiCall.
	Check func(out any) error
}

// CallAlibaba sends call with the retry policy and decodes the answer's
// body into out.
func (c *Client) CallAlibaba(ctx context.Context, call AlibabaCall, out any) error {
	if err := c.CheckAlibaba(); err != nil {
		return err
	}
	region := call.Region
	if region == "" {
		region = c.cfg.Alibaba.Region
	}
	cl, err := c.alibabaClient(call.Service, region)
	if err != nil {
		return err
	}
	operation := call.Service + "." + call.Action
	query := map[string]*string{"RegionId": dara.String(region)}
	for k, v := range call.Params {
		query[k] = dara.String(v)
	}
	params := &openapi.Params{
		Action:      dara.String(call.Action),
		Version:     dara.String(call.Version),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
	// The SDK's own retries are off: the shared policy decides.
	runtime := &dara.RuntimeOptions{Autoretry: dara.Bool(false), IgnoreSSL: dara.Bool(false)}
	attempt := func(ctx context.Context) error {
		ctx, ai := withAnswerInfo(ctx)
		res, err := cl.CallApiWithCtx(ctx, params, &openapi.OpenApiRequest{Query: query}, runtime)
		if err != nil {
			return alibabaError(operation, err, ai)
		}
		raw, err := json.Marshal(res["body"])
		if err == nil {
			err = json.Unmarshal(raw, out)
		}
		if err == nil && call.Check != nil {
			err = call.Check(out)
		}
		if err != nil {
			return unreadable("Alibaba Cloud", operation, ai, err.Error())
		}
		return nil
	}
	err = c.retry.Do(ctx, operation, call.Idempotent, func(ctx context.Context) error {
		return c.paced(ctx, cloudAlibaba, operation, attempt)
	})
	return refused(err, c.alibabaSourceDesc())
}

// alibabaSourceDesc names the Alibaba credentials in use and what chose
// them, for CredentialsRefusedError.
func (c *Client) alibabaSourceDesc() string {
	a := c.cfg.Alibaba
	src := a.AlibabaSource()
	if src == "" {
		return ""
	}
	desc := describeSource(src)
	desc = strings.TrimPrefix(desc, "the ")
	if a.AssumeRole != nil && src != AlibabaSourceOIDC {
		desc = "temporary credentials of role " + a.AssumeRole.RoleARN + " (assumed with " + desc + ")"
	}
	if a.SourceFrom != "" {
		desc += " (" + a.SourceFrom + ")"
	}
	return desc
}

// AlibabaEndpoint is the URL used for a service in a region.
func (c *Client) AlibabaEndpoint(service, region string) string {
	if service == "bastionhost" && c.cfg.Alibaba.Endpoints.Bastionhost != "" {
		return c.cfg.Alibaba.Endpoints.Bastionhost
	}
	return "https://" + DefaultBastionhostEndpoint(region)
}

// alibabaClient returns a darabonba client for one call. darabonba's Client
// is not safe for concurrent use: every RPC call reads and clears its
// Headers field (GetRpcHeaders: "headers for debug ... used only once"), so
// a client shared by parallel resources is a data race. Nothing else on it
// changes per call, and building one only copies the settings of the
// Config (openapi.Client.Init, no I/O), so each call gets its own client
// over the shared Config, credential source and transport.
func (c *Client) alibabaClient(service, region string) (*openapi.Client, error) {
	base, err := c.alibabaConfig(service, region)
	if err != nil {
		return nil, err
	}
	// Init writes config.Type when it is given keys; a copy keeps the
	// shared Config read-only even if that path is ever taken.
	cfg := *base
	cl, err := openapi.NewClient(&cfg)
	if err != nil {
		return nil, fmt.Errorf("building the Alibaba Cloud %s client for %s: %w", service, c.AlibabaEndpoint(service, region), err)
	}
	// Typed errors (status, code, request id) and raw transport errors
	// instead of one generic SDKError.
	cl.DisableSDKError = dara.Bool(true)
	return cl, nil
}

// alibabaConfig returns the client settings for the endpoint of service in
// region, built on first use and kept: they are never written after.
func (c *Client) alibabaConfig(service, region string) (*openapi.Config, error) {
	endpoint := c.AlibabaEndpoint(service, region)
	key := endpoint + "|" + region
	c.aliMu.Lock()
	defer c.aliMu.Unlock()
	if cfg, ok := c.aliConfigs[key]; ok {
		return cfg, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("alicloud endpoint %q is not a URL", endpoint)
	}
	cfg := &openapi.Config{
		// Every request asks the shared source, which renews temporary
		// credentials before they expire.
		Credential:     credentials.FromCredentialsProvider("cloudlock", c.aliCreds),
		Endpoint:       dara.String(u.Host),
		Protocol:       dara.String(u.Scheme),
		RegionId:       dara.String(region),
		HttpClient:     c.aliTr,
		ReadTimeout:    dara.Int(60000),
		ConnectTimeout: dara.Int(10000),
	}
	if c.cfg.UserAgent != "" {
		cfg.UserAgent = dara.String(c.cfg.UserAgent)
	}
	c.aliConfigs[key] = cfg
	return cfg, nil
}

// alibabaError turns what darabonba returns into a CloudError. ai is what
// the transport saw of the answer, if one arrived: darabonba returns a bare
// JSON error, without the status, when an error answer's body is not JSON.
func alibabaError(operation string, err error, ai *answerInfo) error {
	var credErr *AlibabaCredentialsError
	if errors.As(err, &credErr) {
		// Renewing temporary credentials failed: say so, not the call.
		return credErr
	}
	ce := &CloudError{Cloud: "Alibaba Cloud", Operation: operation}
	var sdkErr interface {
		GetStatusCode() *int
		GetCode() *string
		GetMessage() *string
		GetRequestId() *string
		GetData() map[string]any
	}
	if errors.As(err, &sdkErr) {
		ce.HTTPStatus = dara.IntValue(sdkErr.GetStatusCode())
		ce.Code = sdkString(dara.StringValue(sdkErr.GetCode()))
		ce.RequestID = sdkString(dara.StringValue(sdkErr.GetRequestId()))
		ce.Message = stripSDKPrefix(dara.StringValue(sdkErr.GetMessage()))
		if data := sdkErr.GetData(); data != nil {
			if m, ok := data["Message"].(string); ok && m != "" {
				ce.Message = m
			}
		}
		if ce.RequestID == "" && ai != nil {
			ce.RequestID = ai.requestID
		}
		if ce.HTTPStatus != 0 {
			return ce
		}
	}
	if ai != nil && ai.status != 0 {
		return unreadable(ce.Cloud, operation, ai, err.Error())
	}
	ce.Err = err
	return ce
}
