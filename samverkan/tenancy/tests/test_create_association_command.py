"""`manage.py create_association`: the operator's way without a browser, with Swedish errors."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from samverkan.tenancy.agency_names import agency_kind_of_name, agency_names_from_text
from samverkan.tenancy.models import Association, MembershipInvitation, Role


def _run(*args: str) -> str:
    out = StringIO()
    call_command("create_association", *args, stdout=out)
    return out.getvalue()


ARGS = [
    "--name",
    "Samordningsförbundet Delta",
    "--county",
    "Gävleborgs län",
    "--agency",
    "Försäkringskassan",
    "--agency",
    "Arbetsförmedlingen; Region Gävleborg",
    "--agency",
    "Gävle kommun",
    "--admin",
    "Chef@Delta.se",
]


def test_command_creates_the_association_and_mails_the_first_admin_a_link(db, settings) -> None:
    settings.SAMVERKAN_BASE_URL = "https://samverkan.example.se/"
    out = _run(*ARGS)
    delta = Association.objects.get(slug="samordningsforbundet-delta")
    assert delta.agencies.count() == 4
    assert "Samordningsförbundet Delta är skapat" in out and "chef@delta.se" in out
    invitation = MembershipInvitation.objects.get(association=delta)
    assert invitation.role == Role.ADMIN
    assert re.search(r"https://samverkan\.example\.se/inbjudan/#[A-Za-z0-9_-]+", mail.outbox[0].body)
    # The link's secret is in the mail only, not in what the command prints (it may land in a shell log).
    assert "/inbjudan/" not in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--admin": "inte-en-adress"}, "Ange en giltig e-postadress."),
        ({"--county": "  "}, "Ange vilket län förbundet ligger i."),
        ({"--name": " "}, "Förbundet behöver ett namn."),
        ({"--slug": "!!!"}, "Kortnamnet får bara innehålla"),
    ],
)
def test_command_gives_a_clear_swedish_error_and_creates_nothing(db, change: dict[str, str], message: str) -> None:
    args = list(ARGS)
    for flag, value in change.items():
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not Association.objects.exists()
    assert len(mail.outbox) == 0


def test_command_without_agencies_says_which_are_needed(db) -> None:
    with pytest.raises(CommandError, match="Ange minst en medlem"):
        _run("--name", "X", "--county", "Y", "--admin", "a@b.se")


def test_command_refuses_a_taken_name_or_slug(actors) -> None:
    with pytest.raises(CommandError, match="Det finns redan ett förbund som heter Samordningsförbundet Alfa"):
        _run("--name", "samordningsförbundet alfa", "--county", "Y", "--agency", "Z kommun", "--admin", "a@b.se")
    with pytest.raises(CommandError, match="Kortnamnet alfa används redan"):
        _run("--name", "Ny", "--slug", "alfa", "--county", "Y", "--agency", "Z kommun", "--admin", "a@b.se")
    assert Association.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Försäkringskassan", "fk"),
        ("arbetsförmedlingen", "af"),
        ("Region Västmanland", "region"),
        ("Sala kommun", "municipality"),
        ("Göteborgs stad", "municipality"),
        ("Stiftelsen X", "other"),
    ],
)
def test_agency_kind_is_read_from_its_name(name: str, kind: str) -> None:
    assert agency_kind_of_name(name) == kind


def test_agency_names_from_text_drops_blanks_repeats_and_extra_spaces() -> None:
    assert agency_names_from_text(" Sala  kommun\n\nsala kommun; Region X ;") == ["Sala kommun", "Region X"]
