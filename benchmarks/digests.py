"""One SHA-256 per shipped scenario of its ``simstart run --json`` output (all languages).

    python benchmarks/digests.py              # prints `digest  name` lines, then a total
    python benchmarks/digests.py > before.txt # … change the code …
    python benchmarks/digests.py | diff before.txt -

A refactoring that keeps behaviour identical leaves every line unchanged: the traces are
byte-identical. It runs the real command (``python -m simstart run NAME --json``, and the same
with ``--lang zh``) in a subprocess, so what is compared is exactly what a user gets.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def _run(*args: str) -> bytes:
    # Exit 1 means "expectations do not hold" and is still a trace; 2 would be bad input.
    done = subprocess.run([sys.executable, "-m", "simstart", *args], capture_output=True,
                          check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"simstart {' '.join(args)}: exit {done.returncode}: {done.stderr.decode()}")
    return done.stdout


def main() -> int:
    names = [line.split()[0] for line in _run("list").decode().splitlines() if line.strip()]
    with ThreadPoolExecutor(max_workers=2) as pool:  # two subprocesses at a time
        traces = pool.map(lambda args: _run(*args), [("run", n, "--json", "--lang", lang)
                                                     for n in names for lang in ("en", "zh")])
        total = hashlib.sha256()
        for name in names:
            h = hashlib.sha256()
            h.update(next(traces))
            h.update(next(traces))
            total.update(h.digest())
            print(f"{h.hexdigest()[:16]}  {name}")
    print(f"{total.hexdigest()[:16]}  TOTAL ({len(names)} scenarios)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
