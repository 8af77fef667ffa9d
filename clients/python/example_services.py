#!/usr/bin/python3
"""Calls every service of an Aria server: auth, planner, queue, data, secrets.

With auth on, log in as an admin (secrets need the admin role):
    ARIA_USER=admin ARIA_PASSWORD=... /usr/bin/python3 example_services.py
With auth off (`npm start` in the repository root) no login is needed.
ARIA_SERVER=host:port chooses the server (default 127.0.0.1:50051).
"""
import os

from aria_client import AriaClient

STATE = {
    "loc": {"alice": "home_a", "bob": "home_b", "taxi1": "park", "taxi2": "station"},
    "cash": {"alice": 20, "bob": 15},
    "owe": {"alice": 0, "bob": 0},
}


def main():
    client = AriaClient(username=os.environ.get("ARIA_USER"), password=os.environ.get("ARIA_PASSWORD"))
    try:
        # Auth: who the server thinks we are.
        user, role, authenticated = client.whoami(timeout=10)
        print("auth:", "%s (%s)" % (user, role) if authenticated else "off")

        # Planner: one problem, planned now.
        plan = client.plan("simple_htn", STATE, [["travel", "alice", "park"]], timeout=10)
        print("planner:", "%d steps" % len(plan) if plan is not False else "no_plan")

        # Queue: two problems planned in the background; wait for the job to end.
        job = client.submit_job("simple_htn", [
            {"state": STATE, "todo": [["travel", "alice", "park"]]},
            {"state": STATE, "todo": [["travel", "bob", "park"]]},
        ], timeout=10)
        done = client.wait_job(job.id, timeout=60)
        plans = AriaClient.job_plans(done)
        print("queue:", AriaClient.job_state(done),
              " ".join("plan" if isinstance(p, list) else "no_plan" if p is False else p for p in plans))

        # Data: the plan history has our planning call.
        history = client.plan_history(domain_name="simple_htn", limit=10, timeout=10)
        print("data:", "simple_htn in the plan history" if history else "no plan history")

        # Secrets: a fresh secret, written and read back.
        client.delete_secret("examples/greeting", timeout=10)
        written = client.put_secret("examples/greeting", "hello", cas=0, timeout=10)
        _, value = client.get_secret("examples/greeting", timeout=10)
        print("secrets: version %d: %s" % (written.version, value.decode()))
    finally:
        client.close()


if __name__ == "__main__":
    main()
