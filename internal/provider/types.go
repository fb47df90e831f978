package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/bastionhost"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/ecs"
	"github.com/cloudlock/terraform-provider-cloudlock/internal/service/sms"
)

// The types the provider offers, one line each.
var (
	resources = []func() resource.Resource{
		sms.NewTaskUnlockResource,

		// ECS
		ecs.NewServerLockResource,

		// Bastionhost
		bastionhost.NewUserUnlockResource,

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
	actions = []func() action.Action{
		sms.NewTaskUnlockAction,

		// ECS
		ecs.NewServerLockAction,
		ecs.NewServerUnlockAction,

		// Bastionhost
		bastionhost.NewUserUnlockAction,
		bastionhost.NewUserLockAction,
	}
	// List resources (`terraform query`), one per resource type that can be listed.
	listResources = []func() list.ListResource{
		sms.NewSourceServerListResource,
		sms.NewTaskUnlockListResource,
		bastionhost.NewUserUnlockListResource,
		ecs.NewServerLockListResource,
	}
)
