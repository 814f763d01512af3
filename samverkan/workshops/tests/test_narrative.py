"""The ramberättelse: versions of every change, comparing two, statements that become questionnaire items,
their results beside them with the suppression rule, roles and tenants."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.common.errors import ServiceError
from samverkan.measure import services as measure_services
from samverkan.measure.models import Campaign, Instrument, InstrumentKind, Item
from samverkan.measure.tests.factories import open_campaign, participant_instrument, submit
from samverkan.tenancy.models import Association
from samverkan.workshops import narrative as services
from samverkan.workshops.demo_narrative import DEMO_THEMES, load_narrative_demo
from samverkan.workshops.models import IStatement, Narrative, NarrativeVersion, Persona
from samverkan.workshops.narrative_selectors import statement_result
from samverkan.workshops.narrative_text import DraftTheme

pytestmark = pytest.mark.django_db


def _url(name: str, association: Association, *args: object) -> str:
    return reverse(f"workshops:{name}", args=[association.slug, *args])


def _start(association: Association, author: object) -> Narrative:
    return services.narrative_start(association=association, author=author, themes=DEMO_THEMES[:3], prompt="Fråga?")


def _visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The draft and the page


def test_the_draft_lists_the_themes_it_is_given(actors) -> None:
    themes = [DraftTheme("Korta kontaktvägar", "Att veta vem man ringer.", ["Jag vet vart jag kan ringa."])]
    narrative = services.narrative_start(association=actors.association, author=actors.admin, themes=themes)
    assert "### Korta kontaktvägar" in narrative.text and "”Jag vet vart jag kan ringa.”" in narrative.text
    assert narrative.version == 1
    assert narrative.versions.get().change == "Utkast från workshopens teman"


def test_starting_from_the_page_makes_version_one_from_the_demo_themes(actors) -> None:
    client = actors.client_for(actors.analyst)
    page = client.get(_url("narrative", actors.association))
    assert "Ingen ramberättelse ännu" in page.content.decode() and "Starta från utkastet" in page.content.decode()
    response = client.post(_url("narrative_start", actors.association))
    assert response.status_code == 302
    narrative = Narrative.objects.get(association=actors.association)
    assert DEMO_THEMES[0].label in narrative.text
    version = narrative.versions.get()
    assert version.number == 1 and version.author == actors.analyst
    # A second start is refused, the narrative is untouched.
    client.post(_url("narrative_start", actors.association))
    assert Narrative.objects.filter(association=actors.association).count() == 1


def test_narrative_text_is_rendered_with_light_markup_and_never_as_html(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    services.narrative_update(
        narrative=narrative,
        author=actors.admin,
        title="Vår berättelse <b>fet</b>",
        text="## Rubrik\n\nStycke med <script>alert('x')</script>.\n\n- punkt ett\n- punkt två",
    )
    html = actors.client_for(actors.member).get(_url("narrative", actors.association)).content.decode()
    assert "<h2>Rubrik</h2>" in html and "<li>punkt ett</li>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>fet</b>" not in html


# Versions


def test_every_change_is_kept_as_a_version_with_date_and_author(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    services.narrative_update(narrative=narrative, author=actors.analyst, title="Vår berättelse", text="Ny text.")
    persona = services.persona_add(
        narrative=narrative, author=actors.admin, name="Maria, 34", situation="Sjukskriven.", needs="En plan."
    )
    services.persona_update(persona=persona, author=actors.admin, name="Maria, 35", situation="S.", needs="En plan.")
    statement = services.statement_add(
        narrative=narrative, author=actors.analyst, text="Jag behöver bara berätta min historia en gång."
    )
    services.statement_update(statement=statement, author=actors.analyst, text="Jag berättar min historia en gång.")
    services.statement_delete(statement=statement, author=actors.admin)
    services.persona_delete(persona=persona, author=actors.admin)
    versions = list(NarrativeVersion.objects.filter(narrative=narrative).order_by("number"))
    assert [v.number for v in versions] == list(range(1, 9))
    assert [v.author_name for v in versions] == [
        "Alma Admin",
        actors.analyst.get_full_name(),
        "Alma Admin",
        "Alma Admin",
        actors.analyst.get_full_name(),
        actors.analyst.get_full_name(),
        "Alma Admin",
        "Alma Admin",
    ]
    assert all(v.created_at.date() == timezone.now().date() for v in versions)
    # Each snapshot is the whole narrative as it was right after that change.
    assert versions[1].snapshot["text"] == "Ny text.\n" and versions[1].snapshot["personas"] == []
    assert versions[2].snapshot["personas"] == [{"name": "Maria, 34", "situation": "Sjukskriven.", "needs": "En plan."}]
    assert versions[3].snapshot["personas"][0]["name"] == "Maria, 35"
    assert versions[4].snapshot["statements"] == [
        {"text": "Jag behöver bara berätta min historia en gång.", "item": ""}
    ]
    assert versions[5].snapshot["statements"][0]["text"] == "Jag berättar min historia en gång."
    assert versions[6].snapshot["statements"] == [] and versions[7].snapshot["personas"] == []
    assert Narrative.objects.get(pk=narrative.pk).version == 8


def test_saving_without_a_change_makes_no_version(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    services.narrative_update(narrative=narrative, author=actors.admin, title=narrative.title, text=narrative.text)
    assert narrative.versions.count() == 1


def test_the_author_name_outlives_the_account(actors) -> None:
    narrative = _start(actors.association, actors.analyst)
    name = actors.analyst.get_full_name()
    actors.analyst.delete()
    version = narrative.versions.get()
    assert version.author is None and version.author_name == name


def test_a_stale_edit_does_not_overwrite_a_newer_version_and_keeps_what_was_typed(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    url = _url("narrative_edit", actors.association)
    # Someone else saves version 2 while this analyst still edits version 1.
    services.narrative_update(narrative=narrative, author=actors.admin, title="Titel", text="Adminens text.")
    response = actors.client_for(actors.analyst).post(
        url, {"title": "Titel", "text": "Analytikerns text som inte får försvinna.", "based_on": "1"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "har ändrats (version 2, Alma Admin)" in html
    assert "Analytikerns text som inte får försvinna." in html
    assert Narrative.objects.get(pk=narrative.pk).text == "Adminens text.\n"


def test_edit_form_errors_are_in_swedish_and_keep_the_input(actors) -> None:
    _start(actors.association, actors.admin)
    response = actors.client_for(actors.analyst).post(
        _url("persona_add", actors.association), {"name": "", "situation": "Min situation", "needs": "Stöd"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Detta fält måste fyllas i." in html or "Fältet måste fyllas i." in html
    assert "Min situation" in html
    assert not Persona.objects.exists()


def test_compare_shows_added_and_removed_words_marked_beyond_colour(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    services.narrative_update(
        narrative=narrative, author=actors.admin, title="T", text="Vi samverkar ibland.\n\nGammalt stycke om projekt."
    )
    services.narrative_update(
        narrative=narrative,
        author=actors.analyst,
        title="T",
        text="Vi samverkar alltid.\n\nNytt stycke om ordinarie verksamhet.",
    )
    v2, v3 = (NarrativeVersion.objects.get(narrative=narrative, number=n) for n in (2, 3))
    response = actors.client_for(actors.member).get(
        _url("narrative_compare", actors.association), {"a": v3.pk, "b": v2.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Older first whatever the order asked, dates and authors named.
    assert "Från version 2" in html and "till version 3" in html
    # Word diff inside the changed line; whole lines added and removed; each with a sign and a hidden word.
    assert re.search(r"<del><span class=\"visually-hidden\">\[borttaget: </span>ibland\.", html)
    assert re.search(r"<ins><span class=\"visually-hidden\">\[tillagt: </span>alltid\.", html)
    assert "Borttagen rad:" in html and "Tillagd rad:" in html
    assert 'class="diff-removed"' in html and 'class="diff-added"' in html
    text = _visible_text(html)
    assert "Gammalt stycke om projekt." in text and "Nytt stycke om ordinarie verksamhet." in text


def test_compare_needs_two_versions_of_this_narrative(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    other = _start(actors.other_association, actors.outsider)
    mine = narrative.versions.get()
    theirs = other.versions.get()
    client = actors.client_for(actors.member)
    url = _url("narrative_compare", actors.association)
    assert client.get(url, {"a": mine.pk, "b": theirs.pk}).status_code == 404
    assert client.get(url, {"a": mine.pk}).status_code == 400
    assert client.get(url, {"a": "x", "b": "1e9"}).status_code == 400
    assert client.get(url).status_code == 200


def test_a_version_page_shows_the_narrative_as_it_was(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    services.persona_add(narrative=narrative, author=actors.admin, name="Maria, 34", situation="S", needs="N")
    services.narrative_update(narrative=narrative, author=actors.admin, title="Ny titel", text="Ny text.")
    first = narrative.versions.get(number=1)
    html = (
        actors.client_for(actors.member).get(_url("narrative_version", actors.association, first.pk)).content.decode()
    )
    assert DEMO_THEMES[0].label in html and "Ny text." not in html and "Inga personor i den här versionen." in html


# Statements become items of the participant questionnaire


def test_statement_becomes_a_local_item_of_the_participant_questionnaire_in_one_step(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    statement = services.statement_add(
        narrative=narrative, author=actors.admin, text="Jag behöver bara berätta min historia en gång."
    )
    response = actors.client_for(actors.admin).post(_url("statement_make_item", actors.association, statement.pk))
    assert response.status_code == 302
    statement.refresh_from_db()
    item = statement.item
    assert item is not None and item.is_local and item.kind == "likert" and item.benchmark_key == ""
    assert item.text == "Jag behöver bara berätta min historia en gång."
    instrument = item.instrument
    assert instrument.association == actors.association and instrument.kind == InstrumentKind.PARTICIPANT
    assert instrument.based_on == participant_instrument()
    # The core items came along with their locked wording, so the questionnaire stays comparable.
    assert instrument.items.filter(is_local=False, benchmark_key="participant.1").exists()
    assert narrative.versions.order_by("-number").first().snapshot["statements"][0]["item"] == item.code
    # The shared core questionnaire is untouched.
    assert not participant_instrument().items.filter(is_local=True).exists()


def test_a_questionnaire_used_by_a_round_gets_a_new_version_for_the_next_statement(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    first = services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet vem jag ska ringa.")
    second = services.statement_add(narrative=narrative, author=actors.admin, text="Jag får stöd i tid.")
    item_one = services.statement_make_item(statement=first, author=actors.admin)
    open_campaign(actors.association, name="Deltagare", groups=("participants",), instrument=item_one.instrument)
    item_two = services.statement_make_item(statement=second, author=actors.admin)
    assert item_two.instrument.version == item_one.instrument.version + 1
    assert item_two.instrument.items.filter(code=item_one.code).exists()  # the first item is carried over
    assert not item_one.instrument.items.filter(text="Jag får stöd i tid.").exists()  # the used version is frozen


def test_a_statement_that_is_an_item_cannot_become_one_again_or_be_reworded(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    statement = services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet vem jag ska ringa.")
    services.statement_make_item(statement=statement, author=actors.admin)
    with pytest.raises(ServiceError):
        services.statement_make_item(statement=statement, author=actors.admin)
    assert Item.objects.filter(text="Jag vet vem jag ska ringa.").count() == 1
    response = actors.client_for(actors.analyst).post(
        _url("statement_edit", actors.association, statement.pk), {"text": "Jag vet vem jag ringer."}
    )
    assert response.status_code == 400 and "har redan besvarats" in response.content.decode()
    assert IStatement.objects.get(pk=statement.pk).text == "Jag vet vem jag ska ringa."


def test_deleting_a_statement_keeps_its_item_in_the_questionnaire(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    statement = services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet vem jag ska ringa.")
    item = services.statement_make_item(statement=statement, author=actors.admin)
    actors.client_for(actors.analyst).post(_url("statement_delete", actors.association, statement.pk))
    assert not IStatement.objects.filter(pk=statement.pk).exists()
    assert Item.objects.filter(pk=item.pk).exists()


# Results beside statements, with the suppression rule


def _round_with_answers(
    association: Association, item: Item, values: list[str], *, name: str = "Deltagare"
) -> Campaign:
    today = timezone.localdate()
    campaign = open_campaign(
        association,
        name=name,
        groups=("participants",),
        instrument=item.instrument,
        opens_on=today - timedelta(days=10),
    )
    for value in values:
        submit(campaign, "participants", {"delt_1": "4", item.code: value}, publish_now=False)
    measure_services.campaign_close(campaign=campaign)
    return campaign


def _statement_item(actors, text: str = "Jag behöver bara berätta min historia en gång.") -> tuple[IStatement, Item]:
    narrative = Narrative.objects.filter(association=actors.association).first() or _start(
        actors.association, actors.admin
    )
    statement = services.statement_add(narrative=narrative, author=actors.admin, text=text)
    item = services.statement_make_item(statement=statement, author=actors.admin)
    statement.refresh_from_db()
    return statement, item


def test_the_latest_result_is_shown_beside_the_statement(actors) -> None:
    statement, item = _statement_item(actors)
    _round_with_answers(actors.association, item, ["5", "4", "4", "2", "5", "9"])
    html = actors.client_for(actors.member).get(_url("narrative", actors.association)).content.decode()
    row = html[html.index(f'id="statement-{statement.pk}"') :]
    row = _visible_text(row[: row.index("</tr>")])
    # Five answers on the scale ("vet ej" is no answer): mean 4.0, 80 % agree (4–5).
    assert "4,0 av 5" in row or "4.0 av 5" in row
    assert "80 % instämmer (4–5)" in row and "n = 5" in row and "Deltagare" in row


def test_a_statement_result_with_too_few_answers_says_for_fa_svar_and_shows_no_figure(actors) -> None:
    statement, item = _statement_item(actors)
    # Seven people answered the round, but only three answered this item on the scale.
    _round_with_answers(actors.association, item, ["5", "5", "1", "9", "9", "9", "9"])
    result = statement_result(actors.association, statement)
    assert result is not None and result.suppressed and result.mean is None and result.n == 0
    html = actors.client_for(actors.member).get(_url("narrative", actors.association)).content.decode()
    row = html[html.index(f'id="statement-{statement.pk}"') :]
    row = _visible_text(row[: row.index("</tr>")])
    assert "För få svar (färre än 5)" in row
    assert not re.search(r"\d[,.]\d av 5|n = \d|instämmer", row)


def test_a_round_answered_by_fewer_than_the_minimum_shows_nothing_for_any_statement(actors) -> None:
    statement, item = _statement_item(actors)
    _round_with_answers(actors.association, item, ["5", "5", "4", "4"])
    result = statement_result(actors.association, statement)
    assert result is not None and result.suppressed and result.mean is None


def test_statement_results_read_only_published_answers(actors) -> None:
    statement, item = _statement_item(actors)
    campaign = open_campaign(actors.association, name="Öppen", groups=("participants",), instrument=item.instrument)
    for _ in range(4):  # fewer than the minimum: they wait, sealed, and are not published yet
        submit(campaign, "participants", {item.code: "5"}, publish_now=False)
    result = statement_result(actors.association, statement)
    assert result is not None and not result.has_round
    html = actors.client_for(actors.member).get(_url("narrative", actors.association)).content.decode()
    assert "Ingen mätomgång med svar ännu" in html


def test_the_newest_round_with_answers_gives_the_result(actors) -> None:
    statement, item = _statement_item(actors)
    older = _round_with_answers(actors.association, item, ["1", "1", "2", "1", "2"], name="Våren")
    Campaign.objects.filter(pk=older.pk).update(opens_on=older.opens_on - timedelta(days=60))
    _round_with_answers(actors.association, item, ["5", "5", "4", "5", "5"], name="Hösten")
    result = statement_result(actors.association, statement)
    assert result is not None and result.campaign is not None and result.campaign.name == "Hösten"
    assert result.mean == pytest.approx(4.8)


def test_a_statement_that_is_no_item_has_no_result(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    statement = services.statement_add(narrative=narrative, author=actors.admin, text="Jag blir lyssnad på.")
    assert statement_result(actors.association, statement) is None


# Roles and tenants


def test_members_read_everything_but_change_nothing(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    persona = services.persona_add(narrative=narrative, author=actors.admin, name="Maria", situation="S", needs="N")
    statement = services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet vem jag ska ringa.")
    client = actors.client_for(actors.member)
    html = client.get(_url("narrative", actors.association)).content.decode()
    assert "Maria" in html and "Jag vet vem jag ska ringa." in html
    assert "Ändra texten" not in html and "Lägg till persona" not in html and "Gör till fråga" not in html
    assert client.get(_url("narrative_versions", actors.association)).status_code == 200
    for name, args in (
        ("narrative_edit", ()),
        ("persona_add", ()),
        ("persona_edit", (persona.pk,)),
        ("persona_delete", (persona.pk,)),
        ("statement_add", ()),
        ("statement_edit", (statement.pk,)),
        ("statement_delete", (statement.pk,)),
        ("statement_make_item", (statement.pk,)),
    ):
        assert client.post(_url(name, actors.association, *args), {"text": "x", "name": "x"}).status_code == 403, name
    assert Narrative.objects.get(pk=narrative.pk).version == 3


def test_analysts_edit_the_narrative_but_only_admins_change_the_questionnaire(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    client = actors.client_for(actors.analyst)
    response = client.post(_url("statement_add", actors.association), {"text": "Jag vet vem jag ska ringa."})
    assert response.status_code == 302
    statement = IStatement.objects.get(narrative=narrative)
    html = client.get(_url("narrative", actors.association)).content.decode()
    assert "Lägg till persona" in html and "Gör till fråga" not in html
    assert client.post(_url("statement_make_item", actors.association, statement.pk)).status_code == 403
    assert IStatement.objects.get(pk=statement.pk).item is None
    admin_html = actors.client_for(actors.admin).get(_url("narrative", actors.association)).content.decode()
    assert "Gör till fråga i deltagarenkäten" in admin_html


def test_another_associations_narrative_objects_are_404_under_its_own_slug(actors) -> None:
    narrative = _start(actors.association, actors.admin)
    _start(actors.other_association, actors.outsider)  # B has a narrative of its own too
    persona = services.persona_add(narrative=narrative, author=actors.admin, name="Maria", situation="S", needs="N")
    statement = services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet vem jag ska ringa.")
    version = narrative.versions.order_by("-number").first()
    client = actors.client_for(actors.outsider)
    b = actors.other_association
    for name, arg in (
        ("persona_edit", persona.pk),
        ("persona_delete", persona.pk),
        ("statement_edit", statement.pk),
        ("statement_delete", statement.pk),
        ("statement_make_item", statement.pk),
        ("narrative_version", version.pk),
    ):
        assert client.post(_url(name, b, arg), {"text": "x"}).status_code == 404, name
    assert client.get(_url("narrative_version", b, version.pk)).status_code == 404
    assert client.get(_url("narrative_compare", b), {"a": version.pk, "b": version.pk}).status_code == 404
    assert Persona.objects.filter(pk=persona.pk).exists() and IStatement.objects.get(pk=statement.pk).item is None
    # And A's page under A's slug is no page of B's admin at all.
    assert client.get(_url("narrative", actors.association)).status_code == 404


def test_anonymous_visitor_is_sent_to_login_from_the_narrative(client, actors) -> None:
    response = client.get(_url("narrative", actors.association))
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


# Demo


def test_narrative_demo_has_a_persona_five_statements_two_items_and_is_idempotent() -> None:
    from samverkan.tenancy.demo import load_tenancy_demo

    associations = load_tenancy_demo()
    out = StringIO()
    load_narrative_demo(associations=associations, stdout=out)
    assert "5 jag-påståenden" in out.getvalue()
    norra = Association.objects.get(slug="norra-vastmanland")
    narrative = Narrative.objects.get(association=norra)
    counts = (
        NarrativeVersion.objects.count(),
        Item.objects.count(),
        Instrument.objects.count(),
        Campaign.objects.count(),
    )
    load_narrative_demo(associations=associations, stdout=StringIO())
    assert counts == (
        NarrativeVersion.objects.count(),
        Item.objects.count(),
        Instrument.objects.count(),
        Campaign.objects.count(),
    )
    assert narrative.personas.count() == 1 and narrative.statements.count() == 5
    items = [s for s in narrative.statements.all() if s.item_id]
    assert len(items) == 2 and all(s.item.is_local for s in items)
    assert "Jag behöver bara berätta min historia en gång." in [s.text for s in narrative.statements.all()]
    assert narrative.versions.count() >= 9 and "National Voices" in narrative.text
    # One item has a result, the other too few answers on the scale: the page shows both cases.
    first, second = (statement_result(norra, s) for s in items)
    assert first is not None and not first.suppressed and first.n >= 5
    assert second is not None and second.suppressed
    assert not Narrative.objects.exclude(association=norra).exists()
