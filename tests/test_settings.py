"""The portal refuses to run in production without a real secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_check(*command: str, **env_overrides: str) -> subprocess.CompletedProcess[str]:
    """Loads the WSGI application, as gunicorn and runserver do, or runs a command."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        list(command) or [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_debug_off_without_secret_refuses_to_start():
    result = run_check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_with_a_development_key_refuses_to_start():
    result = run_check(DEBUG="false", SECRET_KEY="dev-short")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_debug_off_with_a_real_secret_starts():
    result = run_check(DEBUG="false", SECRET_KEY="x7" * 30, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


def test_management_commands_run_without_a_secret():
    result = run_check(sys.executable, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
