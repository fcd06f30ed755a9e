"""What `spbe-arch` loads before it runs a command."""

from __future__ import annotations

import subprocess
import sys


def test_the_command_line_starts_without_the_heavy_engines() -> None:
    # every command paid for the web stack, pySHACL and openpyxl at start (1.1 s for
    # `--help` on the build machine, 0.5 s without them): they load with their commands
    heavy = ("fastapi", "uvicorn", "pyshacl", "openpyxl")
    probe = ("import sys, spbe_arch.cli; from typer.main import get_command;"
             " get_command(spbe_arch.cli.app);"
             f" print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.split()
    assert loaded == []
