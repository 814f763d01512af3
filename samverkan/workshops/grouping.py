"""Group free-text answers into Swedish themes, and apply a codebook of themes to new answers (no Django).

How an answer becomes a vector
    Words are lowercased, lemmatised with simplemma (``lang="sv"``: "myndigheterna" → "myndighet",
    "samverkar" → "samverka") and Swedish stop words from stopwordsiso are dropped. Two TF-IDF blocks are
    stacked, each L2-normalised: the lemmas, and character 3–5-grams of the lemmas within word boundaries
    (``char_wb``), so compounds and inflections that the lemmatiser leaves whole still share most of their
    features ("samverkan", "samverka", "samverkansteam"). Rows are normalised again, so Euclidean k-means on
    them is k-means on cosine distance. Above 200 distinct answers the vectors are reduced to 100 dimensions
    with truncated SVD (latent semantic analysis), which keeps 2,000 answers cheap.

Near-duplicates
    Answers whose vectors have cosine similarity ≥ ``NEAR_DUPLICATE`` (0.9), or that have the same lemmas
    (also: no content words at all), are joined first (union-find) and clustered as one point weighted by
    their count, so they always end up in the same theme.

How many themes
    With ``k`` given, exactly ``k`` themes (fewer only when there are fewer than ``k`` distinct answers).
    Otherwise k-means (``n_init=4``, ``random_state=seed``) is run for every k from 2 to
    ``min(MAX_THEMES, distinct - 1, ⌈√(2·distinct)⌉)`` and the k with the highest mean silhouette (cosine; on
    a fixed sample of at most 1,000 points) wins, the smaller k on a tie. Fewer than six distinct answers
    are too few for a silhouette: they are grouped by linking answers with cosine ≥ ``TINY_LINK`` (0.3).

Labels
    A theme's suggested label is its most telling lemmas: the up to three lemmas whose mean TF-IDF weight in
    the theme exceeds their mean weight over all answers the most, the first one capitalised
    ("Individ, behov, centrum"). A theme with no telling lemma is "Övrigt"; labels are unique.

Codebook
    ``[{"label", "definition", "answers": [example texts]}]``. Applying it: an answer whose cosine similarity
    to one of a theme's examples (or to the mean of its examples) is at least ``FIT`` (0.3: above the 99th
    percentile, 0.29, of the seed workshop's pairs of different answers) goes to the best such theme;
    the rest are grouped as above into new suggested themes. Codebook themes keep their labels (and stay in
    the result with no answers when none fit).

Everything is deterministic for a given ``seed``. Messages in ``GroupingError`` are Swedish and marked for
translation with ``_`` (the Django side passes them through gettext).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import simplemma
import stopwordsiso
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

MAX_THEMES = 10
NEAR_DUPLICATE = 0.9
TINY_LINK = 0.3
TINY = 6
FIT = 0.3
SVD_ABOVE = 200
SVD_DIMS = 100
SILHOUETTE_SAMPLE = 1000
MAX_EXAMPLES = 8
OTHER = "Övrigt"

Progress = Callable[[float], None]


def _(message: str) -> str:
    """Marks a message for makemessages; the Django side translates it."""
    return message


class GroupingError(ValueError):
    """Bad input for grouping (a bad k, a bad codebook), with a Swedish message and its parameters."""

    def __init__(self, message: str, **params: Any) -> None:
        self.template = message
        self.params = params
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class Theme:
    """A theme: its label, the indices of its answers (into the input), and its codebook definition if any."""

    label: str
    answers: tuple[int, ...]
    definition: str = ""
    from_codebook: bool = False


@dataclass(frozen=True)
class CodebookEntry:
    label: str
    definition: str = ""
    answers: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "definition": self.definition, "answers": list(self.answers)}


# --- text -------------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words = {w.lower() for w in stopwordsiso.stopwords("sv")}
    # Stop words are listed in their inflected forms; drop their lemmas too ("är" → "vara").
    return frozenset(words | {simplemma.lemmatize(w, lang="sv").lower() for w in words})


@lru_cache(maxsize=50_000)
def _lemma(word: str) -> str:
    return str(simplemma.lemmatize(word, lang="sv")).lower()


def lemmas(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The content lemmas of a Swedish text, in order: lowercased, lemmatised, no stop words, ≥ 2 letters.

    Lemmas in `ignore` are dropped too (the prompt's own words, which every answer repeats).
    """
    stop = _stopwords() | ignore
    found = []
    for match in _WORD.finditer(text.lower()):
        for part in match.group().split("-"):
            if len(part) < 2 or part in stop:
                continue
            lemma = _lemma(part)
            if len(lemma) >= 2 and lemma not in stop:
                found.append(lemma)
    return found


