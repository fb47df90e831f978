# Alibaba Cloud Bastionhost: unlock three users of the demo instance that the
# mock's seed has locked (user 3 is not locked and is left alone). The
# provider block and var.endpoint are in main.tf.
resource "cloudlock_bastionhost_user_unlock" "ops" {
  instance_id = "bastionhost-cn-demo0001"
  user_ids    = ["1", "2", "4"]
}

output "bastionhost_unlock" {
  value = {
    id              = cloudlock_bastionhost_user_unlock.ops.id
    frozen_user_ids = cloudlock_bastionhost_user_unlock.ops.frozen_user_ids
  }
}
