# The source servers SMS has registered and that are waiting for a task.
list "cloudlock_sms_source_server" "waiting" {
  provider = cloudlock

  config {
    state = "waiting"
  }
}
