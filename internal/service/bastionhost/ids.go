package bastionhost

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/validate"
)

// noWhitespace: ids never contain whitespace, and a stray space or newline
// from string manipulation would otherwise reach the API as another id.
// RE2's \S lets through a vertical tab and Unicode spaces (U+00A0, U+3000):
// no separator (\p{Z}) and no control or format character (\p{C}) either.
var noWhitespace = regexp.MustCompile(`^[^\s\p{Z}\p{C}]+$`)

// idValidator refuses an empty id once, not also as whitespace.
var idValidator = validate.InOrder(
	stringvalidator.LengthAtLeast(1),
	stringvalidator.RegexMatches(noWhitespace, "must not contain whitespace"),
)

var instanceIDValidators = []validator.String{idValidator}

var userIDsValidators = []validator.Set{validate.SetInOrder(
	setvalidator.SizeAtLeast(1),
	setvalidator.ValueStringsAre(idValidator),
)}

// regionNote: the region is checked at plan, against the provider's
// endpoints (operation.CheckRegion).
const regionNote = "A region the provider does not know is accepted when the provider's `alicloud.endpoints.bastionhost` is set (checked at plan)."

// unlockID is the resource id: the instance and a short hash of the sorted
// user ids, so the same instance and set always give the same id, whatever
// the order in the configuration.
func unlockID(instanceID string, userIDs []string) string {
	sorted := slices.Clone(userIDs)
	slices.Sort(sorted)
	b, _ := json.Marshal(sorted) // a []string always marshals
	sum := sha256.Sum256(b)
	return instanceID + ":" + hex.EncodeToString(sum[:8])
}

// parseImportID reads `<instance_id>:<user_id>,<user_id>,...`.
func parseImportID(id string) (string, []string, error) {
	instance, list, ok := strings.Cut(id, ":")
	instance = strings.TrimSpace(instance)
	if !ok || instance == "" || strings.TrimSpace(list) == "" {
		return "", nil, fmt.Errorf("the import id %q is not <instance_id>:<user_id>,<user_id>,... (for example bastionhost-cn-st220aw0001:1,2,3)", id)
	}
	var users []string
	for _, u := range strings.Split(list, ",") {
		u = strings.TrimSpace(u)
		if u == "" {
			return "", nil, fmt.Errorf("the import id %q has an empty user id", id)
		}
		if !slices.Contains(users, u) {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return instance, users, nil
}
