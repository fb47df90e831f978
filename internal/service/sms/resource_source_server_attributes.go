package sms

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/float64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The limits and enumerations of seed 001 (POST /v3/sources). The seed's
// enumeration lists are empty where it says "The value can be:"; the values
// below come from the same document's descriptions, its example, and the
// SDK's enum types where the document names none (see each).
const (
	maxInt32 = 2147483647 // the document's maximum for Integer fields
)

var (
	// os_type: LINUX or WINDOWS (description, SDK enum).
	sourceOSTypes = []string{"LINUX", "WINDOWS"}
	// firmware: the boot mode, BIOS or UEFI (SDK enum).
	sourceFirmwares = []string{"BIOS", "UEFI"}
	// platform: the document's list (the SDK adds "default", which the
	// document does not name).
	sourcePlatforms = []string{"hw", "ali", "aws", "azure", "gcp", "tencent", "vmware", "hyperv", "other"}
	// start_type: MANUAL, MGC or an empty string.
	sourceStartTypes = []string{"MANUAL", "MGC", ""}
	// migration_cycle: the stages the document describes.
	sourceMigrationCycles = []string{"cutovering", "cutovered", "checking", "setting", "replicating", "syncing"}
	// state: the statuses the document describes for a registration.
	sourceStates = []string{"unavailable", "waiting", "initialize", "replicate", "syncing", "stopping", "stopped",
		"deleting", "error", "cloning", "cutovering", "finished"}
	// boot_loader: GRUB, the only value the SDK documents, and LILO.
	sourceBootLoaders = []string{"GRUB", "LILO"}
	// partition_style: MBR or GPT, as the document describes them.
	sourcePartitionStyles = []string{"MBR", "GPT"}
	// disks[].device_use: the document describes BOOT and OS; its own
	// example uses NORMAL and VOLUME_GROUP, and the SDK adds BTRFS.
	sourceDiskUses = []string{"BOOT", "OS", "NORMAL", "VOLUME_GROUP", "BTRFS"}
)

func str255() []validator.String { return []validator.String{stringvalidator.LengthAtMost(255)} }

// mandatory255 is for what registration requires: empty is refused at
// plan time, not by the cloud at apply time.
func mandatory255() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, 255)}
}

// strOneOf: the values are short, so being one of them is the length check too.
func strOneOf(values []string) []validator.String {
	return []validator.String{stringvalidator.OneOf(values...)}
}

func int64Range(lo, hi int64) []validator.Int64 {
	return []validator.Int64{int64validator.Between(lo, hi)}
}

func nonNegative() []validator.Int64 { return []validator.Int64{int64validator.AtLeast(0)} }

// Notes added to attribute descriptions, so the docs say how each behaves.
const (
	noteReplace = " Changing it registers the server again (the old record is deleted, a new one registered)."
	noteNotRead = " SMS does not return it: the configured value is kept in state, and it is not imported."
	noteEchoed  = " When not set, the value SMS records is read back."
)

// Top-level arguments. "echoed" ones are returned by ShowServer: Optional +
// Computed, so that a value SMS fills in is no diff; a configured value that
// differs from the registered one replaces the server. "notRead" ones are
// sent but never returned: the configured value is kept, and changing it
// replaces the server (except right after an import, see adoptAfterImport).

func reqString(desc string, v []validator.String) schema.StringAttribute {
	return schema.StringAttribute{Required: true, MarkdownDescription: desc + noteReplace, Validators: v,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}
}

func echoString(desc string, v []validator.String) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc + noteEchoed + noteReplace, Validators: v,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplaceIfConfigured()}}
}

func echoInt64(desc string, v []validator.Int64) schema.Int64Attribute {
	return schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: desc + noteEchoed + noteReplace, Validators: v,
		PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplaceIfConfigured()}}
}

func echoBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: desc + noteEchoed + noteReplace,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplaceIfConfigured()}}
}

func notReadString(desc string, v []validator.String) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, MarkdownDescription: desc + noteNotRead + noteReplace, Validators: v,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(replaceUnlessAdoptingString, adoptDescription, adoptDescription)}}
}

// reported is a registration field whose live value SMS returns under
// another attribute: the value as registered is what the argument keeps.
func reported(a schema.StringAttribute, live string) schema.StringAttribute {
	a.MarkdownDescription = strings.Replace(a.MarkdownDescription, noteNotRead,
		" SMS changes it as the migration proceeds and returns the live value, which is `"+live+"`; this argument keeps the "+
			"value reported at registration, and it is not imported.", 1)
	return a
}

func notReadBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, MarkdownDescription: desc + noteNotRead + noteReplace,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplaceIf(replaceUnlessAdoptingBool, adoptDescription, adoptDescription)}}
}

