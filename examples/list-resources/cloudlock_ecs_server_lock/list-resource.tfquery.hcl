# The locked servers of the provider's region and project: adopting them
# (terraform query -generate-config-out=locks.tf, then terraform apply)
# sends no lock call.
list "cloudlock_ecs_server_lock" "locked" {
  provider = cloudlock
  limit    = 5000

  config {
    locked = true
  }
}

# The servers named like "web" in another region, locked or not.
list "cloudlock_ecs_server_lock" "web" {
  provider = cloudlock

  config {
    region = "cn-east-3"
    name   = "web"
  }
}
