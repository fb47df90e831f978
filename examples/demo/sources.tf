# SMS source servers: register one as its Agent would, and find the ones
# already registered (the mock's demo seed holds the SUSE host of the SMS
# API document's example).
resource "cloudlock_sms_source_server" "web" {
  name          = "demo-web-02"
  hostname      = "demo-web-02"
  ip            = "10.0.1.12"
  os_type       = "LINUX"
  os_version    = "CENTOS_7_9_64BIT"
  firmware      = "BIOS"
  boot_loader   = "GRUB"
  has_rsync     = true
  cpu_quantity  = 2
  memory        = 4096 # MB
  agent_version = "2.2.1"
  platform      = "other"

  disks {
    name            = "/dev/vda"
    device_use      = "BOOT"
    partition_style = "MBR"
    size            = 42949672960
    used_size       = 8589934592
    physical_volumes {
      name        = "/dev/vda1"
      device_use  = "OS"
      file_system = "xfs"
      mount_point = "/"
      size        = 42948624384
      used_size   = 8589934592
    }
  }
  networks {
    name    = "eth0"
    ip      = "10.0.1.12"
    netmask = "255.255.255.0"
    gateway = "10.0.1.1"
    mac     = "fa:16:3e:1d:2c:3b"
  }


}

data "cloudlock_sms_source_servers" "suse" {
  name = "host-192-0-2-10"
}

data "cloudlock_sms_source_servers" "waiting" {
  state      = "waiting"
  depends_on = [cloudlock_sms_source_server.web]
}

output "registered_source_server" {
  value = {
    id    = cloudlock_sms_source_server.web.id
    state = cloudlock_sms_source_server.web.current_state
  }
}

output "documented_suse_host" {
  value = one(data.cloudlock_sms_source_servers.suse.servers[*].id)
}

output "waiting_source_servers" {
  value = sort(data.cloudlock_sms_source_servers.waiting.servers[*].name)
}
