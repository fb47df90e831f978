# Adopt a source server its Agent registered, by identity (Terraform or
# OpenTofu 1.12 and later).
import {
  to = cloudlock_sms_source_server.suse
  identity = {
    id = "1a6d1e0b-62e5-4376-b59f-ff2fd5690001"
  }
}
