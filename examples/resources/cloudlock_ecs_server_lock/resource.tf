# Keep a production server locked while Terraform manages it: nobody without
# the administrator's lock permission can stop, resize or delete it.
resource "cloudlock_ecs_server_lock" "web" {
  server_id = "2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01"

  timeouts {
    create = "5m"
    delete = "5m"
  }
}

# A server in another region than the provider's, in a given project.
resource "cloudlock_ecs_server_lock" "dr" {
  server_id  = "6c1d9a7e-2b4f-4e8a-9c3d-5f7a1b2c3d4e"
  region     = "cn-east-3"
  project_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
}

# Lock the target server of a finished migration once SMS has released it.
resource "cloudlock_sms_task_unlock" "migrated" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
}

resource "cloudlock_ecs_server_lock" "migrated" {
  server_id = cloudlock_sms_task_unlock.migrated.target_server_id
}
