action "cloudlock_sms_task_unlock" "web" {
  config {
    task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
  }
}

# Unlock the target server when the cutover is recorded...
resource "terraform_data" "cutover" {
  input = "2026-11-23"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.cloudlock_sms_task_unlock.web]
    }
  }
}

# ...or on demand: terraform apply -invoke=action.cloudlock_sms_task_unlock.web
