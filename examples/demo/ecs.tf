# The target server that SMS released above stays locked while Terraform
# manages it; destroy unlocks it.
resource "cloudlock_ecs_server_lock" "web" {
  server_id = cloudlock_sms_task_unlock.web.target_server_id
}

output "locked_server" {
  value = {
    id         = cloudlock_ecs_server_lock.web.id
    locked     = cloudlock_ecs_server_lock.web.locked
    project_id = cloudlock_ecs_server_lock.web.project_id
  }
}