func notReadFloat64(desc string, v []validator.Float64) schema.Float64Attribute {
	return schema.Float64Attribute{Optional: true, MarkdownDescription: desc + noteNotRead + noteReplace, Validators: v,
		PlanModifiers: []planmodifier.Float64{float64planmodifier.RequiresReplaceIf(replaceUnlessAdoptingFloat64, adoptDescription, adoptDescription)}}
}

// echoList is a top-level list SMS returns, written as blocks: Terraform
// refuses a misspelt key in a block at validate, where it drops one of a
// nested attribute before the provider sees it (hashicorp/terraform#33570).
// A block cannot be Computed, so it holds the configured registration only
// and what SMS holds is in `registered`. A change replaces the server,
// except for what recordWithoutReplace allows.
func echoList(desc string, size int, nested schema.NestedBlockObject) schema.ListNestedBlock {
	return schema.ListNestedBlock{
		MarkdownDescription: desc + noteReplace,
		Validators:          []validator.List{listvalidator.SizeAtMost(size)},
		PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplaceIf(replaceUnlessRecording, recordDescription, recordDescription)},
		NestedObject:        nested,
	}
}

// nestedList is a list of blocks inside a block of a top-level list.
func nestedList(desc string, size int, nested schema.NestedBlockObject) schema.ListNestedBlock {
	return schema.ListNestedBlock{
		MarkdownDescription: desc,
		Validators:          []validator.List{listvalidator.SizeAtMost(size)},
		NestedObject:        nested,
	}
}

// Nested attributes. Every one is Optional + Computed, so that a value SMS
// fills in for one left out of a configured block is no diff; the ones the
// document marks "Mandatory: Yes" are required by the block's validator
// (mandatoryIn), which names the element's path (disks[0].device_use).

// noteMandatory ends the description of a nested attribute that the
// registration requires; nestedObject finds them by it, so the list of
// mandatory names is written once, beside each attribute.
const noteMandatory = " Mandatory in each element."

func nReqString(desc string, v []validator.String) schema.StringAttribute {
	return nString(desc+noteMandatory, v)
}

func nReqInt64(desc string, v []validator.Int64) schema.Int64Attribute {
	return nInt64(desc+noteMandatory, v)
}

// nestedObject is the object of a block of a nested list: its attributes,
// the lists of blocks it nests, and a validator that each block of the
// configuration sets the mandatory attributes.
func nestedObject(attrs map[string]schema.Attribute, blocks map[string]schema.Block) schema.NestedBlockObject {
	var names []string
	for name, a := range attrs {
		if strings.HasSuffix(a.GetMarkdownDescription(), noteMandatory) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return schema.NestedBlockObject{Attributes: attrs, Blocks: blocks, Validators: []validator.Object{mandatoryIn{names: names}}}
}

// mandatoryIn fails the plan when an element of the configuration leaves
// out one of names, naming its path (e.g. disks[0].device_use).
type mandatoryIn struct{ names []string }

func (v mandatoryIn) Description(context.Context) string {
	return "each element sets " + strings.Join(v.names, ", ")
}

func (v mandatoryIn) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v mandatoryIn) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	for _, name := range v.names {
		if a, ok := attrs[name]; ok && a.IsNull() {
			resp.Diagnostics.AddAttributeError(req.Path.AtName(name), "Missing mandatory attribute",
				fmt.Sprintf("%s is mandatory for a source server registration (POST /v3/sources): set %s in this element of %s.",
					req.Path.AtName(name), name, req.Path.ParentPath()))
		}
	}
}

func nString(desc string, v []validator.String) schema.StringAttribute {
	return schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc, Validators: v,
		PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

func nInt64(desc string, v []validator.Int64) schema.Int64Attribute {
	return schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: desc, Validators: v,
		PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}}
}

func nBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: desc,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}}
}

func computedString(desc string, keep bool) schema.StringAttribute {
	a := schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	if keep {
		a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	}
	return a
}

func physicalVolumeAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"device_use":       nString("The partition function: a general, boot or OS partition (e.g. `NORMAL`, `BTRFS`, `VOLUME_GROUP`). At most 255 characters.", str255()),
		"file_system":      nString("The file system type (e.g. `xfs`, `swap`). At most 255 characters.", str255()),
		"index":            nInt64("The serial number (0–2147483647).", int64Range(0, maxInt32)),
		"mount_point":      nString("The mount point. At most 255 characters.", str255()),
		"name":             nString("The volume name: the drive letter on Windows, the device on Linux (e.g. `/dev/vda1`). At most 255 characters.", str255()),
		"size":             nInt64("The size, in bytes (0 or more).", nonNegative()),
		"used_size":        nInt64("The used space, in bytes (0 or more).", nonNegative()),
		"inode_size":       nInt64("The number of inodes (0–2147483647).", int64Range(0, maxInt32)),
		"inode_nums":       nInt64("The number of inodes (0 or more).", nonNegative()),
		"uuid":             nString("The GUID, which can be obtained from the source server. At most 255 characters.", str255()),
		"size_per_cluster": nInt64("The size of each cluster (0–2147483647).", int64Range(0, maxInt32)),
	}
}

