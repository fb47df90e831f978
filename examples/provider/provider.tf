terraform {
  required_providers {
    cloudlock = {
      source = "cloudlock/cloudlock"
    }
  }
}

# Credentials usually come from the environment (HW_ACCESS_KEY, HW_SECRET_KEY,
# ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY, ...); a cloud's credentials are
# needed only when a type of that cloud is used.
provider "cloudlock" {
  huaweicloud {
    region = "cn-north-4"
    # project_id is looked up through IAM when unset.
  }

  alicloud {
    region = "cn-hangzhou"
  }

  max_retries = 5
}