@dataclass
class _Vectors:
    matrix: Any  # rows L2-normalised, sparse or dense
    words: Any  # the lemma TF-IDF block (sparse), for labels
    vocabulary: list[str]
    signatures: list[str]


def _vectorise(docs: list[list[str]]) -> _Vectors:
    joined = [" ".join(d) for d in docs]
    blocks = []
    words = sparse.csr_matrix((len(docs), 0))
    vocabulary: list[str] = []
    if any(docs):
        word_vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True, norm="l2")
        words = word_vec.fit_transform(docs)
        vocabulary = [str(t) for t in word_vec.get_feature_names_out()]
        char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, norm="l2")
        blocks = [words, char_vec.fit_transform(joined)]
        matrix = normalize(sparse.hstack(blocks).tocsr())
    else:
        matrix = sparse.csr_matrix((len(docs), 1))
    return _Vectors(matrix=matrix, words=words, vocabulary=vocabulary, signatures=joined)


# --- near-duplicates --------------------------------------------------------------------------------------


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _link(matrix: Any, threshold: float, parent: list[int], chunk: int = 512) -> None:
    """Join every pair of rows with cosine ≥ threshold (rows are unit vectors), a chunk of rows at a time."""
    n = matrix.shape[0]
    for start in range(0, n, chunk):
        block = matrix[start : start + chunk] @ matrix.T
        block = block.toarray() if sparse.issparse(block) else np.asarray(block)
        rows, cols = np.nonzero(block >= threshold - 1e-9)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if start + r < c:
                _union(parent, start + r, c)


