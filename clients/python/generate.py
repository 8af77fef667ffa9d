#!/usr/bin/python3
"""Generates the Python gRPC client of every Aria service into ./generated.

Uses Debian's python3-grpc-tools (grpc_tools.protoc) on the repository's
proto/ folder. Run with the system interpreter: /usr/bin/python3 generate.py
"""
import os
import pathlib
import sys

from grpc_tools import protoc
import grpc_tools

HERE = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto"
OUT = HERE / "generated"
# Every service: planner, queue, auth, secrets, data.
FILES = sorted(str(p.relative_to(PROTO_ROOT)) for p in PROTO_ROOT.glob("aria/*/v1/*.proto"))


def main() -> int:
    OUT.mkdir(exist_ok=True)
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={OUT}",
        f"--grpc_python_out={OUT}",
        *FILES,
    ]
    code = protoc.main(args)
    if code != 0:
        print(f"generate.py: protoc failed ({code})", file=sys.stderr)
        return code
    print(f"generate.py: wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
