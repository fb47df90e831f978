package provider

import (
	"errors"
	"os"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/conns"
)

// huaweiAssumeRole is huaweicloud.assume_role.
type huaweiAssumeRole struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	DomainID   types.String `tfsdk:"domain_id"`
	Duration   types.Int64  `tfsdk:"duration"`
}

const agencyNameRule = "must be 1 to 64 letters, digits, spaces and - _ . characters"

func agencyNameValidator() validator.String {
	return stringvalidator.RegexMatches(conns.HuaweiAgencyName, agencyNameRule)
}

// configureHuaweiCredentials reads the sources of Huawei credentials other
// than keys: the agency, OIDC federation and the hcloud profile. It checks
// what the environment sets as the schema checks the configuration, and that
// named files exist, with no call to the cloud. The choice between the
// sources is conns' (credentials_huawei.go), on first use.
func configureHuaweiCredentials(hw *huaweiModel, h *conns.HuaweiConfig, resp *provider.ConfigureResponse) {
	root := path.Root("huaweicloud")
	h.KeysFromEnv = hw.AccessKey.IsNull() && h.AccessKey != ""

	// OIDC federation: configuration, then the huaweicloud provider's
	// variables. The SDK's (HUAWEICLOUD_SDK_*) are read by its own provider.
	switch {
	case !hw.IdpID.IsNull() && !hw.IdpID.IsUnknown():
		h.OIDC = &conns.HuaweiOIDC{IdpID: hw.IdpID.ValueString(), IDTokenFile: hw.IDTokenFile.ValueString(), Origin: "huaweicloud.idp_id"}
	case os.Getenv(conns.EnvHuaweiIdpID) != "" || os.Getenv(conns.EnvHuaweiIDTokenFile) != "":
		h.OIDC = &conns.HuaweiOIDC{IdpID: os.Getenv(conns.EnvHuaweiIdpID), IDTokenFile: os.Getenv(conns.EnvHuaweiIDTokenFile), Origin: conns.EnvHuaweiIdpID}
		if h.OIDC.IdpID == "" || h.OIDC.IDTokenFile == "" {
			resp.Diagnostics.AddAttributeError(root.AtName("idp_id"), "Incomplete OIDC settings",
				"huaweicloud.idp_id: the environment sets only one of "+conns.EnvHuaweiIdpID+" and "+conns.EnvHuaweiIDTokenFile+"; OIDC federation needs both.")
		}
	}
	if h.OIDC != nil && h.OIDC.IDTokenFile != "" {
		if _, err := os.Stat(h.OIDC.IDTokenFile); err != nil {
			resp.Diagnostics.AddAttributeError(root.AtName("id_token_file"), "ID token file not readable",
				"huaweicloud.id_token_file (set by "+originOf(h.OIDC.Origin, "huaweicloud.id_token_file", conns.EnvHuaweiIDTokenFile)+
					"): cannot read the ID token file "+strconv.Quote(h.OIDC.IDTokenFile)+": "+pathErr(err)+".")
		}
	}

	// hcloud profile: read now (a file, no call) so its region and project
	// id count as configured ones.
	file := pick(hw.SharedConfigFile, conns.EnvHuaweiSharedConfigFile)
	profile := pick(hw.Profile, conns.EnvHuaweiProfile)
	if file != "" || profile != "" {
		if file == "" {
			file = conns.DefaultHuaweiSharedConfigFile()
		}
		p, err := conns.LoadHuaweiProfile(file, profile)
		if err != nil {
			at := root.AtName("shared_config_file")
			if _, statErr := os.Stat(file); statErr == nil && profile != "" {
				at = root.AtName("profile")
			}
			resp.Diagnostics.AddAttributeError(at, "Unusable Huawei Cloud profile", at.String()+": "+err.Error()+".")
		} else {
			h.Profile = &p
			if h.Region == "" {
				h.Region = p.Region
			}
			if h.ProjectID == "" && p.ProjectID != "" && p.Region == h.Region {
				h.ProjectID = p.ProjectID
			}
		}
	}

	// Agency: the block, each field falling back to the environment, or
	// the environment alone.
	ar := hw.AssumeRole
	if ar == nil && os.Getenv(conns.EnvHuaweiAgencyName) == "" {
		return
	}
	a := &conns.HuaweiAssumeRole{Origin: "huaweicloud.assume_role"}
	if ar == nil {
		ar = &huaweiAssumeRole{}
		a.Origin = conns.EnvHuaweiAgencyName
	}
	at := root.AtName("assume_role")
	a.AgencyName = pick(ar.AgencyName, conns.EnvHuaweiAgencyName)
	a.DomainName = pick(ar.DomainName, conns.EnvHuaweiAgencyDomainName)
	a.DomainID = pick(ar.DomainID, conns.EnvHuaweiAgencyDomainID)
	if ar.AgencyName.IsNull() && !conns.HuaweiAgencyName.MatchString(a.AgencyName) {
		resp.Diagnostics.AddAttributeError(at.AtName("agency_name"), "Invalid agency name",
			"huaweicloud.assume_role.agency_name: "+conns.EnvHuaweiAgencyName+"="+strconv.Quote(a.AgencyName)+" "+agencyNameRule+".")
	}
	if a.DomainName == "" && a.DomainID == "" {
		resp.Diagnostics.AddAttributeError(at, "Agency domain missing",
			"huaweicloud.assume_role: set domain_name or domain_id (or "+conns.EnvHuaweiAgencyDomainName+" or "+conns.EnvHuaweiAgencyDomainID+"): the account that created agency "+strconv.Quote(a.AgencyName)+".")
	}
	if !ar.Duration.IsNull() && !ar.Duration.IsUnknown() {
		a.Duration = int(ar.Duration.ValueInt64())
	} else if v := os.Getenv(conns.EnvHuaweiAgencyDuration); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < conns.HuaweiMinAgencyDuration || n > conns.HuaweiMaxAgencyDuration {
			resp.Diagnostics.AddAttributeError(at.AtName("duration"), "Invalid agency duration",
				"huaweicloud.assume_role.duration: "+conns.EnvHuaweiAgencyDuration+" must be a whole number of seconds from 900 to 86400, got "+strconv.Quote(v)+".")
		}
		a.Duration = n
	}
	h.AssumeRole = a
}

// originOf names where a setting came from: the attribute, or the variable.
func originOf(origin, attr, env string) string {
	if origin == "" || origin[0] == 'h' { // "huaweicloud.…"
		return attr
	}
	return env
}

func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
