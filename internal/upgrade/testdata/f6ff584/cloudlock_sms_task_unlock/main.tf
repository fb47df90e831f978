# The target server of the demo world's finished migration, unlocked once;
# triggers and timeouts are set so their state shape is in the fixture.
resource "cloudlock_sms_task_unlock" "web" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"

  triggers = {
    migration_run = "2026-11-23"
  }

  timeouts {
    create = "5m"
  }
}
