# Adopt a source server its Agent registered, by its SMS id (the data source
# cloudlock_sms_source_servers finds it by name, IP or status).
terraform import cloudlock_sms_source_server.suse 1a6d1e0b-62e5-4376-b59f-ff2fd5690001
