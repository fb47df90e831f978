# Adopt a server that is already locked, by server id. Import only reads the
# server: no lock or unlock is sent.
terraform import cloudlock_ecs_server_lock.web 2f6b5e1c-8d3a-4c7e-9b1f-0a4d6c8e2a01

# A server in another region than the provider's: <region>/<server_id>.
terraform import cloudlock_ecs_server_lock.dr cn-east-3/6c1d9a7e-2b4f-4e8a-9c3d-5f7a1b2c3d4e
