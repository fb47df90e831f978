package sms

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// taskIDValidators holds the API's limits on task ids (1–36 characters).
var taskIDValidators = []validator.String{stringvalidator.LengthBetween(1, 36)}

const taskIDDescription = "ID of the SMS migration task (1–36 characters)."
