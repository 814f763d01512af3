"""Theme grouping (pure): coverage, determinism, k, near-duplicates, Swedish words, codebooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.workshops import grouping

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = [line for line in (FIXTURES / "seed_answers.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
PROMPT = "Integrerad samverkan – vad är det, och är det användbart?"

# Answers made of words from the seed workshop, so hypothesis explores realistic vocabularies and repeats.
WORDS = sorted({w.strip('.,!?:;"()…') for line in SEED for w in line.split()} - {""})
answer_text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
answer_lists = st.lists(answer_text, min_size=1, max_size=40)
slow = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def theme_of(themes: list[grouping.Theme]) -> dict[int, str]:
    return {i: t.label for t in themes for i in t.answers}


def covered(themes: list[grouping.Theme]) -> list[int]:
    return sorted(i for t in themes for i in t.answers)


def test_the_seed_has_the_workshops_22_answers() -> None:
    assert len(SEED) == 22


@slow
@given(texts=answer_lists, seed=st.integers(0, 2**16))
def test_every_answer_is_in_exactly_one_theme(texts: list[str], seed: int) -> None:
    themes = grouping.group_answers(texts, seed=seed)
    assert covered(themes) == list(range(len(texts)))
    assert all(t.answers for t in themes)
    labels = [t.label.casefold() for t in themes]
    assert len(labels) == len(set(labels)) and all(labels)


@slow
@given(texts=answer_lists, seed=st.integers(0, 2**16))
def test_grouping_is_deterministic_for_a_seed(texts: list[str], seed: int) -> None:
    assert grouping.group_answers(texts, seed=seed) == grouping.group_answers(list(texts), seed=seed)


@slow
@given(texts=st.lists(answer_text, min_size=1, max_size=30, unique=True), data=st.data())
def test_a_given_k_is_honoured(texts: list[str], data: st.DataObject) -> None:
    distinct = len(grouping.group_answers(texts, k=len(texts)))  # as many themes as distinct answers allow
    k = data.draw(st.integers(1, len(texts)))
    themes = grouping.group_answers(texts, k=k)
    assert len(themes) == min(k, distinct)
    assert covered(themes) == list(range(len(texts)))


def test_the_seed_is_grouped_the_same_every_time_and_differs_by_nothing_but_the_seed() -> None:
    first = grouping.group_answers(SEED, seed=7, prompt=PROMPT)
    assert first == grouping.group_answers(SEED, seed=7, prompt=PROMPT)
    assert covered(first) == list(range(22))
    assert 2 <= len(first) <= grouping.MAX_THEMES


def test_k_is_chosen_by_silhouette_within_its_range() -> None:
    themes = grouping.group_answers(SEED, prompt=PROMPT)
    assert 2 <= len(themes) <= 7  # ⌈√44⌉ = 7


@pytest.mark.parametrize("texts", [["Ett enda svar"], ["Samverkan är bra", "Budgeten räcker inte"], ["a", "", "!!"]])
def test_tiny_inputs_are_grouped_without_silhouette(texts: list[str]) -> None:
    themes = grouping.group_answers(texts)
    assert covered(themes) == list(range(len(texts)))


def test_two_unrelated_answers_are_two_themes_and_two_related_ones_one() -> None:
    assert len(grouping.group_answers(["Samverkan är bra", "Budgeten räcker inte"])) == 2
    assert len(grouping.group_answers(["Budgeten räcker inte", "Budgetarna räcker aldrig"])) == 1


def test_no_answers_no_themes() -> None:
    assert grouping.group_answers([]) == []


@pytest.mark.parametrize("k", [0, -1, 51])
def test_a_bad_k_is_refused_in_swedish(k: int) -> None:
    with pytest.raises(grouping.GroupingError, match="teman"):
        grouping.group_answers(SEED, k=k)


def test_more_themes_than_answers_is_refused() -> None:
    with pytest.raises(grouping.GroupingError, match="Det går inte att bilda 23 teman av 22 svar"):
        grouping.group_answers(SEED, k=23)


def test_near_duplicates_end_up_together() -> None:
    base = list(SEED)
    duplicates = {
        0: "integrerad samverkan är för mig att utan gränser kunna se individens/verksamhetens behov. Jag tror det!",
        4: "Samverkan som en naturlig del av organisationerna. Klienten i fokus. Långsiktighet. Användbart? Mycket",
        21: "Flera kompetenser i samma rum! Bygg hängrännor mellan verksamheterna!",
    }
    texts = base + list(duplicates.values())
    for seed in range(5):
        for k in (None, 2, 8, 20):
            owner = theme_of(grouping.group_answers(texts, k=k, seed=seed))
            for offset, original in enumerate(duplicates):
                assert owner[original] == owner[22 + offset], (seed, k, original)


def test_swedish_compounds_and_inflections_are_grouped() -> None:
    texts = [
        "Samverkan mellan myndigheterna",
        "Vi samverkar med kommunen",
        "Ett samverkansteam med kommunen",
        "Budgeten och pengarna räcker inte",
        "Pengarna räcker inte till budgeten",
        "Mer pengar i budgeten behövs",
        "Korta kontaktvägar och telefonen",
        "Kontakten via telefon är kort",
        "Ring kontaktpersonen på telefon",
    ]
    owner = theme_of(grouping.group_answers(texts, k=3))
    assert owner[0] == owner[1] == owner[2]
    assert owner[3] == owner[4] == owner[5]
    assert owner[6] == owner[7] == owner[8]
    assert len({owner[0], owner[3], owner[6]}) == 3


def test_lemmas_are_swedish_lemmas_without_stop_words() -> None:
    assert grouping.lemmas("Myndigheterna samverkar och det är kommunen") == ["myndighet", "samverka", "kommun"]
    assert grouping.lemmas("Det är vi som är där") == []
    assert grouping.lemmas("Samverkan med kommunen", frozenset({"samverkan"})) == ["kommun"]


def test_a_label_names_the_themes_telling_lemmas_capitalised() -> None:
    texts = ["Pengarna räcker inte", "Mer pengar behövs", "Pengar och budget", "Telefonen ringer", "Telefon och mejl"]
    themes = grouping.group_answers(texts, k=2)
    by_first = {t.answers[0]: t.label for t in themes}
    assert by_first[0].startswith("Pengar")
    assert by_first[3].startswith("Telefon")


def test_the_prompts_words_are_not_a_theme() -> None:
    labels = " ".join(t.label.casefold() for t in grouping.group_answers(SEED, prompt=PROMPT))
    assert "samverkan" not in labels and "användbar" not in labels and "integrera" not in labels


# --- codebook ----------------------------------------------------------------------------------------------


def test_a_codebook_survives_export_import_and_a_rerun() -> None:
    themes = grouping.group_answers(SEED, seed=3, prompt=PROMPT)
    codebook = grouping.codebook_from_themes(SEED, themes, definitions={themes[0].label: "Samverkan med mål"})
    exported = json.dumps([entry.as_json() for entry in codebook], ensure_ascii=False)
    imported = grouping.parse_codebook(json.loads(exported))
    assert imported == codebook
    rerun = grouping.apply_codebook(SEED, imported, prompt=PROMPT)
    assert [t.label for t in rerun[: len(codebook)]] == [t.label for t in themes]
    assert rerun[0].definition == "Samverkan med mål"
    owner = theme_of(rerun)
    for entry in imported:
        for example in entry.answers:
            assert owner[SEED.index(example)] == entry.label, example
    assert covered(rerun) == list(range(22))


def test_a_codebook_assigns_what_fits_and_suggests_new_themes_for_the_rest() -> None:
    codebook = [
        grouping.CodebookEntry("Individen i centrum", "", ("Individens behov i centrum", "Klienten i fokus")),
        grouping.CodebookEntry("Gemensamma mål", "Mål vi delar", ("Vi har samma mål", "Gemensamt mål")),
    ]
    texts = [
        "Individens behov står i centrum",
        "Samma mål för alla",
        "Budgeten räcker inte till insatserna",
        "Pengarna och budgeten räcker inte",
    ]
    themes = grouping.apply_codebook(texts, codebook)
    owner = theme_of(themes)
    assert owner[0] == "Individen i centrum" and owner[1] == "Gemensamma mål"
    assert owner[2] == owner[3] not in {"Individen i centrum", "Gemensamma mål"}
    assert [t.from_codebook for t in themes] == [True, True, False]


def test_codebook_themes_keep_their_labels_even_with_no_answers() -> None:
    codebook = [grouping.CodebookEntry("Ekonomi", "", ("Budgeten räcker inte",))]
    themes = grouping.apply_codebook(["Telefonen ringer hela tiden", "Ring på telefon"], codebook)
    assert themes[0].label == "Ekonomi" and themes[0].answers == ()
    assert covered(themes) == [0, 1]


def test_new_themes_never_take_a_codebook_label() -> None:
    codebook = [grouping.CodebookEntry("Telefon, ringa", "", ("Budget",))]
    themes = grouping.apply_codebook(["Telefonen ringer", "Ring på telefon"], codebook, k=1)
    assert [t.label.casefold() for t in themes].count("telefon, ringa") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "x"}, "JSON-lista"),
        (["x"], "Tema 1 i kodboken är inte ett JSON-objekt"),
        ([{"answers": []}], "Tema 1 i kodboken saknar namn"),
        ([{"label": "A"}, {"label": "a"}], "finns två gånger"),
        ([{"label": "A", "answers": "text"}], "ska vara en lista med texter"),
        ([{"label": "A", "definition": 3}], "Definitionen av tema 1"),
    ],
)
def test_a_bad_codebook_is_refused_in_swedish(data: object, message: str) -> None:
    with pytest.raises(grouping.GroupingError, match=message):
        grouping.parse_codebook(data)


def test_central_examples_are_limited_and_taken_from_the_theme() -> None:
    examples = grouping.central_examples(SEED, list(range(22)), limit=5)
    assert len(examples) == 5 and set(examples) <= set(SEED)
