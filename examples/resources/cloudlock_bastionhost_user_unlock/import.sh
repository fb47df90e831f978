# Adopt users unlocked by hand: <instance_id>:<user_id>,<user_id>,... (no API call changes anything;
# the refresh that follows records which of them are locked again).
terraform import cloudlock_bastionhost_user_unlock.oncall bastionhost-cn-st220aw0001:1,2,4
