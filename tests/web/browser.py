"""What the real-browser tests share: `spbe-arch serve` in a subprocess on a prepared store,
Debian's chromium driven by Playwright (never a downloaded browser), a page that refuses
every request leaving the server, and signing in through the form.

Used by tests/web/test_browser.py (journeys) and tests/web/test_accessibility.py (axe).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tests.web.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts" / "web"


@dataclass
class Server:
    origin: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Traffic:
    """Every request the browser made, and the ones that would have left the server."""

    origin: str
    seen: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """Answers with an HTTP error status (a download shows up as an aborted request in
    Chromium, so aborted requests are not failures)."""
    console: list[str] = field(default_factory=list)
    """JavaScript errors and refusals of the Content-Security-Policy."""

    def local(self, url: str) -> bool:
        return url.startswith((self.origin + "/", "data:", "blob:", "about:"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(folder: Path, store: Path, tokens_file: Path, token: str,
            *extra_args: str) -> Iterator[Server]:
    """`spbe-arch serve` on 127.0.0.1 over `store` until the block ends; its output in
    `folder/server.log` (shown when it does not start)."""
    port = free_port()
    log = folder / "server.log"
    env = {**os.environ, "SPBE_STORE": f"oxigraph:{store}", "SPBE_TOKENS_FILE": str(tokens_file),
           "SPBE_QUERY_WORKERS": "1", "SPBE_REPORTS_DIR": str(folder / "laporan")}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "spbe_arch", "serve", "--host", "127.0.0.1", "--port",
             str(port), *extra_args], env=env, stdout=out, stderr=subprocess.STDOUT)
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{origin}/ui/masuk", timeout=5) as answer:
                if answer.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"spbe-arch serve did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)
    try:
        yield Server(origin, token, process, log)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing (/usr/bin/chromium): run scripts/test, which"
                    " installs the packages of scripts/apt-packages.txt, or"
                    " `apt-get install chromium`. The browser tests never download a browser.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def open_page(browser: Any, server: Server, traffic: Traffic) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  accept_downloads=True, locale="id-ID")

    def guard(route: Any) -> None:
        url = route.request.url
        if traffic.local(url):
            route.continue_()
        else:
            traffic.foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: traffic.seen.append(request.url))
    page.on("console", lambda message: traffic.console.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: traffic.console.append(str(error)))
    page.on("response", lambda response: traffic.failed.append(
        f"{response.status} {response.url}") if response.status >= 400 else None)
    page.set_default_timeout(60_000)
    return page


def sign_in(page: Any, server: Server, token: str | None = None) -> None:
    """Sign in with the server's token, or with `token`."""
    page.goto(server.origin + "/ui/masuk")
    page.fill("#token", token or server.token)
    page.click("main form.stack button[type=submit]")
    page.wait_for_selector(".account .who")
