# The finished migrations: their target servers are what
# cloudlock_sms_task_unlock unlocks.
list "cloudlock_sms_task_unlock" "finished" {
  provider = cloudlock

  config {
    state = "MIGRATE_SUCCESS"
  }
}
