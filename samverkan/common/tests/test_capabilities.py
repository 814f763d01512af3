"""The capability registry: what an app gets by registering, and nothing the core has to change."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import format_html

from samverkan.common import capabilities as registry
from samverkan.common.capabilities import Capability, DemoLoader, KeyFigure

DEMO_CALLS: list[str] = []


def _probe_panel(request: Any, association: Any) -> str:
    return format_html('<section class="probe-panel">Provpanelen för {}</section>', association.name)


def _probe_figures(association: Any) -> list[KeyFigure]:
    return [KeyFigure("Provsiffra", 4711, "från provförmågan")]


def _probe_demo(*, associations: list[Any], stdout: Any = None) -> None:
    DEMO_CALLS.append(f"probe:{len(associations)}")


PROBE = Capability(
    key="rapporter",  # replaces the planned "Rapporter och data kommer"
    label="Provverkstad",
    summary="En förmåga som bara finns i testet.",
    order=15,
    app="samverkan.tests_probe",
    url_name="tenancy:settings",  # any page that takes the association's slug
    start_panel=_probe_panel,
    key_figures=_probe_figures,
    demo=DemoLoader(load=_probe_demo, after=("matning",)),
)


@pytest.fixture
def probe() -> Iterator[Capability]:
    registry.register(PROBE)
    try:
        yield PROBE
    finally:
        registry.unregister(PROBE.key)
        DEMO_CALLS.clear()


def test_adding_a_capability_is_only_installed_apps(actors, probe) -> None:
    # What an app's ready() registers shows in the navigation, the start page's list, its figures and its panel,
    # in its order, and replaces the planned capability of the same key: no template or core module changes.
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    assert "Provpanelen för Samordningsförbundet Alfa" in html
    assert "<dt>Provsiffra</dt><dd>4711</dd>" in html and "från provförmågan" in html
    assert "En förmåga som bara finns i testet." in html
    settings_url = reverse("tenancy:settings", args=["alfa"])
    assert html.count(f'href="{settings_url}">Provverkstad') == 2  # the navigation and the start page
    assert "Årsrapport som PDF" not in html  # the planned summary is replaced
    # Its order: after Mät (10), before the planned ones.
    assert html.index(">Mät") < html.index(">Provverkstad") < html.index(">Insatser och deltagare")
    # Built now, so no "kommer" page for it any longer.
    response = actors.client_for(actors.member).get(reverse("tenancy:coming", args=["alfa", "rapporter"]))
    assert response.status_code == 404


def test_navigation_is_built_only_from_the_registry(actors) -> None:
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    for capability in registry.all_capabilities():
        assert str(capability.label) in html
    keys = [c.key for c in registry.all_capabilities()]
    assert keys == ["matning", "workshop", "insatser", "samhallsekonomi", "samverkanskarta", "rapporter"]
    assert [c.key for c in registry.installed_capabilities()] == [
        "matning",
        "workshop",
        "insatser",
        "samhallsekonomi",
        "samverkanskarta",
    ]
    assert "rapporter" not in {c.key for c in registry.installed_capabilities()}


def test_load_demo_runs_each_capabilitys_demo_after_the_ones_it_depends_on(db, probe) -> None:
    order = [c.key for c in registry.demo_order()]
    assert order[0] == "matning" and "rapporter" in order
    # Declared in the other order, a dependency still comes first.
    early = Capability("tidig", "Tidig", "", order=1, demo=DemoLoader(load=_probe_demo, after=("rapporter",)))
    order = [c.key for c in registry.demo_order([early, *registry.installed_capabilities()])]
    assert order.index("matning") < order.index("rapporter") < order.index("tidig")
    call_command("load_demo", stdout=io.StringIO())
    assert DEMO_CALLS == ["probe:3"]  # the tenants' three associations, loaded before any capability


def test_a_demo_needing_a_capability_that_is_not_installed_is_a_clear_error() -> None:
    orphan = Capability("ensam", "Ensam", "", demo=DemoLoader(load=_probe_demo, after=("saknas",)))
    with pytest.raises(ImproperlyConfigured, match="'saknas', which is not installed"):
        registry.demo_order([orphan])
    looping = [
        Capability("a", "A", "", demo=DemoLoader(load=_probe_demo, after=("b",))),
        Capability("b", "B", "", demo=DemoLoader(load=_probe_demo, after=("a",))),
    ]
    with pytest.raises(ImproperlyConfigured, match="depends on itself"):
        registry.demo_order(looping)


def test_two_apps_cannot_register_the_same_capability_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="registered by both"):
        registry.register(Capability("matning", "Annan mätning", "", app="samverkan.other"))
    assert registry.capability_by_key("matning").app == "samverkan.measure"  # type: ignore[union-attr]


def test_openapi_lists_the_routers_capabilities_registered(client, db) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/association" in paths
    assert any(p.startswith("/api/measure/") for p in paths)
