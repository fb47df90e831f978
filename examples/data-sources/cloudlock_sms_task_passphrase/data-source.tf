# The passphrase is sensitive, but a data source's values are stored in state
# and plan files. With Terraform >= 1.10 prefer the ephemeral resource.
data "cloudlock_sms_task_passphrase" "web" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
}

output "passphrase" {
  value     = data.cloudlock_sms_task_passphrase.web.passphrase
  sensitive = true
}
