# Adopt users unlocked by hand, by identity (Terraform or OpenTofu 1.12 and
# later). user_ids in any order; region may be left out: the provider's.
import {
  to = cloudlock_bastionhost_user_unlock.oncall
  identity = {
    instance_id = "bastionhost-cn-st220aw0001"
    user_ids    = ["1", "2", "4"]
  }
}
