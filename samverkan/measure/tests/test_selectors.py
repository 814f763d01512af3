"""One lookup each: a round of the association (or 404), and an association or round named in a command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404

from samverkan.measure import selectors
from samverkan.measure.tests.factories import open_campaign


def test_another_associations_round_is_not_found_by_the_one_campaign_lookup(actors) -> None:
    mine = open_campaign(actors.association, name="Vår")
    theirs = open_campaign(actors.other_association, name="Deras")
    found = selectors.campaign_for_association_or_404(actors.association, mine.pk)
    assert found == mine and found.association.name == actors.association.name and found.instrument.pk
    with pytest.raises(Http404):
        selectors.campaign_for_association_or_404(actors.association, theirs.pk)


def test_a_command_naming_an_unknown_association_or_round_gets_one_swedish_sentence(actors) -> None:
    open_campaign(actors.association, name="Hösten")
    with pytest.raises(selectors.NotFound, match=r"Förbundet ”finns-inte” finns inte\."):
        selectors.association_by_slug("finns-inte")
    with pytest.raises(selectors.NotFound, match=r"Mätomgången ”Våren” finns inte i .* Finns: Hösten\."):
        selectors.campaign_by_name(actors.association, "Våren")
    assert selectors.campaign_by_name(actors.association, "Hösten").name == "Hösten"
    slug = actors.association.slug
    for command, options in [
        ("export_results", {"association": slug, "campaign": "Våren", "format": "json"}),
        ("export_codebook", {"association": slug, "campaign": "Våren"}),
        ("import_responses", {"association": slug, "campaign": "Våren"}),
        ("refresh_results", {"association": "finns-inte"}),
    ]:
        args = ["svar.csv"] if command == "import_responses" else []
        with pytest.raises(CommandError, match="finns inte"):
            call_command(command, *args, stdout=StringIO(), stderr=StringIO(), **options)
