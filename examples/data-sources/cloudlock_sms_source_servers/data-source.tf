# The source servers waiting for their migration, by name.
data "cloudlock_sms_source_servers" "waiting" {
  state = "waiting"
}

# One source server, by the name its Agent registered.
data "cloudlock_sms_source_servers" "suse" {
  name = "host-192-0-2-10"
}

output "waiting" {
  value = { for s in data.cloudlock_sms_source_servers.waiting.servers : s.name => s.id }
}

output "suse_id" {
  value = one(data.cloudlock_sms_source_servers.suse.servers[*].id)
}
