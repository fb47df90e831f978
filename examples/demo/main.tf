# The configuration `make demo` applies against the mock cloud. Credentials
# and the region come from the environment the demo script sets.
terraform {
  required_providers {
    cloudlock = {
      source = "cloudlock/cloudlock"
    }
  }
}

variable "endpoint" {
  description = "Base URL of the mock cloud (all services on one port)."
  type        = string
}

provider "cloudlock" {
  huaweicloud {
    endpoints {
      iam = var.endpoint
      sms = var.endpoint
      ecs = var.endpoint
    }
  }
  alicloud {
    endpoints {
      bastionhost = var.endpoint
    }
  }
}

resource "cloudlock_sms_task_unlock" "web" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
}

data "cloudlock_sms_task_passphrase" "web" {
  task_id = cloudlock_sms_task_unlock.web.task_id
}

# Read in every plan and apply, never stored.
ephemeral "cloudlock_sms_task_passphrase" "db" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a002"
}

output "unlocked_server" {
  value = {
    id   = cloudlock_sms_task_unlock.web.target_server_id
    name = cloudlock_sms_task_unlock.web.target_server_name
  }
}

output "web_passphrase" {
  value     = data.cloudlock_sms_task_passphrase.web.passphrase
  sensitive = true
}
