# Adopt a server that is already locked, by identity (Terraform or OpenTofu
# 1.12 and later). region and project_id may be left out: the provider's.
import {
  to = cloudlock_ecs_server_lock.web
  identity = {
    server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"
  }
}

# A server in another region and project.
import {
  to = cloudlock_ecs_server_lock.dr
  identity = {
    server_id  = "6c1d9a7e-2b4f-4e8a-9c3d-5f7a1b2c3d4e"
    region     = "cn-east-3"
    project_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
  }
}
