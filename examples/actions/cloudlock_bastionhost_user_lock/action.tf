# Lock leavers' accounts on demand:
#   terraform apply -invoke=action.cloudlock_bastionhost_user_lock.leavers
action "cloudlock_bastionhost_user_lock" "leavers" {
  config {
    instance_id = "bastionhost-cn-st220aw0001"
    user_ids    = ["17", "23"]
  }
}
