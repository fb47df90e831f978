action "cloudlock_bastionhost_user_unlock" "oncall" {
  config {
    instance_id = "bastionhost-cn-st220aw0001"
    user_ids    = ["1", "2", "4"]
  }
}

# Unlock the on-call engineers when a rotation starts...
resource "terraform_data" "rotation" {
  input = "2026-W48"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.cloudlock_bastionhost_user_unlock.oncall]
    }
  }
}

# ...or on demand: terraform apply -invoke=action.cloudlock_bastionhost_user_unlock.oncall
