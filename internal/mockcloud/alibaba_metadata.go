package mockcloud

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The ECS instance metadata service (http://100.100.100.200) as far as the
// RAM role goes, with IMDSv2 tokens, and a credentials URI (a sidecar that
// serves temporary credentials). credentials-go hard-codes the metadata
// address; it reaches the mock through credentials-go's HttpOptions.Proxy,
// so requests arrive here with Host 100.100.100.200 and never leave
// 127.0.0.1.

// MetadataHost is the address of the ECS metadata service.
const MetadataHost = "100.100.100.200"

// CredentialsURIPath is where the mock serves a credentials URI.
const CredentialsURIPath = "/alibaba/credentials" //nolint:gosec // a URL path, not a credential

// alibabaLocal marks requests that are neither Alibaba RPC nor Huawei: the
// metadata service and the credentials URI. They carry no signature.
const alibabaLocal = "alibaba-local"

// SetECSRole attaches a RAM role to "the instance" whose metadata the mock
// serves ("" detaches it).
func (s *Server) SetECSRole(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stsInit()
	s.aliSTS.ecsRole = name
}

var alibabaLocalRoutes = []struct {
	method, pattern, op string
	handle              handler
}{
	{"PUT", "/latest/api/token", "ecsmetadata.PutToken", (*Server).aliMetadataToken},
	{"GET", "/latest/meta-data/ram/security-credentials", "ecsmetadata.ListRoles", (*Server).metadataRoles},
	{"GET", "/latest/meta-data/ram/security-credentials/{RoleName}", "ecsmetadata.RoleCredentials", (*Server).metadataRoleCredentials},
	{"GET", CredentialsURIPath, "credentialsuri.Get", (*Server).credentialsURI},
}

// alibabaLocalRoute matches a metadata or credentials URI request.
func alibabaLocalRoute(r *http.Request) (route, bool) {
	meta := r.Host == MetadataHost || strings.HasPrefix(r.URL.Path, "/latest/")
	if !meta && r.URL.Path != CredentialsURIPath {
		return route{}, false
	}
	for _, l := range alibabaLocalRoutes {
		if l.method != r.Method {
			continue
		}
		if params, ok := matchPath(l.pattern, r.URL.Path); ok {
			return route{cloud: alibabaLocal, op: l.op, handle: l.handle, params: params}, true
		}
	}
	return route{cloud: alibabaLocal, params: map[string]string{}}, true
}

// aliMetadataToken issues an IMDSv2 token for the TTL asked (1 to 21600 s).
func (s *Server) aliMetadataToken(c *call) answer {
	ttl, err := strconv.Atoi(c.r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
	if err != nil || ttl < 1 || ttl > 21600 {
		return answer{fixture: "ecsmetadata/error_400.json"}
	}
	tok := randomToken(24)
	s.mu.Lock()
	s.stsInit()
	s.aliSTS.imdsToken[tok] = time.Now().Add(time.Duration(ttl) * time.Second)
	s.mu.Unlock()
	return answer{fixture: "ecsmetadata/token.json", data: map[string]any{"Token": tok}}
}

// imdsv2 says whether the request carries a live IMDSv2 token: the mock's
// instance enforces IMDSv2 (security hardening mode), so none means 403.
func (s *Server) imdsv2(c *call) bool {
	tok := c.r.Header.Get("X-aliyun-ecs-metadata-token")
	s.mu.Lock()
	defer s.mu.Unlock()
	end, ok := s.aliSTS.imdsToken[tok]
	return ok && time.Now().Before(end)
}

func (s *Server) metadataRoles(c *call) answer {
	if !s.imdsv2(c) {
		return answer{fixture: "ecsmetadata/error_403.json"}
	}
	s.mu.Lock()
	role := s.aliSTS.ecsRole
	s.mu.Unlock()
	if role == "" {
		return answer{fixture: "ecsmetadata/error_404.json"}
	}
	return answer{fixture: "ecsmetadata/roles.json", data: map[string]any{"RoleName": role}}
}

func (s *Server) metadataRoleCredentials(c *call) answer {
	if !s.imdsv2(c) {
		return answer{fixture: "ecsmetadata/error_403.json"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aliSTS.ecsRole == "" || c.params["RoleName"] != s.aliSTS.ecsRole {
		return answer{fixture: "ecsmetadata/error_404.json"}
	}
	// The metadata service hands out 6-hour credentials.
	tc := s.issue("ecsmetadata.RoleCredentials", s.aliSTS.ecsRole, 21600)
	d := credentialsData(tc, "acs:ram::0:role/"+s.aliSTS.ecsRole, "")
	d["LastUpdated"] = time.Now().UTC().Format("2006-01-02T15:04:05Z")
	return answer{fixture: "ecsmetadata/role_credentials.json", data: d}
}

func (s *Server) credentialsURI(c *call) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	tc := s.issue("credentialsuri.Get", "sidecar", 3600)
	return answer{fixture: "credentialsuri/credentials.json", data: credentialsData(tc, "acs:ram::0:role/sidecar", "")}
}
