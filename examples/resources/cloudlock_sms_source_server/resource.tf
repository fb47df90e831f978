# Register a SUSE host with SMS as its migration Agent would: the example of
# the SMS API document, trimmed to one disk of each kind and two Btrfs
# subvolumes.
resource "cloudlock_sms_source_server" "suse" {
  name                = "suse-web-01"
  hostname            = "host-192-168-136-10"
  ip                  = "192.168.136.10"
  os_type             = "LINUX"
  os_version          = "SUSE12_64BIT_SP2"
  kernel_version      = "4.4.21-69-default"
  virtualization_type = "HVM"
  paravirtualization  = true
  firmware            = "BIOS"
  boot_loader         = "GRUB"
  has_rsync           = true
  cpu_quantity        = 1
  memory              = 1024 # MB, as the API document's table says (its example's 934752256 looks like bytes)
  agent_version       = "2.2.1"
  platform            = "hw"

  disks {
    name            = "/dev/vda"
    device_use      = "BOOT"
    partition_style = "MBR"
    size            = 42949672960
    used_size       = 42948624384
    physical_volumes {
      name        = "/dev/vda1"
      device_use  = "NORMAL"
      file_system = "swap"
      mount_point = ""
      size        = 2153775104
      used_size   = 2153775104
    }
    physical_volumes {
      name        = "/dev/vda2"
      device_use  = "BTRFS"
      file_system = "btrfs"
      mount_point = ""
      size        = 16862150656
      used_size   = 16862150656
    }
  }
  disks {
    name            = "/dev/vdb"
    device_use      = "NORMAL"
    partition_style = "MBR"
    size            = 21474836480
    used_size       = 21473787904
    physical_volumes {
      name        = "/dev/vdb1"
      device_use  = "VOLUME_GROUP"
      file_system = "LVM2_member"
      mount_point = ""
      size        = 21473787904
      used_size   = 21473787904
    }
  }

  volume_groups {
    name       = "vg1"
    size       = 21473787904
    components = "/dev/vdb1"
    logical_volumes {
      name        = "/dev/mapper/vg1-lv1"
      device_use  = "NORMAL"
      file_system = "ext4"
      mount_point = "/mnt/lv1"
      size        = 10737418240
      used_size   = 23580672
      free_size   = 10713837568
      inode_size  = 256
      inode_nums  = 12345
    }
  }

  btrfs_list {
    name                     = "/dev/vda2"
    label                    = "none"
    uuid                     = "6c4f2a1e-8d3b-4f5a-9e7c-0b1d2e3f4a5b"
    device                   = "/dev/vda2"
    size                     = 3543348019 # 3.30 GiB, in bytes
    nodesize                 = 16384
    sectorsize               = 4096
    data_profile             = "single"
    system_profile           = "single"
    metadata_profile         = "single"
    global_reserve1          = "single"
    g_vol_used_size          = 3894038528
    default_subvolid         = "259"
    default_subvol_name      = "@/.snapshots/1/snapshot"
    default_subvol_mountpath = "/"
    subvolume {
      uuid              = "6c4f2a1e-8d3b-4f5a-9e7c-0b1d2e3f4a5b"
      is_snapshot       = "false"
      subvol_id         = "257"
      parent_id         = "5"
      subvol_name       = "@"
      subvol_mount_path = "null"
    }
    subvolume {
      uuid              = "6c4f2a1e-8d3b-4f5a-9e7c-0b1d2e3f4a5b"
      is_snapshot       = "true"
      subvol_id         = "259"
      parent_id         = "258"
      subvol_name       = "@/.snapshots/1/snapshot"
      subvol_mount_path = "/"
    }
  }

  networks {
    name    = "eth0"
    ip      = "192.168.136.10"
    netmask = "255.255.255.0"
    gateway = "192.168.136.1"
    mac     = "fa:16:3e:5c:2a:10"
  }
}

output "source_server" {
  value = {
    id        = cloudlock_sms_source_server.suse.id
    state     = cloudlock_sms_source_server.suse.current_state
    connected = cloudlock_sms_source_server.suse.connected
  }
}

# What SMS holds of the nested lists, whether or not the blocks are written.
output "suse_disks" {
  value = [for d in cloudlock_sms_source_server.suse.registered.disks : d.name]
}
