"""Run a command and report its peak resident size: ``python peak_rss.py REPORT COMMAND...``.

A child's ``ru_maxrss`` (from ``wait4``) includes the resident size of the process it was
forked from, as it was when the child called exec: measured straight from pytest (150-200 MiB),
every command would seem that large. This small process (a few MiB) runs the command instead,
and writes its exit status and peak (MiB) to REPORT; the command's output goes where it goes.
"""

import json
import os
import subprocess
import sys


def main() -> None:
    report, command = sys.argv[1], sys.argv[2:]
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    with open(report, "w") as out:
        json.dump({"status": os.waitstatus_to_exitcode(status), "peak_mib": usage.ru_maxrss / 1024}, out)


if __name__ == "__main__":
    main()
