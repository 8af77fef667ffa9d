#!/usr/bin/python3
"""Plans the blocks-world Sussman anomaly on an Aria server over gRPC.

Start a server (`npm start` in the repository root: auth off), then run:
    /usr/bin/python3 generate.py          # once: the generated client
    /usr/bin/python3 example_sussman.py   # ARIA_SERVER=host:port to choose the server
With auth on, set ARIA_USER and ARIA_PASSWORD (a login session) or ARIA_TOKEN.
"""
import json
import os

from aria_client import AriaClient

# Block c sits on a; a and b are on the table. Goal: a on b, b on c.
STATE = {
    "pos": {"c": "a", "a": "table", "b": "table"},
    "clear": {"c": True, "a": False, "b": True},
    "holding": {"hand": False},
}
GOAL = {"__multigoal__": "sussman", "vars": {"pos": {"a": "b", "b": "c"}}}


def main():
    # ARIA_SERVER, ARIA_TOKEN: read by AriaClient; ARIA_USER, ARIA_PASSWORD: a login session.
    client = AriaClient(username=os.environ.get("ARIA_USER"), password=os.environ.get("ARIA_PASSWORD"))
    try:
        plan = client.plan("blocks_htn", STATE, [["achieve", GOAL]], timeout=10)
        print(json.dumps({"status": "plan" if plan is not False else "no_plan", "plan": plan or []}))
    finally:
        client.close()


if __name__ == "__main__":
    main()
