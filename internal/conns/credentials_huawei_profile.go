package conns

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The hcloud (KooCLI) profile file, read as the huaweicloud provider reads it.

// koocliConfig is the hcloud (KooCLI) config.json, as the huaweicloud
// provider reads it.
type koocliConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name             string `json:"name"`
		Mode             string `json:"mode"`
		AccessKeyID      string `json:"accessKeyId"`
		SecretAccessKey  string `json:"secretAccessKey"`
		SecurityToken    string `json:"securityToken"`
		Region           string `json:"region"`
		ProjectID        string `json:"projectId"`
		AgencyDomainID   string `json:"agencyDomainId"`
		AgencyDomainName string `json:"agencyDomainName"`
		AgencyName       string `json:"agencyName"`
	} `json:"profiles"`
}

// DefaultHuaweiSharedConfigFile is where hcloud keeps its configuration.
func DefaultHuaweiSharedConfigFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join("~", ".hcloud", "config.json")
	}
	return filepath.Join(home, ".hcloud", "config.json")
}

// LoadHuaweiProfile reads profile name (the file's "current" when empty)
// from an hcloud config.json. Errors name the file and the profile.
func LoadHuaweiProfile(file, name string) (HuaweiProfile, error) {
	if strings.HasPrefix(file, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			file = filepath.Join(home, file[2:])
		}
	}
	data, err := os.ReadFile(file) //nolint:gosec // the file the user named to read keys from
	if err != nil {
		return HuaweiProfile{}, fmt.Errorf("reading the shared config file %s: %w", file, unwrapPathError(err))
	}
	var cfg koocliConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return HuaweiProfile{}, fmt.Errorf("the shared config file %s is not an hcloud config.json: %w", file, err)
	}
	chosen := name
	if chosen == "" {
		chosen = cfg.Current
	}
	var names []string
	for _, p := range cfg.Profiles {
		names = append(names, p.Name)
		if p.Name != chosen || chosen == "" {
			continue
		}
		if p.AccessKeyID == "" || p.SecretAccessKey == "" {
			return HuaweiProfile{}, fmt.Errorf("profile %q of the shared config file %s has no accessKeyId and secretAccessKey (mode %q); "+
				"cloudlock reads AKSK profiles stored unencrypted (hcloud configure set --cli-auth-encrypt=false)", chosen, file, p.Mode)
		}
		hp := HuaweiProfile{
			File: file, Name: chosen, AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey,
			SecurityToken: p.SecurityToken, Region: p.Region, ProjectID: p.ProjectID,
		}
		if p.AgencyName != "" {
			hp.Agency = &HuaweiAssumeRole{
				AgencyName: p.AgencyName, DomainName: p.AgencyDomainName, DomainID: p.AgencyDomainID,
				Origin: fmt.Sprintf("agencyName of profile %q in %s", chosen, file),
			}
		}
		return hp, nil
	}
	if chosen == "" {
		return HuaweiProfile{}, fmt.Errorf("the shared config file %s names no current profile; set huaweicloud.profile (or %s) to one of %s",
			file, EnvHuaweiProfile, quoteList(names))
	}
	return HuaweiProfile{}, fmt.Errorf("the shared config file %s has no profile %q (it has %s)", file, chosen, quoteList(names))
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// unwrapPathError drops the path os adds, since messages name the file themselves.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
