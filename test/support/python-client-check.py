#!/usr/bin/python3
"""Drives clients/python's AriaClient against a server with auth on and
prints what it saw as one JSON object (test/cli/grpc-clients.test.ts checks it).

Usage: python-client-check.py <clients/python dir> <address> <admin password>
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from aria_client import AriaClient  # noqa: E402

ADDRESS, ADMIN_PASSWORD = sys.argv[2], sys.argv[3]
PW = "a long enough password"
STATE = {"loc": {"alice": "home_a", "bob": "home_b", "taxi1": "park", "taxi2": "station"},
         "cash": {"alice": 20, "bob": 15}, "owe": {"alice": 0, "bob": 0}}
TODO = [["travel", "alice", "park"]]


def code_of(fn):
    try:
        fn()
        return "OK"
    except grpc.RpcError as e:
        return e.code().name


out = {}
anonymous = AriaClient(ADDRESS, token="")
out["anonymous"] = code_of(anonymous.list_domains)
out["wrong_password"] = code_of(lambda: AriaClient(ADDRESS).login("admin", "not the password"))

admin = AriaClient(ADDRESS)
out["login"] = admin.login("admin", ADMIN_PASSWORD, timeout=10).user.username
out["whoami"] = list(admin.whoami(timeout=10))
created = admin.create_user("py-planner", PW, "planner", timeout=10)
out["created"] = created.username
# disabled=False is a change that keeps the role (the oneof tells it from "unset").
updated = admin.update_user("py-planner", disabled=False, timeout=10)
out["updated"] = [updated.role == 2, updated.disabled]

# A session from the constructor: logs in on the first call.
planner = AriaClient(ADDRESS, username="py-planner", password=PW)
out["planner_plan"] = planner.plan("simple_htn", STATE, TODO, timeout=10)
out["planner_whoami"] = list(planner.whoami(timeout=10))
out["planner_secrets"] = code_of(lambda: planner.get_secret("examples/none", timeout=10))

# Refresh now: a new access token that works.
before = admin.tokens.access_token
admin.refresh(timeout=10)
out["refreshed"] = admin.tokens.access_token != before
out["after_refresh"] = admin.whoami(timeout=10)[0]

# A session whose token is always "about to expire": every call refreshes first.
auto = AriaClient(ADDRESS, username="admin", password=ADMIN_PASSWORD, refresh_margin_s=10 ** 12)
auto.whoami(timeout=10)
first = auto.tokens.access_token
auto.whoami(timeout=10)
out["auto_refresh"] = auto.tokens.access_token != first

# A fixed token.
fixed = AriaClient(ADDRESS, token=admin.tokens.access_token)
out["fixed_token"] = fixed.whoami(timeout=10)[0]

# Queue, data, secrets.
job = admin.submit_job("simple_htn", [{"state": STATE, "todo": TODO}, {"state": STATE, "todo": [["travel", "alice", "nowhere"]]}], timeout=10)
done = admin.wait_job(job.id, timeout=60)
out["job"] = [AriaClient.job_state(done), AriaClient.job_plans(done)]
out["history"] = any(r.domain_name == "simple_htn" for r in admin.plan_history(domain_name="simple_htn", timeout=10))
admin.delete_secret("check/key", timeout=10)
out["secret_put"] = admin.put_secret("check/key", "v1", cas=0, timeout=10).version
out["secret_cas0_again"] = code_of(lambda: admin.put_secret("check/key", "v2", cas=0, timeout=10))
out["secret_get"] = admin.get_secret("check/key", timeout=10)[1].decode()
out["domains"] = "simple_htn" in admin.list_domains(timeout=10)
for c in (anonymous, admin, planner, auto, fixed):
    c.close()
print(json.dumps(out))