def _components(parent: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i in range(len(parent)):
        groups.setdefault(_find(parent, i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


# --- clustering -------------------------------------------------------------------------------------------


def _kmeans(points: Any, weights: np.ndarray, k: int, seed: int) -> np.ndarray:
    model = KMeans(n_clusters=k, n_init=4, random_state=seed, algorithm="lloyd")
    return np.asarray(model.fit_predict(points, sample_weight=weights))


def _choose_k(points: Any, weights: np.ndarray, seed: int, progress: Progress | None) -> np.ndarray:
    n = points.shape[0]
    top = max(2, min(MAX_THEMES, n - 1, math.ceil(math.sqrt(2 * n))))
    best: tuple[float, np.ndarray] | None = None
    sample = min(n, SILHOUETTE_SAMPLE)
    for step, k in enumerate(range(2, top + 1)):
        labels = _kmeans(points, weights, k, seed)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(
            silhouette_score(
                points, labels, metric="cosine", sample_size=sample if sample < n else None, random_state=seed
            )
        )
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
        if progress:
            progress(0.3 + 0.6 * (step + 1) / (top - 1))
    return best[1] if best is not None else np.zeros(n, dtype=int)


def _cluster(points: Any, weights: np.ndarray, k: int | None, seed: int, progress: Progress | None) -> np.ndarray:
    n = points.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    if k is not None:
        return _kmeans(points, weights, min(k, n), seed) if min(k, n) > 1 else np.zeros(n, dtype=int)
    if n < TINY:
        parent = list(range(n))
        _link(points, TINY_LINK, parent)
        labels = np.zeros(n, dtype=int)
        for number, group in enumerate(_components(parent)):
            labels[group] = number
        return labels
    return _choose_k(points, weights, seed, progress)


def _reduce(matrix: Any, seed: int) -> np.ndarray:
    """Dense coordinates for k-means: exact ones from the Gram matrix for a few answers, else LSA.

    Up to SVD_ABOVE rows, the eigen-decomposition of X·Xᵀ gives coordinates with exactly the same
    distances (and cosines) as the sparse rows, in at most n dimensions; above, truncated SVD to SVD_DIMS.
    """
    n, features = matrix.shape
    if n <= SVD_ABOVE or features <= SVD_DIMS:
        gram = matrix @ matrix.T
        gram = gram.toarray() if sparse.issparse(gram) else np.asarray(gram)
        values, vectors = np.linalg.eigh(gram)
        keep = values > 1e-10
        if not keep.any():
            return np.zeros((n, 1))
        return np.asarray(vectors[:, keep] * np.sqrt(values[keep]))
    svd = TruncatedSVD(n_components=SVD_DIMS, random_state=seed, algorithm="randomized", n_iter=5)
    return np.asarray(normalize(svd.fit_transform(matrix)))


# --- labels -----------------------------------------------------------------------------------------------


def _labels(vectors: _Vectors, groups: list[list[int]], taken: set[str]) -> list[str]:
    """A unique label per group from its most telling lemmas (theme mean minus overall mean of TF-IDF)."""
    words = vectors.words
    overall = np.asarray(words.mean(axis=0)).ravel() if words.shape[1] else np.zeros(0)
    used = {t.casefold() for t in taken}
    result = []
    for group in groups:
        if not words.shape[1] or not group:
            ranked: list[str] = []
        else:
            mean = np.asarray(words[group].mean(axis=0)).ravel()
            lift = mean - overall
            # Ties are broken by the lemma so the label does not depend on the vocabulary's order.
            order = sorted(range(len(lift)), key=lambda i: (-round(float(lift[i]), 9), vectors.vocabulary[i]))
            ranked = [vectors.vocabulary[i] for i in order if lift[i] > 1e-9 and mean[i] > 0]
        label = ""
        for size in (3, 4, 5):
            picked = ranked[:size]
            label = ", ".join(picked)
            label = label[:1].upper() + label[1:] if label else OTHER
            if label.casefold() not in used:
                break
        base, number = label, 2
        while label.casefold() in used:
            label = f"{base} ({number})"
            number += 1
        used.add(label.casefold())
        result.append(label)
    return result


# --- public -----------------------------------------------------------------------------------------------


def _check_k(k: int | None, n: int) -> None:
    if k is None:
        return
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise GroupingError(_("Antalet teman måste vara ett heltal från 1 och uppåt."))
    if k > MAX_THEMES * 5:
        raise GroupingError(_("Högst %(max)d teman går att bilda."), max=MAX_THEMES * 5)
    if n and k > n:
        raise GroupingError(
            _("Det går inte att bilda %(k)d teman av %(n)d svar: ange högst %(n)d."),
            k=k,
            n=n,
        )


def group_answers(
    texts: Sequence[str],
    *,
    k: int | None = None,
    seed: int = 0,
    prompt: str = "",
    taken_labels: Sequence[str] = (),
    progress: Progress | None = None,
) -> list[Theme]:
    """Group `texts` into themes; every index of `texts` is in exactly one theme (see the module docstring).

    Themes come largest first (ties: the one with the earliest answer first), answers in input order.
    The lemmas of `prompt` (the question asked) are ignored: answers echo it, so it tells themes apart
    from nothing. `taken_labels` are labels the new themes must not repeat (a codebook's).
    """
    n = len(texts)
    _check_k(k, n)
    if n == 0:
        return []
    ignore = frozenset(lemmas(prompt))
    docs = [lemmas(t, ignore) for t in texts]
    if progress:
        progress(0.1)
    vectors = _vectorise(docs)
    # Near-duplicates (and answers with the same lemmas) become one weighted point.
    parent = list(range(n))
    first_of: dict[str, int] = {}
    for i, signature in enumerate(vectors.signatures):
        key = " ".join(sorted(signature.split()))
        if key in first_of:
            _union(parent, first_of[key], i)
        else:
            first_of[key] = i
    _link(vectors.matrix, NEAR_DUPLICATE, parent)
    members = _components(parent)
    reps = [group[0] for group in members]
    weights = np.array([len(group) for group in members], dtype=float)
    if progress:
        progress(0.2)
    points = _reduce(vectors.matrix[reps], seed)
    labels = _cluster(points, weights, k, seed, progress)
    themes_of: dict[int, list[int]] = {}
    for group, label in zip(members, labels.tolist(), strict=True):
        themes_of.setdefault(int(label), []).extend(group)
    groups = sorted((sorted(g) for g in themes_of.values()), key=lambda g: (-len(g), g[0]))
    names = _labels(vectors, groups, set(taken_labels))
    if progress:
        progress(1.0)
    return [Theme(label=name, answers=tuple(group)) for name, group in zip(names, groups, strict=True)]


def parse_codebook(data: Any) -> list[CodebookEntry]:
    """A codebook from decoded JSON, checked: a list of objects with a unique non-empty label each."""
    if not isinstance(data, list):
        raise GroupingError(_('Kodboken ska vara en JSON-lista med teman, t.ex. [{"label": "…", "answers": []}].'))
    entries = []
    seen: set[str] = set()
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise GroupingError(_("Tema %(n)d i kodboken är inte ett JSON-objekt."), n=number)
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise GroupingError(_('Tema %(n)d i kodboken saknar namn ("label").'), n=number)
        label = label.strip()
        if label.casefold() in seen:
            raise GroupingError(_('Temat "%(label)s" finns två gånger i kodboken.'), label=label)
        seen.add(label.casefold())
        definition = item.get("definition", "")
        if definition is None:
            definition = ""
        if not isinstance(definition, str):
            raise GroupingError(_("Definitionen av tema %(n)d i kodboken ska vara text."), n=number)
        answers = item.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise GroupingError(_('Exemplen ("answers") i tema %(n)d ska vara en lista med texter.'), n=number)
        entries.append(
            CodebookEntry(label=label, definition=definition.strip(), answers=tuple(a for a in answers if a.strip()))
        )
    return entries


def apply_codebook(
    texts: Sequence[str],
    codebook: Sequence[CodebookEntry],
    *,
    k: int | None = None,
    seed: int = 0,
    prompt: str = "",
    progress: Progress | None = None,
) -> list[Theme]:
    """Assign `texts` to the codebook's themes where they fit, and group the rest into new suggested themes.

    The codebook's themes come first, in its order and with its labels (empty when nothing fits); `k`, if
    given, is the number of new themes for the rest.
    """
    n = len(texts)
    if not codebook:
        return group_answers(texts, k=k, seed=seed, prompt=prompt, progress=progress)
    ignore = frozenset(lemmas(prompt))
    examples = [(number, text) for number, entry in enumerate(codebook) for text in entry.answers]
    docs = [lemmas(t, ignore) for t in texts] + [lemmas(t, ignore) for _n, t in examples]
    fitted: dict[int, list[int]] = {number: [] for number in range(len(codebook))}
    rest: list[int] = list(range(n))
    if n and examples:
        vectors = _vectorise(docs)
        answers, example_rows = vectors.matrix[:n], vectors.matrix[n:]
        owner = np.array([number for number, _t in examples])
        to_examples = answers @ example_rows.T
        to_examples = to_examples.toarray() if sparse.issparse(to_examples) else np.asarray(to_examples)
        scores = np.full((n, len(codebook)), -1.0)
        for number in range(len(codebook)):
            columns = np.nonzero(owner == number)[0]
            if not len(columns):
                continue
            centroid = normalize(np.asarray(example_rows[columns].mean(axis=0)).reshape(1, -1))
            to_centroid = np.asarray(answers @ centroid.T).ravel()
            scores[:, number] = np.maximum(to_examples[:, columns].max(axis=1), to_centroid)
        best = scores.argmax(axis=1)
        rest = []
        for i in range(n):
            if scores[i, best[i]] >= FIT - 1e-9:
                fitted[int(best[i])].append(i)
            else:
                rest.append(i)
    if progress:
        progress(0.3)
    if k is not None and rest:
        _check_k(k, len(rest))
    new = group_answers(
        [texts[i] for i in rest],
        k=k if rest else None,
        seed=seed,
        prompt=prompt,
        taken_labels=[entry.label for entry in codebook],
    )
    if progress:
        progress(1.0)
    kept = [
        Theme(label=entry.label, answers=tuple(fitted[number]), definition=entry.definition, from_codebook=True)
        for number, entry in enumerate(codebook)
    ]
    return kept + [Theme(label=t.label, answers=tuple(rest[i] for i in t.answers)) for t in new]


def central_examples(texts: Sequence[str], indices: Sequence[int], limit: int = MAX_EXAMPLES) -> list[str]:
    """Up to `limit` of a theme's answers as codebook examples: the ones nearest the theme's centre first."""
    chosen = [i for i in indices if texts[i].strip()]
    if len(chosen) <= limit:
        return [texts[i] for i in chosen]
    vectors = _vectorise([lemmas(texts[i]) for i in chosen])
    centroid = normalize(np.asarray(vectors.matrix.mean(axis=0)).reshape(1, -1))
    closeness = np.asarray(vectors.matrix @ centroid.T).ravel()
    order = sorted(range(len(chosen)), key=lambda j: (-round(float(closeness[j]), 9), chosen[j]))
    picked = sorted(order[:limit])
    return [texts[chosen[j]] for j in picked]


def codebook_from_themes(
    texts: Sequence[str], themes: Sequence[Theme], *, definitions: dict[str, str] | None = None
) -> list[CodebookEntry]:
    """A codebook from a (possibly edited) grouping: label, definition and central example answers per theme."""
    definitions = definitions or {}
    return [
        CodebookEntry(
            label=theme.label,
            definition=definitions.get(theme.label, theme.definition),
            answers=tuple(central_examples(texts, theme.answers)),
        )
        for theme in themes
    ]
