# Adopt an unlock done by hand, by identity (Terraform or OpenTofu 1.12 and
# later). No API call changes anything, triggers included.
import {
  to = cloudlock_sms_task_unlock.web
  identity = {
    task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
  }
}
