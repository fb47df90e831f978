# Terraform >= 1.10: the passphrase is read in every plan and apply and is
# never written to state or plan files. Pass it only to ephemeral contexts:
# provider configuration, write-only arguments, other ephemeral resources.
ephemeral "cloudlock_sms_task_passphrase" "web" {
  task_id = "7a9a9540-ff28-4869-b9e4-855fbe12a001"
}
