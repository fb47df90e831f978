# Adopt an unlock done by hand, by task id (no API call changes anything).
terraform import cloudlock_sms_task_unlock.web 7a9a9540-ff28-4869-b9e4-855fbe12a001
