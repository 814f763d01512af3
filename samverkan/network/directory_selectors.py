"""Reads of the directory: the search ("Vem ringer jag?"), one service, stale entries, meeting requests.

The search is typo-tolerant on both databases. On PostgreSQL every query word must match the service's
search text by Swedish full-text search (stemming: "ekonomisk" finds "ekonomiskt") or by trigram word
similarity (pg_trgm: "arbetstäning" finds "arbetsträning", "psykiatr" finds "psykiatri"). On SQLite the
same rules are applied in Python (directory_text.match: prefixes and difflib). Either way the services
matching the most query words are shown, best first, so one word nobody wrote still finds the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import override
from django_scopes import scopes_disabled

from samverkan.measure.anonymity import keyed_hash
from samverkan.tenancy.models import Agency, AgencyKind, Association

from . import directory_text
from .models import (
    LANGUAGE_CHOICES,
    NEED_CHOICES,
    ContactRoute,
    Location,
    MeetingRequest,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)

STALE_MONTHS = 6  # an entry not confirmed for this long is listed as stale and asked to confirm
TRIGRAM_THRESHOLD = 0.6  # pg_trgm word similarity a query word must reach (its own default)

MEETING_ANSWER_PURPOSE = "directory-meeting-answer"
CONFIRMATION_PURPOSE = "directory-confirmation"


def need_labels() -> dict[str, str]:
    return {code: str(label) for code, label in NEED_CHOICES}


def language_labels() -> dict[str, str]:
    return {code: str(label) for code, label in LANGUAGE_CHOICES}


def association_agencies(association: Association) -> list[Agency]:
    return list(association.agencies.order_by("kind", "name"))


def association_municipalities(association: Association) -> list[str]:
    """The municipalities of the association's member municipalities: "Norbergs kommun" → "Norberg"."""
    names = association.agencies.filter(kind=AgencyKind.MUNICIPALITY).values_list("name", flat=True)
    return sorted({directory_text.municipality_of(name) for name in names})


NAME_WEIGHT, TAGS_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0  # a word in the name counts most, then needs and agency


def search_text_parts(service: Service, locations: Iterable[Location] = ()) -> tuple[str, str, str]:
    """The service's name; its needs in Swedish and its agency; and everything else."""
    with override("sv"):
        needs = [str(label) for code, label in NEED_CHOICES if code in (service.needs or [])]
    tags = " ".join([*needs, service.agency.name])
    body = " ".join(
        [
            service.description,
            service.target_group,
            service.eligibility,
            service.application_process,
            *(service.municipalities or []),
            *(f"{loc.name} {loc.city} {loc.municipality}" for loc in locations),
        ]
    )
    return " ".join(service.name.split()), " ".join(tags.split()), " ".join(body.split())


def search_text(service: Service, locations: Iterable[Location] = ()) -> str:
    """Stored on the service: a line each for name, tags and body, then the same three folded (so "bistand"
    finds "bistånd"; PostgreSQL's trigrams compare the folded lines)."""
    parts = search_text_parts(service, locations)
    return "\n".join([*(p.lower() for p in parts), *(directory_text.fold(p) for p in parts)])


def _with_details(queryset: QuerySet[Service]) -> QuerySet[Service]:
    return queryset.select_related("agency").prefetch_related(
        Prefetch("contact_routes", queryset=ContactRoute.objects.order_by("kind", "name", "pk")),
        Prefetch("schedules", queryset=Schedule.objects.select_related("service_at_location__location")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
    )


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    need: str = ""
    agency_id: int | None = None
    municipality: str = ""

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.need or self.agency_id or self.municipality)


def directory_search(*, association: Association, query: DirectoryQuery) -> list[Service]:
    """The association's active services answering the query, best first (by name without free text)."""
    services = Service.objects.filter(association=association, status=ServiceStatus.ACTIVE)
    if query.agency_id:
        services = services.filter(agency_id=query.agency_id)
    found = list(_with_details(services).order_by("name"))
    if query.need:
        found = [s for s in found if query.need in (s.needs or [])]
    if query.municipality:
        found = [s for s in found if _serves(s, query.municipality)]
    query_words = directory_text.words(query.text)
    if not query_words:
        return found
    if connection.vendor == "postgresql":
        return _ranked_on_postgresql(found, query_words)
    return _ranked_in_python(found, query_words)


def _serves(service: Service, municipality: str) -> bool:
    wanted = directory_text.fold(municipality)
    places = [
        *(service.municipalities or []),
        *(sal.location.municipality for sal in service.service_at_locations.all()),
    ]
    return any(directory_text.fold(place) == wanted for place in places)


def _ranked_in_python(services: list[Service], query_words: list[str]) -> list[Service]:
    scored: list[tuple[object, directory_text.Match]] = []
    for service in services:
        name, tags, body = [*service.search_text.split("\n"), "", "", ""][:3]
        fields = [(name, NAME_WEIGHT), (tags, TAGS_WEIGHT), (body, BODY_WEIGHT)]
        scored.append((service, directory_text.match(query_words, fields)))
    return [s for s in directory_text.best_matches(scored) if isinstance(s, Service)]


