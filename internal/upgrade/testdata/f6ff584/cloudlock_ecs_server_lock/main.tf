# One lock with the provider's region and project, one with both written
# out, so both ways of filling them are in the fixture.
resource "cloudlock_ecs_server_lock" "web" {
  server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"

  timeouts {
    create = "5m"
    delete = "5m"
  }
}

resource "cloudlock_ecs_server_lock" "db" {
  server_id  = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a02"
  region     = "cn-north-4"
  project_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
}
