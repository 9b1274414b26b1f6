"""Runs the Python example of the workspace README against a fresh stand-in server, with only the
built wheel installed (no test dependencies): `python readme_example.py <README.md> <standin>`."""

from __future__ import annotations

import os
import re
import subprocess
import sys


def main() -> int:
    readme, standin = sys.argv[1], sys.argv[2]
    text = open(readme, encoding="utf-8").read()
    section = text[text.index("## Python"):]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    if not blocks:
        print("no ```python block in the README's Python section", file=sys.stderr)
        return 1
    server = subprocess.Popen([standin], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        os.environ.update({
            "AIRBYTE_URL": line.removeprefix("listening on "),
            "AIRBYTE_CLIENT_ID": "standin-client", "AIRBYTE_CLIENT_SECRET": "standin-secret",
        })
        exec(compile(blocks[0], "README.md (Python example)", "exec"), {"__name__": "__main__"})
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)
    print(f"README example ok on Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
