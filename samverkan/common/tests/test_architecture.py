"""The platform's shape: the core knows no capability, pure modules load no Django.

The core is common, accounts, tenancy, jobs and the project's urls.py and api.py. A
capability (Mät today) plugs in through the registry in common/capabilities.py
from its own AppConfig.ready(); see test_capabilities.py for what it gives.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from samverkan.common.capabilities import installed_capabilities

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "samverkan"
CORE_APPS = ("tenancy", "accounts", "common", "jobs")
CORE_PROJECT_MODULES = ("api.py", "urls.py")
PURE_MODULES = (
    "samverkan.measure.stats",
    "samverkan.measure.disclosure",
    "samverkan.measure.ring_geometry",
    "samverkan.accounts.codes",
    "samverkan.interventions.portfolio_shares",
    "samverkan.interventions.portfolio_chart",
    "samverkan.interventions.outcomes",
    "samverkan.workshops.wordcloud",
    "samverkan.workshops.grouping",
    "samverkan.workshops.narrative_text",
    "samverkan.network.directory_text",
    "samverkan.network.metrics",
    "samverkan.network.network_map",
    "samverkan.economics.price_data",
    "samverkan.economics.scenario_format",
    "samverkan.economics.calc",
    "samverkan.economics.charts",
    "samverkan.economics.scenario_check",
    "samverkan.network.hsds_schema",
    "samverkan.economics.integration_chart",
)


def _core_files() -> list[Path]:
    files = [PACKAGE / name for name in CORE_PROJECT_MODULES]
    for app in CORE_APPS:
        files += [p for p in (PACKAGE / app).rglob("*.py") if "tests" not in p.relative_to(PACKAGE / app).parts]
    return sorted(files)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """Every module the file imports (relative imports resolved), with its line."""
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            # importlib.import_module("samverkan.measure...") would hide an import from the check above.
            found += [
                (node.lineno, arg.value)
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return found


def _capability_apps() -> set[str]:
    return {"samverkan.measure"} | {c.app for c in installed_capabilities() if c.app}


def test_core_modules_import_no_capability_app() -> None:
    forbidden = _capability_apps()
    files = _core_files()
    assert len(files) > 20  # the walk found the core (a wrong root would pass trivially)
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in files
        for line, name in _imported_modules(path)
        if any(name == app or name.startswith(app + ".") for app in forbidden)
    ]
    assert offences == []


def test_the_architecture_check_sees_a_capability_import_in_any_form(tmp_path: Path) -> None:
    # The check itself: plain, from-, relative and importlib imports of a capability are all caught.
    probe = tmp_path / "probe.py"
    probe.write_text(
        textwrap.dedent(
            """
            import samverkan.measure.stats
            from samverkan.measure import selectors
            from ..measure.results_views import start_page_summary
            from .. import measure
            import importlib
            importlib.import_module("samverkan.measure.api")
            """
        ),
        encoding="utf-8",
    )
    names = [name for _line, name in _imported_modules(probe, "samverkan.tenancy.probe")]
    assert "samverkan.measure.stats" in names
    assert "samverkan.measure" in names and "samverkan.measure.results_views" in names
    assert "samverkan.measure.api" in names


def test_core_templates_name_no_capability_url_or_template() -> None:
    # The start page, the navigation and the shared templates reach a capability only through the registry.
    templates = list((PACKAGE / "templates").rglob("*.html"))
    assert templates
    offences = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for app in _capability_apps():
            label = app.rpartition(".")[2]
            for needle in (f"'{label}:", f'"{label}:', f'"{label}/', f"'{label}/"):
                if needle in text:
                    offences.append(f"{path.relative_to(ROOT)} names {needle}")
    assert offences == []


def _fresh_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.pop("PYTHONPATH", "")])), **env},
    )


def test_the_core_runs_with_no_capability_installed(tmp_path: Path) -> None:
    # A fresh interpreter with every capability app removed from INSTALLED_APPS: the URLs, the API, the start
    # page and load_demo work, the planned capabilities show as "kommer", and no capability module is loaded.
    (tmp_path / "core_only_settings.py").write_text(
        "from samverkan.settings import *  # noqa: F403\n"
        f"INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in {sorted(_capability_apps())!r}]  # noqa: F405\n",
        encoding="utf-8",
    )
    result = _fresh_python(
        f"""
        import io, sys, django
        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse
        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        from samverkan.common.factories import MembershipFactory
        membership = MembershipFactory(association__slug="alfa")
        client = Client()
        client.force_login(membership.user)
        page = client.get(reverse("tenancy:start", args=["alfa"]))
        assert page.status_code == 200, page.status_code
        html = page.content.decode()
        assert "Samverkanskarta" in html and "kommer" in html, html
        schema = client.get("/api/openapi.json")
        assert schema.status_code == 200, schema.status_code
        assert "/api/association" in schema.json()["paths"]
        apps = {sorted(_capability_apps())!r}
        loaded = sorted(m for m in sys.modules if any(m == a or m.startswith(a + ".") for a in apps))
        print("LOADED", loaded)
        """,
        PYTHONPATH=str(tmp_path),
        DJANGO_SETTINGS_MODULE="core_only_settings",
        DATABASE_URL="sqlite://:memory:",
        TASKS_BACKEND="immediate",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOADED []" in result.stdout, result.stdout


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_load_no_django(module: str) -> None:
    result = _fresh_python(
        f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))",
        DJANGO_SETTINGS_MODULE="",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"


def test_asking_for_the_capabilities_before_django_is_set_up_is_refused_not_silently_empty() -> None:
    # A URLconf or API built before every ready() ran would lack Mät's pages; the registry refuses instead.
    result = _fresh_python(
        """
        from django.core.exceptions import AppRegistryNotReady
        from samverkan.common.capabilities import installed_capabilities
        try:
            installed_capabilities()
        except AppRegistryNotReady:
            print("REFUSED")
        """,
        DJANGO_SETTINGS_MODULE="samverkan.settings",
    )
    assert result.stdout.strip() == "REFUSED", result.stderr[-3000:]
