"""The `leadpipe` command as a user runs it: in a subprocess, without the test's own settings."""

import os
import subprocess
import sys
from pathlib import Path

LEADPIPE = str(Path(sys.executable).parent / "leadpipe")


def leadpipe(*args: str, cwd: Path, **settings: str) -> subprocess.CompletedProcess:
    """Run `leadpipe ARGS` in `cwd` with only the LEADPIPE_* settings given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADPIPE_")} | settings
    return subprocess.run(
        [LEADPIPE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
