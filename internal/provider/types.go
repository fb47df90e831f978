package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// The types the provider offers, one line each.
var (
	resources = []func() resource.Resource{
		sms.NewTaskUnlockResource,

		// ECS

		// Bastionhost

		// SMS source servers
		sms.NewSourceServerResource,
	}
	dataSources = []func() datasource.DataSource{
		sms.NewTaskPassphraseDataSource,

		// SMS source servers
		sms.NewSourceServersDataSource,
	}
	ephemeralResources = []func() ephemeral.EphemeralResource{
		sms.NewTaskPassphraseEphemeralResource,
	}
)
