#!/usr/bin/env bash
# Acceptance tests against the real clouds. They run only with credentials
# and the ids of real objects to act on in the environment; otherwise they
# are skipped. They change real resources: use a test account.
#   Huawei:  HW_ACCESS_KEY HW_SECRET_KEY HW_REGION_NAME CLOUDLOCK_LIVE_SMS_TASK_ID
#   Alibaba: ALICLOUD_ACCESS_KEY ALICLOUD_SECRET_KEY ALICLOUD_REGION
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ -z "${HW_ACCESS_KEY:-}${ALICLOUD_ACCESS_KEY:-}" ]; then
  echo "testacc-live: no cloud credentials in the environment; skipped"
  exit 0
fi
CLOUDLOCK_LIVE=1 TF_ACC=1 go test ./... -count=1 -run 'TestLive' -v -timeout 60m
