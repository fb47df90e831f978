package sms

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

const sourceServerDescription = "Registers a source server with Huawei Cloud SMS (Server Migration Service), as its migration Agent does " +
	"(`POST /v3/sources`), so that it appears on the SMS console and a migration task can be created for it. " +
	"The arguments are the fields of the registration, under the API's names.\n\n" +
	"**Create** first looks for a record SMS already holds with the values of the configuration (`GET /v3/sources` by `ip` and " +
	"`name`, then `GET /v3/sources/{source_id}` for each candidate: every value SMS returns, nested lists included, must match). " +
	"The registration API has no idempotency token, so an apply interrupted after SMS registered the server (Ctrl-C, a lost " +
	"answer, a 5xx) leaves a record nothing in state knows: the next apply takes it over instead of registering the host a " +
	"second time, and says so in a warning. Only an unambiguous match is taken over; two or more fail the apply, naming " +
	"them, and nothing is registered. With `create_before_destroy`, a replacement that changes only arguments SMS does not " +
	"return finds the record it is about to replace: do not use `create_before_destroy` on this resource.\n\n" +
	"**Updates.** SMS can rename a registered server (`PUT /v3/sources/{source_id}`), so changing `name` updates it in place. " +
	"The API cannot change any other field of a registration: changing any other argument deletes the record " +
	"(`DELETE /v3/sources/{source_id}`) and registers the server again, which gives it a new `id`.\n\n" +
	"**What is read back.** Reads (`GET /v3/sources/{source_id}`) refresh `ip`, `name`, `hostname`, `os_type`, `os_version`, " +
	"`firmware`, `cpu_quantity`, `memory`, `agent_version`, `oem_system`, `start_type`, `has_tc`, the read-only status " +
	"attributes, and what SMS holds of the nested lists into `registered`, and into the `disks`, `networks`, `volume_groups` " +
	"and `btrfs_list` blocks only where the configuration writes them (blocks left out are no diff). SMS never returns " +
	"`virtualization_type`, `linux_block_check`, `domain_id`, `has_rsync`, `paravirtualization`, `raw_devices`, `driver_files`, " +
	"`system_services`, `account_rights`, `boot_loader`, `system_dir`, `kernel_version`, `io_read_wait` or `platform`, and " +
	"of `state` and `migration_cycle` only the live values (`current_state`, `current_migration_cycle`): these arguments keep " +
	"their configured values, and an import cannot know them.\n\n" +
	"**Destroy** deletes the SMS record of the server (a record already gone is not an error). The Agent on the source " +
	"server registers it again when it restarts."

// memoryDescription: one unit per type. RegisterServer and ShowServer give
// memory in MB (seed 001, the SDK's models); ListServers in bytes.
const memoryDescription = "The memory size in MB (0 or more), as the registration (`POST /v3/sources`) and " +
	"`GET /v3/sources/{source_id}` give it. The `cloudlock_sms_source_servers` data source reports it in bytes, as the list API does."

func sourceServerResourceSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		// 1: the nested lists are blocks, and `registered` holds what SMS
		// does (0: nested attributes holding both; UpgradeState).
		Version:             1,
		MarkdownDescription: sourceServerDescription,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The source server ID SMS assigned at registration.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"ip":       reqString("The IP address of the source server (mandatory for registration). 1–255 characters.", mandatory255()),
			"hostname": reqString("The hostname of the source server (mandatory for registration). 1–255 characters.", mandatory255()),
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The source server name in SMS. At most 255 characters. Changing it renames the server in place " +
					"(`PUT /v3/sources/{source_id}`)." + noteEchoed,
				Validators:    str255(),
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"os_type":             reqString("The OS type: `LINUX` or `WINDOWS` (mandatory for registration).", strOneOf(sourceOSTypes)),
			"os_version":          reqString("The OS version, e.g. `SUSE12_64BIT_SP2` (mandatory for registration). 1–255 characters.", mandatory255()),
			"virtualization_type": notReadString("The OS virtualization type, e.g. `HVM`. At most 255 characters.", str255()),
			"linux_block_check":   notReadString("The Linux block-level check, a JSON document as a string. At most 255 characters.", str255()),
			"firmware":            echoString("The boot mode: `BIOS` or `UEFI`.", strOneOf(sourceFirmwares)),
			"cpu_quantity":        echoInt64("The number of vCPUs (0–65535).", int64Range(0, 65535)),
			"memory":              echoInt64(memoryDescription, nonNegative()),
			"domain_id":           notReadString("The domain (account) ID of the tenant. At most 255 characters.", str255()),
			"has_rsync":           notReadBool("Whether rsync is installed. Needed for Linux."),
			"paravirtualization":  notReadBool("Whether the source server is paravirtualized. Needed for Linux."),
			"raw_devices":         notReadString("The list of raw devices. Needed for Linux. At most 255 characters.", str255()),
			"driver_files":        notReadBool("Whether any driver files are missing. Needed for Windows."),
			"system_services":     notReadBool("Whether there are abnormal services. Needed for Windows."),
			"account_rights":      notReadBool("Whether the account has the required permissions. Needed for Windows."),
			"boot_loader":         notReadString("The system boot loader: `GRUB` or `LILO`. Needed for Linux.", strOneOf(sourceBootLoaders)),
			"system_dir":          notReadString("The system directory. Needed for Windows. At most 255 characters.", str255()),
			"agent_version":       echoString("The Agent version, e.g. `2.2.1`. At most 255 characters.", str255()),
			"kernel_version":      notReadString("The kernel version. At most 255 characters.", str255()),
			"migration_cycle": reported(notReadString("The migration stage to report at registration: `cutovering`, `cutovered`, "+
				"`checking`, `setting`, `replicating` or `syncing`.", strOneOf(sourceMigrationCycles)), "current_migration_cycle"),
			"state": reported(notReadString("The status to report at registration: `unavailable`, `waiting`, `initialize`, `replicate`, "+
				"`syncing`, `stopping`, `stopped`, `deleting`, `error`, `cloning`, `cutovering` or `finished`.", strOneOf(sourceStates)),
				"current_state"),
			"oem_system":   echoBool("Whether the OS is an OEM version (Windows)."),
			"start_type":   echoString("The startup mode: `MANUAL`, `MGC` or an empty string.", strOneOf(sourceStartTypes)),
			"io_read_wait": notReadFloat64("The disk read latency, in minutes as the document says (0–10000).", []validator.Float64{float64validator.Between(0, 10000)}),
			"has_tc":       echoBool("Whether TC is installed. Needed for Linux."),
			"platform":     notReadString("The platform the server runs on: `hw` (Huawei Cloud), `ali`, `aws`, `azure`, `gcp`, `tencent`, `vmware`, `hyperv` or `other`.", strOneOf(sourcePlatforms)),

			// The status attributes are refreshed by every read, and the one
			// update (a rename, or values recorded after an import) cannot
			// change them: an update plans their state values rather than
			// "(known after apply)". A new registration plans them unknown.
			"current_state": computedString("The live status of the source server in SMS (e.g. `waiting`, `replicate`, `finished`), "+
				"refreshed on every read.", true),
			"current_migration_cycle": computedString("The live migration stage (e.g. `replicating`), refreshed on every read; "+
				"null when no migration runs.", true),
			"connected": schema.BoolAttribute{
				Computed: true, MarkdownDescription: "Whether the Agent on the source server is connected to SMS, refreshed on every read.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"add_date": schema.Int64Attribute{
				Computed: true, MarkdownDescription: "When the server was registered, in milliseconds since the Unix epoch.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"enterprise_project_id": computedString("The enterprise project the source server belongs to.", true),
			"registered":            registeredAttribute(),
		},
		// A block: Terraform refuses a misspelt key in it (`craete`), where a
		// nested attribute would drop it (docs/design.md).
		// The nested lists too, and what SMS holds of them is the computed
		// `registered`: a block cannot be Computed.
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
			"disks":    echoList("The disks of the source server (up to 65,535), one `disks` block each.", 65535, diskBlock()),
			"btrfs_list": echoList("The Btrfs file systems of the source server (up to 65,535), one `btrfs_list` block each. Needed for Linux: "+
				"with no block, `[]` is sent.", 65535, btrfsBlock()),
			"networks": echoList("The NICs of the source server (up to 65,535), one `networks` block each. With no block, `[]` is sent.",
				65535, networkBlock()),
			"volume_groups": echoList("The LVM volume groups (up to 65,535), one `volume_groups` block each. Needed for Linux: with no block, "+
				"`[]` is sent.", 65535, volumeGroupBlock()),
		},
	}
}

// sourceServerTypes are the attribute types of the resource, from its schema,
// so that values built from API answers always match it.
var sourceServerTypes = sourceServerResourceSchema(context.Background()).Type().(types.ObjectType).AttrTypes

// elemType is the object type of the elements of the list at the given
// attribute or block names, from the resource's top level down.
func elemType(names ...string) types.ObjectType {
	attrs := sourceServerTypes
	var t types.ObjectType
	for _, n := range names {
		t = attrs[n].(types.ListType).ElemType.(types.ObjectType)
		attrs = t.AttrTypes
	}
	return t
}

// registeredType is the type of the computed `registered` object.
var registeredType = sourceServerTypes["registered"].(types.ObjectType)

var (
	diskType           = elemType("disks")
	physicalVolumeType = elemType("disks", "physical_volumes")
	btrfsType          = elemType("btrfs_list")
	subvolumeType      = elemType("btrfs_list", "subvolume")
	networkType        = elemType("networks")
	volumeGroupType    = elemType("volume_groups")
	logicalVolumeType  = elemType("volume_groups", "logical_volumes")
)

var _ attr.Type = diskType
