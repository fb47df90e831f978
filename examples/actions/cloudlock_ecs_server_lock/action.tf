action "cloudlock_ecs_server_lock" "web" {
  config {
    server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
  }
}

# Lock the server once the migration is recorded as done...
resource "terraform_data" "migration_done" {
  input = "2026-11-23"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cloudlock_ecs_server_lock.web]
    }
  }
}

# ...or on demand: terraform apply -invoke=action.cloudlock_ecs_server_lock.web
