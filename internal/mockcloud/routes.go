package mockcloud

import (
	"net/http"
	"strings"
)

// handler answers one operation. It reads and changes state through the
// Server's methods and returns which fixture to send.
type handler func(s *Server, c *call) answer

// huaweiRoutes is every Huawei operation the mock knows: method, path
// pattern, operation name (used by the journal and by InjectFault) and
// handler. A {Name} segment matches one path segment; its value reaches the
// handler as c.params["Name"] and the fixture templates as {{.Name}}.
var huaweiRoutes = []struct {
	method, pattern, op string
	handle              handler
}{
	{"GET", "/v3/projects", "iam.KeystoneListProjects", (*Server).keystoneListProjects},
	{"GET", "/v3/tasks", "sms.ListTasks", (*Server).listTasks},
	{"GET", "/v3/tasks/{TaskID}", "sms.ShowTask", (*Server).showTask},
	{"POST", "/v3/tasks/{TaskID}/unlock", "sms.UnlockTargetEcs", (*Server).unlockTargetEcs},
	{"GET", "/v3/tasks/{TaskID}/passphrase", "sms.ShowPassphrase", (*Server).showPassphrase},

	// ECS (ecs.go; ListServersDetails: ecs_list.go)
	{"POST", "/v2.1/{ProjectID}/servers/{ServerID}/action", "ecs.NovaServerAction", (*Server).novaServerAction},
	{"GET", "/v2.1/{ProjectID}/servers/{ServerID}", "ecs.NovaShowServer", (*Server).novaShowServer},
	// before cloudservers/{ServerID}, which "detail" would match too
	{"GET", "/v1/{ProjectID}/cloudservers/detail", "ecs.ListServersDetails", (*Server).listServersDetails},
	{"GET", "/v1/{ProjectID}/cloudservers/{ServerID}", "ecs.ShowServer", (*Server).showServer},

	// SMS source servers (sources_register.go, sources_handlers.go)
	{"POST", "/v3/sources", "sms.RegisterServer", (*Server).registerServer},
	{"GET", "/v3/sources", "sms.ListServers", (*Server).listServers},
	{"GET", "/v3/sources/{SourceID}", "sms.ShowServer", (*Server).showSourceServer},
	{"PUT", "/v3/sources/{SourceID}", "sms.UpdateServerName", (*Server).updateServerName},
	{"DELETE", "/v3/sources/{SourceID}", "sms.DeleteServer", (*Server).deleteServer},

	// Temporary credentials (iam_agency.go, huawei_metadata.go)
	{"POST", "/v3.0/OS-CREDENTIAL/securitytokens", "iam.CreateTemporaryAccessKey", (*Server).createTemporaryAccessKey},
	{"POST", "/v3.0/OS-AUTH/id-token/tokens", "iam.CreateTokenWithIdToken", (*Server).createTokenWithIDToken},
	{"PUT", "/meta-data/latest/api/token", "metadata.GetToken", (*Server).metadataToken},
	{"GET", "/openstack/latest/securitykey", "metadata.GetSecurityKey", (*Server).metadataSecurityKey},
}

// alibabaActions is every Alibaba RPC action the mock knows, by Action name.
// The request's parameters (InstanceId, UserIds, ...) reach the handler as
// c.params and the fixture templates by their own names.
var alibabaActions = []struct {
	action, op string
	handle     handler
}{
	// Bastionhost (bastionhost_lock.go, bastionhost_read.go)
	{"UnlockUsers", "bastionhost.UnlockUsers", (*Server).unlockUsers},
	{"LockUsers", "bastionhost.LockUsers", (*Server).lockUsers},
	{"GetUser", "bastionhost.GetUser", (*Server).getUser},
	{"ListUsers", "bastionhost.ListUsers", (*Server).listUsers},

	// STS (sts.go)
	{"AssumeRole", "sts.AssumeRole", (*Server).assumeRole},
	{"AssumeRoleWithOIDC", "sts.AssumeRoleWithOIDC", (*Server).assumeRoleWithOIDC},
}

// route is a request matched against the tables; handle is nil when no
// operation matches (op is then "").
type route struct {
	cloud  string
	op     string
	handle handler
	params map[string]string
}

// matchRoute tells which cloud a request is for and which operation it asks.
// Alibaba RPC requests are path "/" with an Action (query, form or the ACS3
// x-acs-action header); anything else is taken for Huawei.
func matchRoute(r *http.Request, body []byte) route {
	if rt, ok := alibabaLocalRoute(r); ok {
		return rt
	}
	if r.URL.Path == "/" {
		p := requestParams(r, body)
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = p.Get("Action")
		}
		if action != "" {
			params := map[string]string{"Action": action}
			for k := range p {
				params[k] = p.Get(k)
			}
			rt := route{cloud: alibaba, params: params}
			for _, a := range alibabaActions {
				if a.action == action {
					rt.op, rt.handle = a.op, a.handle
				}
			}
			return rt
		}
	}
	for _, h := range huaweiRoutes {
		if h.method != r.Method {
			continue
		}
		if params, ok := matchPath(h.pattern, r.URL.Path); ok {
			return route{cloud: huawei, op: h.op, handle: h.handle, params: params}
		}
	}
	return route{cloud: huawei, params: map[string]string{}}
}

// matchPath matches a path against a pattern such as /v3/tasks/{TaskID}.
func matchPath(pattern, path string) (map[string]string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return nil, false
	}
	params := map[string]string{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = xs[i]
		} else if p != xs[i] {
			return nil, false
		}
	}
	return params, true
}
