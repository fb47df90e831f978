# The frozen users of an instance, as one unlock of all of them: the apply
# after adopting it unlocks them, 100 users a call.
list "cloudlock_bastionhost_user_unlock" "frozen" {
  provider = cloudlock

  config {
    instance_id = "bastionhost-cn-st220aw0001"
  }
}
