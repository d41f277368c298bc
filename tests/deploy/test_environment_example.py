"""deploy/portal.env.example, loaded as systemd's EnvironmentFile and compose's env_file load
it (every line ``NAME=value``, empty values included), must let gunicorn start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "portal.env.example"


def example_environment() -> dict[str, str]:
    environment = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _equals, value = line.partition("=")
            environment[name.strip()] = value
    return environment


def test_gunicorn_reads_its_configuration_with_the_example_as_it_is():
    environment = {**os.environ, **example_environment(), "DJANGO_SECRET_KEY": "x" * 50}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    checked = subprocess.run(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "--check-config", "cnrs_intl.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
