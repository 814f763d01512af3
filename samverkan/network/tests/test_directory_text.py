"""The directory's pure text rules: folding, typo tolerance, what identifies a person, municipality names."""

from __future__ import annotations

import pytest

from samverkan.network import directory_text as t


def test_folding_drops_case_and_accents() -> None:
    assert t.fold("Ekonomiskt Bistånd ÅÄÖ é") == "ekonomiskt bistand aao e"


def test_stop_words_and_single_letters_are_left_out_of_a_query() -> None:
    assert t.words("Vem ringer jag om skulder i Sala?") == ["skulder", "sala"]


@pytest.mark.parametrize(
    ("query", "title"),
    [("psykiatr", "Psykiatrisk öppenvård"), ("arbetstäning", "Arbetsträning"), ("bistand", "Ekonomiskt bistånd")],
)
def test_a_misspelt_or_cut_word_still_matches(query: str, title: str) -> None:
    assert t.match(t.words(query), [(title, 1.0)]).matched == 1


def test_a_different_word_does_not_match() -> None:
    assert t.match(t.words("boende"), [("Beroendemottagningen", 1.0)]).matched == 0


def test_the_documents_matching_most_words_win_and_the_closest_come_first() -> None:
    words = t.words("ekonomiskt bistånd")
    scored = [
        ("bistånd", t.match(words, [("Ekonomiskt bistånd", 1.0)])),
        ("ekonomi", t.match(words, [("Budget och ekonomi", 1.0)])),
        ("none", t.match(words, [("Arbetsträning", 1.0)])),
    ]
    assert t.best_matches(scored) == ["bistånd"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Kvinna 850101-1234", ["personnummer"]),
        ("Född 19850101-1234", ["personnummer"]),
        ("Samordningsnummer 850161-1234", ["personnummer"]),
        ("Ring 070-123 45 67", ["telefon"]),
        ("Ring +46 70 123 45 67", ["telefon"]),
        ("Mejla kim@example.se", ["e-post"]),
        ("Bor på Storgatan 12 B", ["adress"]),
        ("Möte 2026-05-01 kl 10, 35 år, två barn, sjukskriven sedan 2024", []),
    ],
)
def test_identifying_details_are_found_and_ordinary_numbers_are_not(text: str, found: list[str]) -> None:
    assert t.identifying_parts(text) == found


@pytest.mark.parametrize(
    ("agency", "municipality"),
    [
        ("Sala kommun", "Sala"),
        ("Norbergs kommun", "Norberg"),
        ("Skinnskattebergs kommun", "Skinnskatteberg"),
        ("Vännäs kommun", "Vännäs"),
        ("Göteborgs stad", "Göteborg"),
    ],
)
def test_the_municipality_is_read_from_its_agencys_name(agency: str, municipality: str) -> None:
    assert t.municipality_of(agency) == municipality


def test_a_word_in_the_name_ranks_above_the_same_word_among_the_needs() -> None:
    words = t.words("arbetstäning")
    scored = [
        ("tag", t.match(words, [("Jobbcenter", 3.0), ("Arbetsträning", 2.0)])),
        ("name", t.match(words, [("Arbetsträning i kommunen", 3.0), ("Arbetsträning", 2.0)])),
    ]
    assert t.best_matches(scored) == ["name", "tag"]


def test_another_form_of_the_same_word_counts_as_the_word() -> None:
    assert t.match(t.words("sjukskriven"), [("Sjukskrivning och rehabilitering", 1.0)]).closeness == (0.95,)