func diskBlock() schema.NestedBlockObject {
	return nestedObject(map[string]schema.Attribute{
		"name":            nReqString("The disk name (e.g. `/dev/vda`). At most 255 characters.", str255()),
		"partition_style": nString("The partition table: `MBR` (Master Boot Record) or `GPT` (GUID Partition Table). Needed for the environment check of a registration.", strOneOf(sourcePartitionStyles)),
		"device_use":      nReqString("The disk function: `BOOT` (boot device), `OS` (system device), or, as in the document's example, `NORMAL`, `VOLUME_GROUP` or `BTRFS`.", strOneOf(sourceDiskUses)),
		"size":            nReqInt64("The disk size, in bytes (0 or more).", nonNegative()),
		"used_size":       nReqInt64("The used disk space, in bytes (0 or more).", nonNegative()),
		"os_disk":         nBool("Whether the disk is the system disk."),
		"relation_name":   nString("The name of the corresponding disk on the Linux target server. At most 255 characters.", str255()),
		"inode_size":      nInt64("The number of inodes (0–2147483647).", int64Range(0, maxInt32)),
	}, map[string]schema.Block{
		"physical_volumes": nestedList("The partitions of the disk (up to 65,535), one `physical_volumes` block each; with no block, "+
			"`[]` is sent (the registration needs the list).", 65535, nestedObject(physicalVolumeAttributes(), nil)),
	})
}

func subvolumeAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"uuid":              nReqString("The UUID of the parent volume. At most 255 characters.", str255()),
		"is_snapshot":       nReqString("Whether the subvolume is a snapshot (`\"true\"` or `\"false\"`, a string in the API). At most 255 characters.", str255()),
		"subvol_id":         nReqString("The subvolume ID. At most 255 characters.", str255()),
		"parent_id":         nReqString("The parent volume ID. At most 255 characters.", str255()),
		"subvol_name":       nReqString("The subvolume name (e.g. `@/.snapshots`). At most 255 characters.", str255()),
		"subvol_mount_path": nReqString("The mount path of the subvolume. At most 255 characters.", str255()),
	}
}

func btrfsBlock() schema.NestedBlockObject {
	return nestedObject(map[string]schema.Attribute{
		"name":                     nReqString("The file system name. At most 255 characters.", str255()),
		"label":                    nReqString("The file system label; an empty string if it has none. At most 255 characters.", str255()),
		"uuid":                     nReqString("The UUID of the file system. At most 255 characters.", str255()),
		"device":                   nReqString("The device name in the Btrfs. At most 255 characters.", str255()),
		"size":                     nReqInt64("The space the file system occupies, in bytes (0 or more; the document's example writes `\"3.30GiB\"`, which its own table, a Long, does not allow).", nonNegative()),
		"nodesize":                 nReqInt64("The Btrfs node size (0 or more).", nonNegative()),
		"sectorsize":               nReqInt64("The sector size (0–2147483647).", int64Range(0, maxInt32)),
		"data_profile":             nReqString("The data profile (RAID). At most 255 characters.", str255()),
		"system_profile":           nReqString("The file system profile (RAID). At most 255 characters.", str255()),
		"metadata_profile":         nReqString("The metadata profile (RAID). At most 255 characters.", str255()),
		"global_reserve1":          nReqString("The Btrfs file system information. At most 255 characters.", str255()),
		"g_vol_used_size":          nReqInt64("The used space of the Btrfs volume, in bytes (0 or more).", nonNegative()),
		"default_subvolid":         nReqString("The ID of the default subvolume. At most 255 characters.", str255()),
		"default_subvol_name":      nReqString("The name of the default subvolume. At most 255 characters.", str255()),
		"default_subvol_mountpath": nReqString("The mount path of the default subvolume or Btrfs file system. At most 255 characters.", str255()),
	}, map[string]schema.Block{
		"subvolume": nestedList("The subvolumes (up to 65,535), one `subvolume` block each; with no block, `[]` is sent. Sent as "+
			"`subvolumn`, the name the API's example and SDK use (the document's table says `subvolume`).", 65535,
			nestedObject(subvolumeAttributes(), nil)),
	})
}

