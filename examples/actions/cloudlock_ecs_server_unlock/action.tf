# Unlock for a maintenance window, on demand:
#   terraform apply -invoke=action.cloudlock_ecs_server_unlock.web
action "cloudlock_ecs_server_unlock" "web" {
  config {
    server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
    region    = "cn-north-4"
    timeouts {
      invoke = "10m"
    }
  }
}

# Or unlock whenever the maintenance window record is created.
resource "terraform_data" "maintenance_window" {
  input = "2026-11-23T22:00Z"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.cloudlock_ecs_server_unlock.web]
    }
  }
}
