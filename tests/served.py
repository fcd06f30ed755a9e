"""An app served the way `spbe-arch serve` serves it (uvicorn, `server_config`), on a free
loopback port in a thread of the test process: for tests that need real HTTP clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from spbe_arch.cli.serve import server_config


@contextmanager
def served(app: Any, **options: Any) -> Iterator[str]:
    """The base URL of `app` while the block runs; `options` go to uvicorn's config as
    `spbe-arch serve` passes them (e.g. `forwarded_allow_ips`)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="warning",
                                          **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