func networkBlock() schema.NestedBlockObject {
	return nestedObject(map[string]schema.Attribute{
		"name":    nReqString("The NIC name (e.g. `eth0`). At most 255 characters.", str255()),
		"ip":      nReqString("The IP address bound to the NIC. At most 255 characters.", str255()),
		"ipv6":    nString("The IPv6 address. At most 255 characters.", str255()),
		"netmask": nReqString("The subnet mask. At most 255 characters.", str255()),
		"gateway": nReqString("The gateway. At most 255 characters.", str255()),
		"mtu":     nInt64("The NIC MTU (0–2147483647); needed for Linux.", int64Range(0, maxInt32)),
		"mac":     nReqString("The MAC address. At most 255 characters.", str255()),
		"id":      nString("The database ID. At most 255 characters.", str255()),
	}, nil)
}

func logicalVolumeAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"block_count": nInt64("The number of blocks (0–2147483647; SMS's default is 0).", int64Range(0, maxInt32)),
		"block_size":  nInt64("The block size (0–1048576; SMS's default is 0).", int64Range(0, 1048576)),
		"file_system": nReqString("The file system (e.g. `ext4`). At most 255 characters.", str255()),
		"inode_size":  nReqInt64("The number of inodes (0–2147483647).", int64Range(0, maxInt32)),
		"inode_nums":  nInt64("The number of inodes (0 or more).", nonNegative()),
		"device_use":  nString("The partition function: a general, boot or OS partition. At most 255 characters.", str255()),
		"mount_point": nReqString("The mount point. At most 256 characters.", []validator.String{stringvalidator.LengthAtMost(256)}),
		"name":        nReqString("The name (e.g. `/dev/mapper/vg1-lv1`). At most 1,024 characters.", []validator.String{stringvalidator.LengthAtMost(1024)}),
		"size":        nReqInt64("The size, in bytes (0 or more).", nonNegative()),
		"used_size":   nReqInt64("The used space, in bytes (0 or more).", nonNegative()),
		"free_size":   nReqInt64("The available space, in bytes (0 or more).", nonNegative()),
	}
}

func volumeGroupBlock() schema.NestedBlockObject {
	return nestedObject(map[string]schema.Attribute{
		"components": nString("The physical volumes of the group, separated by `;` (e.g. `/dev/vdb1;/dev/vdc`). At most 255 characters.", str255()),
		"free_size":  nInt64("The available space, in bytes (0 or more).", nonNegative()),
		"name":       nString("The name (e.g. `vg1`). At most 255 characters.", str255()),
		"size":       nInt64("The size, in bytes (0 or more).", nonNegative()),
	}, map[string]schema.Block{
		"logical_volumes": nestedList("The logical volumes (up to 255), one `logical_volumes` block each.", 255,
			nestedObject(logicalVolumeAttributes(), nil)),
	})
}

// registeredAttribute is what SMS holds of the nested lists, read back by
// every refresh whether or not the configuration writes their blocks:
// computed only, so nobody writes it and a nested attribute is fine.
func registeredAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Computed: true,
		MarkdownDescription: "What SMS holds of the nested lists (`disks`, `btrfs_list`, `networks`, `volume_groups`, with the " +
			"lists they nest), refreshed on every read, configured or not. The blocks hold the configured registration; " +
			"read this to see what SMS records, also after an import.",
		PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
		Attributes: map[string]schema.Attribute{
			"disks":         readOnlyList("The disks SMS holds.", diskBlock()),
			"btrfs_list":    readOnlyList("The Btrfs file systems SMS holds.", btrfsBlock()),
			"networks":      readOnlyList("The NICs SMS holds.", networkBlock()),
			"volume_groups": readOnlyList("The LVM volume groups SMS holds.", volumeGroupBlock()),
		},
	}
}

// readOnlyList is the computed twin of a list of blocks: the same names and
// types, so one value fits both.
func readOnlyList(desc string, b schema.NestedBlockObject) schema.ListNestedAttribute {
	attrs := map[string]schema.Attribute{}
	for name, a := range b.Attributes {
		d := strings.TrimSuffix(a.GetMarkdownDescription(), noteMandatory)
		switch a.(type) {
		case schema.StringAttribute:
			attrs[name] = schema.StringAttribute{Computed: true, MarkdownDescription: d}
		case schema.Int64Attribute:
			attrs[name] = schema.Int64Attribute{Computed: true, MarkdownDescription: d}
		case schema.BoolAttribute:
			attrs[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: d}
		default:
			panic("readOnlyList: no computed twin for " + name)
		}
	}
	for name, nb := range b.Blocks {
		l := nb.(schema.ListNestedBlock)
		attrs[name] = readOnlyList(l.MarkdownDescription, l.NestedObject)
	}
	return schema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: schema.NestedAttributeObject{Attributes: attrs}}
}
