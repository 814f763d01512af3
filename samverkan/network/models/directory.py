"""Samverkanskarta: the directory of the member agencies' services, "Vem ringer jag?".

"Integrerad samverkan är när jag vet vart jag kan ringa": staff of one agency find what another agency
offers, for whom, how to get there and whom to call, and can ask for a collaboration meeting about a case
(de-identified). The shapes map one to one onto Open Referral HSDS 3.0:

- the organization is the member agency (`tenancy.Agency`);
- `Service` is an HSDS service (status, application_process, eligibility_description, assured_date =
  `last_confirmed_on`, languages, service_areas = `municipalities`; `needs` are HSDS attributes of a
  taxonomy of our own, `samverkan-needs`, codes in `NEED_CHOICES`);
- `ContactRoute` is an HSDS contact with its phone;
- `Location` is an HSDS location (physical) with its one address; `ServiceAtLocation` links them;
- `Schedule` is an HSDS schedule (weekly: `byday` "MO,TU", `opens_at`, `closes_at`, `description`).

Every row has a stable `uuid` (HSDS ids are UUIDs). Tokens in links (a meeting request's answer, a
service's confirmation) are never stored: only their keyed hash (measure.anonymity.keyed_hash).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import Agency, TenantManager, TenantModel

__all__ = [
    "BYDAY_CHOICES",
    "LANGUAGE_CHOICES",
    "NEED_CHOICES",
    "ContactKind",
    "ContactRoute",
    "Location",
    "MeetingRequest",
    "MeetingStatus",
    "Schedule",
    "Service",
    "ServiceAtLocation",
    "ServiceStatus",
]

# The search vocabulary: what a person needs, in the words staff use. Codes are stable (exports, filters).
NEED_CHOICES: list[tuple[str, str]] = [
    ("ekonomiskt_bistand", _("Ekonomiskt bistånd")),
    ("psykiatri", _("Psykisk ohälsa och psykiatri")),
    ("beroende", _("Beroende (alkohol, droger, spel)")),
    ("arbetstraning", _("Arbetsträning")),
    ("arbete", _("Arbete och jobbsökande")),
    ("studier", _("Studier och utbildning")),
    ("sjukskrivning", _("Sjukskrivning och rehabilitering")),
    ("somatisk_halsa", _("Fysisk hälsa och vård")),
    ("boende", _("Boende")),
    ("skuld", _("Skulder och budget")),
    ("vald", _("Våld i nära relation")),
    ("nyanland", _("Nyanländ och etablering")),
    ("funktionsnedsattning", _("Funktionsnedsättning")),
    ("ung", _("Unga (16–29 år)")),
    ("foraldraskap", _("Föräldraskap och familj")),
    ("samhallsorientering", _("Svenska och samhällsorientering")),
]
NEED_CODES = frozenset(code for code, _label in NEED_CHOICES)

# ISO 639-1 codes (ISO 639-3 where there is none) with Swedish names: the languages a service is given in.
LANGUAGE_CHOICES: list[tuple[str, str]] = [
    ("sv", _("svenska")),
    ("en", _("engelska")),
    ("ar", _("arabiska")),
    ("so", _("somaliska")),
    ("ti", _("tigrinja")),
    ("fa", _("persiska")),
    ("prs", _("dari")),
    ("uk", _("ukrainska")),
    ("pl", _("polska")),
    ("fi", _("finska")),
    ("ku", _("kurdiska")),
    ("bs", _("bosniska")),
    ("tr", _("turkiska")),
    ("es", _("spanska")),
    ("sgn-SE", _("svenskt teckenspråk")),
]
LANGUAGE_CODES = frozenset(code for code, _label in LANGUAGE_CHOICES)

# RFC 5545 day codes, as HSDS schedule.byday uses them.
BYDAY_CHOICES: list[tuple[str, str]] = [
    ("MO", _("måndag")),
    ("TU", _("tisdag")),
    ("WE", _("onsdag")),
    ("TH", _("torsdag")),
    ("FR", _("fredag")),
    ("SA", _("lördag")),
    ("SU", _("söndag")),
]
BYDAY_CODES = tuple(code for code, _label in BYDAY_CHOICES)


class ServiceStatus(models.TextChoices):
    """HSDS service.status (the two the directory uses)."""

    ACTIVE = "active", _("Aktiv")
    INACTIVE = "inactive", _("Inaktiv")


class Service(TenantModel):
    """What one member agency offers: an HSDS service whose organization is the agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="directory_services", verbose_name=_("myndighet")
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("vad verksamheten erbjuder"), blank=True)
    target_group = models.CharField(_("för vem"), max_length=500, blank=True)
    application_process = models.TextField(
        _("hur man kommer dit"), blank=True, help_text=_("T.ex. egen anmälan, remiss från handläggare.")
    )
    eligibility = models.TextField(_("vem kan få det"), blank=True, help_text=_("Med enkla ord."))
    needs = models.JSONField(_("behov"), default=list, blank=True, help_text=_("Koder ur behovslistan."))
    municipalities = models.JSONField(
        _("kommuner"), default=list, blank=True, help_text=_("Kommunerna i förbundet där tjänsten finns.")
    )
    languages = models.JSONField(_("språk"), default=list, blank=True, help_text=_("ISO 639-koder."))
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    url = models.URLField(_("webbplats"), blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    last_confirmed_on = models.DateField(_("senast bekräftad"), null=True, blank=True)
    # The confirmation link's secret is in the mail alone; this is its keyed hash (empty: no link out).
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    confirmation_sent_on = models.DateField(_("bekräftelse begärd"), null=True, blank=True, editable=False)
    # Lower-cased, accent-folded text of the searchable fields (agency, name, what, for whom, needs, places):
    # the SQLite search reads it; PostgreSQL's full-text and trigram search read it too (selectors).
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateField(_("skapad"), auto_now_add=True)
    updated = models.DateField(_("ändrad"), auto_now=True)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tjänst")
        verbose_name_plural = _("tjänster")
        constraints = [
            models.UniqueConstraint(fields=["association", "agency", "name"], name="directory_service_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = [code for code in self.needs or [] if code not in NEED_CODES]
        if unknown:
            errors["needs"] = str(_("Okända behov: %(codes)s.")) % {"codes": ", ".join(map(str, unknown))}
        unknown = [code for code in self.languages or [] if code not in LANGUAGE_CODES]
        if unknown:
            errors["languages"] = str(_("Okända språkkoder: %(codes)s.")) % {"codes": ", ".join(map(str, unknown))}
        if errors:
            raise ValidationError(errors)


class ContactKind(models.TextChoices):
    """Function and shared mailbox first: a named person only with their consent."""

    FUNCTION = "function", _("Funktion (t.ex. mottagningen)")
    MAILBOX = "mailbox", _("Funktionsbrevlåda")
    PERSON = "person", _("Namngiven person (med samtycke)")


class ContactRoute(models.Model):
    """How to reach a service: an HSDS contact with its phone (number, hours)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contact_routes")
    kind = models.CharField(_("typ"), max_length=20, choices=ContactKind.choices, default=ContactKind.FUNCTION)
    name = models.CharField(_("namn"), max_length=200, help_text=_("T.ex. Mottagningen."))
    title = models.CharField(_("titel"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    phone_hours = models.CharField(_("telefontider"), max_length=200, blank=True, help_text=_("T.ex. mån–fre 9–11."))
    consent_on = models.DateField(
        _("samtycke lämnat"),
        null=True,
        blank=True,
        help_text=_("Krävs för en namngiven person: dagen personen samtyckte till att stå i katalogen."),
    )

    objects = ScopedManager(association="service__association")

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("kontaktväg")
        verbose_name_plural = _("kontaktvägar")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ContactKind.PERSON and not self.consent_on:
            errors["consent_on"] = str(
                _("En namngiven person står bara i katalogen med sitt samtycke. Ange när hen samtyckte.")
            )
        if not self.email and not self.phone:
            errors["phone"] = str(_("Ange ett telefonnummer eller en e-postadress."))
        if errors:
            raise ValidationError(errors)


class Location(TenantModel):
    """A place where services are given: an HSDS location (physical) with its address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="directory_locations", verbose_name=_("myndighet")
    )
    name = models.CharField(_("namn"), max_length=200)
    street = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    municipality = models.CharField(_("kommun"), max_length=100, blank=True)
    accessibility = models.TextField(_("tillgänglighet"), blank=True, help_text=_("T.ex. hiss, ramp, hörslinga."))
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6, null=True, blank=True)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("plats")
        verbose_name_plural = _("platser")

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """A service given at a location (HSDS service_at_location)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")

    objects = ScopedManager(association="service__association")

    class Meta:
        verbose_name = _("tjänst på plats")
        verbose_name_plural = _("tjänster på platser")
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_once")]

    def __str__(self) -> str:
        return f"{self.service} · {self.location}"


class Schedule(models.Model):
    """Opening hours (HSDS schedule, weekly): for a service, or for a service at one location."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    byday = models.CharField(_("dagar"), max_length=40, help_text=_("RFC 5545-koder, t.ex. MO,TU,WE."))
    opens_at = models.TimeField(_("öppnar"), null=True, blank=True)
    closes_at = models.TimeField(_("stänger"), null=True, blank=True)
    description = models.CharField(_("beskrivning"), max_length=200, blank=True, help_text=_("T.ex. drop-in."))

    objects = ScopedManager(association="service__association")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("öppettid")
        verbose_name_plural = _("öppettider")

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}–{self.closes_at}"

    @property
    def days(self) -> list[str]:
        return [day for day in self.byday.split(",") if day]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.days or any(day not in BYDAY_CODES for day in self.days):
            errors["byday"] = str(_("Välj minst en veckodag."))
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = str(_("Stängningstiden måste vara efter öppningstiden."))
        if self.service_at_location_id and self.service_at_location.service_id != self.service_id:
            errors["service_at_location"] = str(_("Platsen hör inte till tjänsten."))
        if errors:
            raise ValidationError(errors)


class MeetingStatus(models.TextChoices):
    SENT = "skickad", _("Skickad")
    ACCEPTED = "besvarad", _("Besvarad")
    DECLINED = "avbojd", _("Avböjd")


class MeetingRequest(TenantModel):
    """A request for a collaboration meeting about a case, sent to a service's contact route.

    The description is de-identified (no name, personnummer, address; the form refuses the obvious
    patterns). Only the date is kept, not the time; the answer link's secret is in the mail alone.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="meeting_requests")
    contact_route = models.ForeignKey(
        ContactRoute, null=True, on_delete=models.SET_NULL, related_name="meeting_requests"
    )
    description = models.TextField(_("vad mötet gäller"))
    requesting_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("från myndighet")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("begärd av")
    )
    requested_on = models.DateField(_("begärd"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SENT)
    answer = models.TextField(_("svar"), blank=True)
    answered_on = models.DateField(_("besvarad"), null=True, blank=True)
    answer_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    mail_status = models.CharField(max_length=20, default="queued", editable=False)
    mail_error = models.CharField(max_length=200, blank=True, editable=False)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("begäran om samverkansmöte")
        verbose_name_plural = _("begäranden om samverkansmöte")

    def __str__(self) -> str:
        return f"{self.service} {self.requested_on}"
