package mockcloud

import (
	"net/http"
	"strconv"
	"time"
)

// The ECS metadata service's temporary keys of the instance's agency, as the
// Huawei SDK asks for them: PUT /meta-data/latest/api/token (with
// X-Metadata-Token-Ttl-Seconds) for a session token, then
// GET /openstack/latest/securitykey with X-Metadata-Token. The real service
// is at 169.254.169.254; the provider reaches this one through its
// documented endpoint override.

// metadataToken is PUT /meta-data/latest/api/token.
func (s *Server) metadataToken(c *call) answer {
	s.mu.Lock()
	v1 := s.sts.imdsV1Status
	s.mu.Unlock()
	if v1 != 0 {
		return answer{fixture: "metadata/error_401.json", status: v1,
			data: map[string]any{"Message": http.StatusText(v1)}}
	}
	ttl, err := strconv.Atoi(c.r.Header.Get("X-Metadata-Token-Ttl-Seconds"))
	if err != nil || ttl < 1 || ttl > 21600 {
		return answer{fixture: "metadata/error_401.json", status: 400,
			data: map[string]any{"Message": "X-Metadata-Token-Ttl-Seconds must be 1 to 21600"}}
	}
	tok := "AQAEA" + randomHex(24)
	s.mu.Lock()
	s.sts.metadataTokens[tok] = s.now().Add(time.Duration(ttl) * time.Second)
	s.mu.Unlock()
	return answer{fixture: "metadata/api_token.json", data: map[string]any{"MetadataToken": tok}}
}

// metadataSecurityKey is GET /openstack/latest/securitykey: the instance
// agency's keys for a live session token.
func (s *Server) metadataSecurityKey(c *call) answer {
	s.mu.Lock()
	tok := c.r.Header.Get("X-Metadata-Token")
	exp, ok := s.sts.metadataTokens[tok]
	v1 := s.sts.imdsV1Status != 0 && tok == ""
	bound := s.sts.instanceAgency
	s.mu.Unlock()
	if !v1 && (!ok || s.now().After(exp)) {
		return answer{fixture: "metadata/error_401.json"}
	}
	if !bound {
		return answer{fixture: "metadata/error_404_no_agency.json"}
	}
	return answer{fixture: "metadata/securitykey.json", data: s.issueHuaweiKey("metadata", 24*time.Hour)}
}
