# One unlock against a task the test seeds in the mock cloud, through the
# provider the CLI installed. versions.tf (the source and the version
# constraint) is written by the test: it names the test's registry.
variable "mock_url" {
  type = string
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}

variable "task_id" {
  type = string
}

provider "cloudlock" {
  huaweicloud {
    region     = "cn-north-4"
    access_key = var.access_key
    secret_key = var.secret_key
    endpoints {
      iam = var.mock_url
      sms = var.mock_url
      ecs = var.mock_url
    }
  }
}

resource "cloudlock_sms_task_unlock" "this" {
  task_id = var.task_id
}

output "target_server_id" {
  value = cloudlock_sms_task_unlock.this.target_server_id
}
