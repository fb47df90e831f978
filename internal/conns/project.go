package conns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
)

// projectLookup makes concurrent resources share one IAM call per region
// (flight says how): the id is kept once found, a failure is not.
type projectLookup struct {
	id atomic.Pointer[string]
	flight[string]
}

type listProjectsRequest struct {
	Name string `json:"name"`
}

type listProjectsResponse struct {
	Projects []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"projects"`
	HttpStatusCode int `json:"-"`
}

// ConfiguredHuaweiProjectID is the provider's project id when it serves
// region: a configured project_id belongs to the provider's own region only.
// It never calls the cloud, so a plan can use it.
func (c *Client) ConfiguredHuaweiProjectID(region string) (string, bool) {
	if c.cfg.Huawei.ProjectID != "" && region == c.cfg.Huawei.Region {
		return c.cfg.Huawei.ProjectID, true
	}
	return "", false
}

// HuaweiProjectID returns the project id for region: configured, or
// discovered once through IAM (GET /v3/projects?name=<region>).
func (c *Client) HuaweiProjectID(ctx context.Context, region string) (string, error) {
	if region == "" {
		region = c.cfg.Huawei.Region
	}
	if id, ok := c.ConfiguredHuaweiProjectID(region); ok {
		return id, nil
	}
	c.hwMu.Lock()
	l, ok := c.projects[region]
	if !ok {
		l = &projectLookup{}
		c.projects[region] = l
	}
	c.hwMu.Unlock()
	if id := l.id.Load(); id != nil {
		return *id, nil
	}
	return l.do(ctx, func(ctx context.Context) (string, error) {
		if id := l.id.Load(); id != nil {
			return *id, nil // found by a run that ended as this one began
		}
		id, err := c.discoverProject(ctx, region)
		if err == nil {
			l.id.Store(&id)
		}
		return id, err
	})
}

func (c *Client) discoverProject(ctx context.Context, region string) (string, error) {
	out, err := c.CallHuawei(ctx, HuaweiCall{
		Service:    ServiceIAM,
		Region:     region,
		Operation:  "iam.KeystoneListProjects",
		Request:    &listProjectsRequest{Name: region},
		Idempotent: true,
		NewDef: func() *def.HttpRequestDef {
			return def.NewHttpRequestDefBuilder().
				WithMethod(http.MethodGet).
				WithPath("/v3/projects").
				WithResponse(new(listProjectsResponse)).
				WithContentType("application/json").
				WithRequestField(def.NewFieldDef().WithName("Name").WithJsonTag("name").WithLocationType(def.Query)).
				Build()
		},
		// An answer without the list (an empty body) is not "no project".
		Check: func(out any) error {
			if out.(*listProjectsResponse).Projects == nil {
				return errors.New("it has no projects list")
			}
			return nil
		},
	})
	if err != nil {
		return "", fmt.Errorf("looking up the project id of region %s: %w", region, err)
	}
	for _, p := range out.(*listProjectsResponse).Projects {
		if p.Name == region && p.ID != "" {
			return p.ID, nil
		}
	}
	return "", &NoProjectError{Region: region}
}

// NoProjectError is IAM's readable answer that the credentials have no
// project named for the region. What to set instead depends on whose region
// it is, so the caller says it.
type NoProjectError struct {
	Region string
}

func (e *NoProjectError) Error() string {
	return fmt.Sprintf("IAM has no project named %q for these credentials", e.Region)
}
