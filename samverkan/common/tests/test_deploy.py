"""Production settings: `manage.py check --deploy` is silent, and a missing secret stops the start.

Each case runs manage.py in a fresh process, because settings are read once
at import and the test process itself runs with the development defaults.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _environment(**overrides: str) -> dict[str, str]:
    """The parent's environment without any DJANGO_* value, plus the overrides.

    DATABASE_URL is kept, so on CI the check runs against PostgreSQL too.
    """
    base = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    base.pop("PYTEST_CURRENT_TEST", None)
    base["DJANGO_SETTINGS_MODULE"] = "samverkan.settings"
    return {**base, **overrides}


def _production_environment(**overrides: str) -> dict[str, str]:
    # No "$": django-environ would read a value starting with it as a reference to another variable.
    alphabet = string.ascii_letters + string.digits + "!#%()*+,-./:;<=>?@[]^_{|}~"
    production = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "DJANGO_ALLOWED_HOSTS": "samverkan.example.se",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://samverkan.example.se",
        "DJANGO_HSTS_SECONDS": "31536000",
    }
    return _environment(**{**production, **overrides})


def _manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_silent_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_environment())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper(), output
    assert "no issues" in result.stdout, output


def test_deploy_check_is_silent_behind_a_tls_terminating_proxy() -> None:
    env = _production_environment(DJANGO_BEHIND_PROXY="true")
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper(), output


def test_deploy_check_does_flag_the_development_defaults() -> None:
    # Proves the check above can fail: the demo set-up (DEBUG on) is not fit for production.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_environment())
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W018" in output, output  # DEBUG is on


def test_development_defaults_still_pass_the_ordinary_check() -> None:
    # `make demo` runs with no environment at all: DEBUG on, the development key, SQLite.
    result = _manage("check", env=_environment())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_environment()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false" in result.stderr


def test_production_refuses_an_empty_secret_key() -> None:
    result = _manage("check", env=_production_environment(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false" in result.stderr


def test_production_refuses_the_development_key() -> None:
    from samverkan import settings as project_settings

    env = _production_environment(DJANGO_SECRET_KEY=project_settings._DEV_SECRET)
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "must not be the development key" in result.stderr


def test_the_wsgi_module_loads_every_view_without_touching_the_database() -> None:
    """gunicorn preloads samverkan.wsgi in its master before forking: a database connection opened
    there would be shared by every worker, so importing it must not open one."""
    import subprocess
    import sys

    code = (
        "import samverkan.wsgi, sys\n"
        "from django.db import connections\n"
        "assert all(connections[a].connection is None for a in connections), 'connection opened'\n"
        "assert 'scipy.stats' in sys.modules, 'views not loaded'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _setting(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_behind_the_proxy_the_client_address_is_read_from_one_proxy_by_default() -> None:
    assert _setting("SAMVERKAN_PROXY_COUNT", _production_environment()).stdout.strip() == "0"
    behind = _production_environment(DJANGO_BEHIND_PROXY="true")
    assert _setting("SAMVERKAN_PROXY_COUNT", behind).stdout.strip() == "1"
    two = _production_environment(DJANGO_BEHIND_PROXY="true", DJANGO_PROXY_COUNT="2")
    assert _setting("SAMVERKAN_PROXY_COUNT", two).stdout.strip() == "2"


def test_a_negative_proxy_count_refuses_to_start() -> None:
    result = _manage("check", env=_production_environment(DJANGO_PROXY_COUNT="-1"))
    assert result.returncode != 0
    assert "DJANGO_PROXY_COUNT cannot be negative" in result.stderr


def test_postgresql_connections_give_up_after_the_connect_timeout() -> None:
    env = _production_environment(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert _setting("DATABASES['default']['OPTIONS']['connect_timeout']", env).stdout.strip() == "5"
    env["DATABASE_CONNECT_TIMEOUT"] = "2"
    assert _setting("DATABASES['default']['OPTIONS']['connect_timeout']", env).stdout.strip() == "2"
