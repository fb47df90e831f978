# Unlock the target server of a finished migration task.
resource "cloudlock_sms_task_unlock" "web" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"

  # Change a value to unlock again, e.g. after a new migration run locked it.
  triggers = {
    migration_run = "2026-11-23"
  }

  timeouts {
    create = "5m"
  }
}

output "unlocked_server_id" {
  value = cloudlock_sms_task_unlock.web.target_server_id
}
