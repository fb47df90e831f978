package ecs

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The ids every ECS type takes, checked at plan by the validators below and
// on import by the same patterns, with the same words.
var (
	// ECS server ids are UUIDs.
	serverIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	// Huawei Cloud project ids are 32 lower-case hex digits.
	projectIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

const (
	serverIDRule  = "must be an ECS server id (a UUID such as 2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01)"
	projectIDRule = "must be a Huawei Cloud project id (32 lower-case hex digits)"
)

// serverIDValidators check a server_id argument at plan.
func serverIDValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(serverIDPattern, serverIDRule)}
}

// projectIDValidators check a project_id argument at plan.
func projectIDValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(projectIDPattern, projectIDRule)}
}
