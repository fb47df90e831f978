# Unlock users of a bastion host, any number of them (sent 100 per call).
resource "cloudlock_bastionhost_user_unlock" "oncall" {
  instance_id = "bastionhost-cn-st220aw0001"
  user_ids    = ["1", "2", "4"]

  # Optional: the provider's alicloud.region is the default.
  region = "cn-hangzhou"

  # Change a value to unlock the whole set again.
  triggers = {
    incident = "INC-2041"
  }

  timeouts {
    create = "10m"
  }
}

# Users found locked again by a refresh (always empty after an apply).
output "relocked_users" {
  value = cloudlock_bastionhost_user_unlock.oncall.frozen_user_ids
}
