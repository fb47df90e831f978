# Adopt a server that is already locked (Terraform 1.5 and later).
import {
  to = cloudlock_ecs_server_lock.web
  id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
}
