package mockcloud

import (
	"fmt"
	"time"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/mockcloud/signature"
)

// authenticate checks the signature and security token the way the cloud's
// gateway does; nil means the request may proceed.
func (s *Server) authenticate(c *call) *answer {
	now := time.Now()
	if c.cloud == alibabaLocal {
		return nil // the metadata service and the credentials URI check their own way
	}
	if c.cloud == alibaba {
		if c.params["Action"] == "AssumeRoleWithOIDC" {
			return nil // anonymous: the OIDC token is the proof
		}
		creds := s.opts.Alibaba
		if e := signature.VerifyAlibaba(c.r, c.body, s.alibabaLookup(creds), now); e != nil {
			return signatureAnswer(alibaba, e)
		}
		if tc, ok := s.temporary(signature.AccessKey(c.r, c.body)); ok {
			return s.checkAlibabaTemporary(c, tc)
		}
		if s.keysOnlySTS() && c.params["Action"] != "AssumeRole" {
			return &answer{fixture: "alibaba/error_403_Forbidden.RAM.json"}
		}
		if creds.SecurityToken != "" && alibabaToken(c) != creds.SecurityToken {
			return &answer{fixture: "alibaba/error_400_InvalidSecurityToken.MismatchWithAccessKey.json"}
		}
		return nil
	}
	creds := s.opts.Huawei
	if e := signature.VerifyHuawei(c.r, c.body, s.huaweiLookup(), now); e != nil {
		return signatureAnswer(huawei, e)
	}
	if ak := signature.AccessKey(c.r, c.body); ak != creds.AccessKey {
		return s.checkTemporary(c, ak) // a key IAM issued (iam_agency.go)
	}
	if creds.SecurityToken != "" && c.r.Header.Get("X-Security-Token") != creds.SecurityToken {
		return &answer{fixture: "huawei/error_401_APIGW.0301_token.json"}
	}
	return nil
}

// alibabaLookup accepts the account's keys and the temporary keys the mock
// issued (sts.go).
func (s *Server) alibabaLookup(creds Credentials) signature.Lookup {
	return func(ak string) (string, bool) {
		if ak == creds.AccessKey {
			return creds.SecretKey, true
		}
		if tc, ok := s.temporary(ak); ok {
			return tc.AccessKeySecret, true
		}
		return "", false
	}
}

// alibabaToken is the security token of an Alibaba request: the
// x-acs-security-token header (ACS3) or the SecurityToken parameter (v2).
func alibabaToken(c *call) string {
	if t := c.r.Header.Get("x-acs-security-token"); t != "" {
		return t
	}
	return c.params["SecurityToken"]
}

// signatureAnswer turns a rejected signature into the cloud's error body.
// Huawei answers every signature problem with APIGW.0301; Alibaba has one
// code per problem, each with its own fixture when we have recorded it.
func signatureAnswer(cloud string, e *signature.Error) *answer {
	data := map[string]any{"Code": e.Code, "Message": e.Message}
	if cloud == huawei {
		return &answer{fixture: "huawei/error_401_APIGW.0301.json", status: e.Status, data: data}
	}
	name := fmt.Sprintf("alibaba/error_%d_%s.json", e.Status, e.Code)
	if _, err := LoadFixture(name); err != nil {
		name = "alibaba/error.json"
	}
	return &answer{fixture: name, status: e.Status, data: data}
}
