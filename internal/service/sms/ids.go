package sms

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/validate"
)

// taskIDPattern keeps task ids to what they are (UUIDs): the id becomes a
// segment of the API's URL path, which the SDK fills in unescaped, so a
// "/", "?" or ".." would reach another path or add a query.
var taskIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// taskIDValidators holds the API's limits on task ids (1–36 characters).
var taskIDValidators = []validator.String{validate.InOrder(
	stringvalidator.LengthBetween(1, 36),
	stringvalidator.RegexMatches(taskIDPattern, "must contain only letters, digits, '-' and '_'"),
)}

const taskIDDescription = "ID of the SMS migration task (1–36 characters: letters, digits, `-`, `_`)."
