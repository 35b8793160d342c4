"""Serve a folder over HTTP on the loopback interface: the one helper the bench and the tests share.

The server runs in its own process (``python -m bench.serve DIR``), so that
a timed page load never waits for the measuring process to release the GIL.
It binds ``127.0.0.1`` on a port the system picks and prints that port on
its first line, so there is no race for a "free" port and no polling: once
the line is read, the server accepts connections.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of one folder, no log line per request (it would only add noise to timings)."""

    def log_message(self, format: str, *args: object) -> None:
        """Say nothing."""


@contextlib.contextmanager
def http_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on ``127.0.0.1``; yield the base URL (no trailing slash)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", str(directory)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"the HTTP server for {directory} did not start ({line!r})")
        yield f"http://127.0.0.1:{line}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def main(argv: list[str] | None = None) -> int:
    """Serve the folder until terminated; the port goes to standard output first."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    handler = functools.partial(QuietHandler, directory=str(args.directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        print(server.server_address[1], flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