def _ranked_on_postgresql(services: list[Service], query_words: list[str]) -> list[Service]:
    from django.contrib.postgres.search import SearchQuery, SearchVector, TrigramWordSimilarity
    from django.db.models import Case, F, FloatField, Func, TextField, Value, When

    if not services:
        return []
    vector = SearchVector("search_text", config="swedish")
    annotations: dict[str, Any] = {"vector": vector}
    folded_name = Func(F("search_text"), Value("\n"), Value(4), function="split_part", output_field=TextField())
    folded_tags = Func(F("search_text"), Value("\n"), Value(5), function="split_part", output_field=TextField())
    for i, word in enumerate(query_words):
        annotations[f"sim{i}"] = TrigramWordSimilarity(word, "search_text")
        annotations[f"name{i}"] = TrigramWordSimilarity(word, folded_name)
        annotations[f"tags{i}"] = TrigramWordSimilarity(word, folded_tags)
    rows = Service.objects.filter(pk__in=[s.pk for s in services]).annotate(**annotations)
    rows = rows.annotate(
        **{
            f"fts{i}": Case(
                When(Q(vector=SearchQuery(word, config="swedish")), then=Value(1.0)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for i, word in enumerate(query_words)
        }
    )
    n = len(query_words)
    names = ["pk"] + [f"{kind}{i}" for kind in ("fts", "sim", "name", "tags") for i in range(n)]
    by_pk: dict[int, directory_text.Match] = {}
    for row in rows.values_list(*names):
        closeness, weights = [], []
        for i in range(n):
            fts, sim, in_name, in_tags = (row[1 + k * n + i] for k in range(4))
            # A full-text hit (the word, stemmed) is a match as written; a trigram one only above the threshold.
            closeness.append(1.0 if fts else (min(sim, directory_text.EXACT) if sim >= TRIGRAM_THRESHOLD else 0.0))
            weights.append(
                NAME_WEIGHT
                if in_name >= TRIGRAM_THRESHOLD
                else TAGS_WEIGHT
                if in_tags >= TRIGRAM_THRESHOLD
                else BODY_WEIGHT
            )
        by_pk[row[0]] = directory_text.Match(tuple(closeness), tuple(weights))
    ranked = directory_text.best_matches([(s, by_pk[s.pk]) for s in services])
    return [s for s in ranked if isinstance(s, Service)]


def service_get(*, association: Association, service_id: int) -> Service:
    """One service of the association with its contact routes, schedules and places (404 otherwise)."""
    service = _with_details(Service.objects.filter(association=association, pk=service_id)).first()
    if service is None:
        raise Http404
    return service


def locations_of(association: Association) -> QuerySet[Location]:
    return Location.objects.filter(association=association).select_related("agency")


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the month's last day where it has none)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    return datetime.date(year, month, min(day.day, 28))


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    return months_before(today or timezone.localdate(), STALE_MONTHS)


def stale_services(*, association: Association, today: datetime.date | None = None) -> list[Service]:
    """Active services not confirmed for six months (or never), the longest unconfirmed first."""
    cutoff = stale_cutoff(today)
    services = Service.objects.filter(association=association, status=ServiceStatus.ACTIVE).filter(
        Q(last_confirmed_on__isnull=True) | Q(last_confirmed_on__lte=cutoff)
    )
    found = list(_with_details(services))
    found.sort(key=lambda s: (s.last_confirmed_on or datetime.date.min, s.name))
    return found


def is_stale(service: Service, today: datetime.date | None = None) -> bool:
    return service.last_confirmed_on is None or service.last_confirmed_on <= stale_cutoff(today)


def meeting_requests(*, association: Association, requested_by: Any = None) -> list[MeetingRequest]:
    """The association's meeting requests, newest first; only one person's when `requested_by` is given."""
    found = MeetingRequest.objects.filter(association=association)
    if requested_by is not None:
        found = found.filter(requested_by=requested_by)
    return list(found.select_related("service__agency", "contact_route", "requesting_agency", "requested_by"))


def meeting_request_by_token(token: str) -> MeetingRequest | None:
    """The request whose answer link this is. The link alone tells the association: read unscoped, by hash."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            MeetingRequest.objects.select_related(
                "service__agency", "contact_route", "requesting_agency", "association"
            )
            .filter(answer_token_hash=keyed_hash(MEETING_ANSWER_PURPOSE, token))
            .first()
        )


def service_by_confirmation_token(token: str) -> Service | None:
    """The service whose confirmation link this is (unscoped, by hash: the link tells the association)."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            Service.objects.select_related("agency", "association")
            .filter(confirmation_token_hash=keyed_hash(CONFIRMATION_PURPOSE, token))
            .first()
        )
