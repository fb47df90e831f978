# The demo instance's three frozen users, with the provider's region (left
# out) and triggers and timeouts set.
resource "cloudlock_bastionhost_user_unlock" "oncall" {
  instance_id = "bastionhost-cn-demo0001"
  user_ids    = ["1", "2", "4"]

  triggers = {
    incident = "INC-2041"
  }

  timeouts {
    create = "10m"
  }
}
