"""Samverkan settings: one module, every deploy-time value from the environment.

The embedded default (no environment at all) is a development set-up on SQLite
that needs no other service. Production sets DJANGO_DEBUG=false, a secret key,
allowed hosts and DATABASE_URL; `manage.py check --deploy` must then be silent.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-change-me-in-production-0123456789abcdefghijkl"  # noqa: S105 - dev only, refused when DEBUG is off
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise RuntimeError("DJANGO_SECRET_KEY must not be the development key when DJANGO_DEBUG is false.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "samverkan.common.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "samverkan.common",
    "samverkan.accounts",
    "samverkan.tenancy",
    "samverkan.jobs",
    "samverkan.measure",
    "samverkan.workshops",
    "samverkan.interventions",
    "samverkan.economics",
    "samverkan.network",
]

MIDDLEWARE = [
    # First: each request starts with no tenant scope, and the scope it activates dies with it.
    "samverkan.common.middleware.TenantScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "samverkan.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down: one connection attempt, then the Swedish 503 (common/middleware.py).
    "samverkan.common.middleware.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.common.middleware.SwedishByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Someone with a second factor passes it before any other page (samverkan/accounts/second_factor.py).
    "samverkan.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"
ASGI_APPLICATION = "samverkan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samverkan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.tenancy.context_processors.current_association",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server take answers while a page reads.
    DATABASES["default"]["OPTIONS"] = {
        # Seconds a request waits for another's write lock before "database is locked" (then the 503
        # page); SQLite has no server to hang, so no connect timeout applies.
        "timeout": env.float("DATABASE_SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Kept open between requests under a production server: opening one (and its PRAGMAs) cost about
    # 1 ms per request. Not with DEBUG: the development server runs each request in a new thread,
    # which would leave a connection behind per thread (Django's advice for runserver).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The few statements a respondent triggers on every request are prepared per connection
    # (samverkan/common/sql.py); Django's own queries never are. Turn off behind a connection pooler
    # that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        5 if env.bool("DATABASE_PREPARED_STATEMENTS", default=True) else None
    )
    # A database that does not answer gives the 503 page after this many seconds instead of holding
    # the request (and the worker) until gunicorn kills it.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://samverkan")}

# Background work (Django's tasks framework, the django-tasks backport). TASKS_BACKEND picks the queue:
# "database" (default, embedded: `manage.py db_worker` runs the jobs; `make demo` starts one), "rq"
# (Redis through RQ, for production: `manage.py rqworker default` on as many machines as needed, REDIS_URL),
# or "immediate" (run inside the request; tests and one-off scripts).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="database")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env.str("REDIS_URL", default="redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise RuntimeError("TASKS_BACKEND must be database, rq or immediate.")

# Long jobs (samverkan/jobs): a finished job's file is kept this long, then `prune_jobs` deletes it; a job
# whose worker has not reported for SAMVERKAN_JOB_STALE_HOURS is failed so it can be started again.
SAMVERKAN_JOB_RESULT_HOURS = env.int("SAMVERKAN_JOB_RESULT_HOURS", default=24)
SAMVERKAN_JOB_STALE_HOURS = env.int("SAMVERKAN_JOB_STALE_HOURS", default=6)
# An open round with this many published answers has its stale results rebuilt by a job, not in the request.
SAMVERKAN_RESULTS_REBUILD_IN_JOB_FROM = env.int("SAMVERKAN_RESULTS_REBUILD_IN_JOB_FROM", default=10_000)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "tenancy:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failed logins (django-axes): per user name and address pair.
# API lists come a page at a time (?limit=&offset=, answer {"items": [...], "count": N}).
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 100

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# The pair is locked, not the user: an attacker who guesses wrong locks out only himself at his
# address, never the person at hers (behind the proxy every client must therefore have its own
# address, see SAMVERKAN_PROXY_COUNT).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form posts the e-mail in the field Django calls "username"; it is counted as login
# matches it (any letter case), and the address is read as samverkan/accounts/lockout.py says.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "samverkan.accounts.lockout.lockout_username"
AXES_CLIENT_IP_CALLABLE = "samverkan.accounts.lockout.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Keep nothing personal longer than the lockout needs: no log of successful logins (name, address,
# time), no failure log; failed attempts are pruned by `manage.py prune_login_attempts`.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# No personal data in logs: axes must not write user names or addresses to the log.
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]

# The second factor (samverkan/accounts/second_factor.py): the name authenticator apps show, and the
# throttles of django-otp (each wrong code doubles the wait before the next: 1, 2, 4, 8 … seconds).
OTP_TOTP_ISSUER = "Samverkan"
# The platform's admin site may remove a device (someone lost the phone and the codes) but never shows a secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=1)
OTP_RECOVERY_THROTTLE_FACTOR = env.int("OTP_THROTTLE_FACTOR", default=1)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "samverkan" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Samverkan <noreply@samverkan.local>")

# Security: strict in production, relaxed only where the dev server needs it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of our own stand in front of gunicorn, each appending the address it saw to
# X-Forwarded-For. 0: the client's address is the connecting one and X-Forwarded-For is ignored.
SAMVERKAN_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
if SAMVERKAN_PROXY_COUNT < 0:
    raise RuntimeError("DJANGO_PROXY_COUNT cannot be negative.")

# Content-Security-Policy: everything from our own origin; no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

# Logs carry no personal data: no request bodies, no user names, no addresses.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# Anonymity: the smallest group any output shows (PRODUCT.md; never below 3).
# While a campaign is open, results may be this many seconds behind the newest answers (0: always fresh).
SAMVERKAN_RESULTS_MAX_AGE = env.int("SAMVERKAN_RESULTS_MAX_AGE", default=120)

# Anonymity key: keyed hashes (receipts, drafts, invitation lookups) and sealed waiting answers use it.
# Keep it outside the database and its backups; empty: derived from DJANGO_SECRET_KEY. Never change it while
# a round is open (waiting answers could no longer be unsealed, and personal links would stop working).
SAMVERKAN_ANONYMITY_KEY = env.str("SAMVERKAN_ANONYMITY_KEY", default="")

# Personal identity numbers of participants are kept only as a keyed hash (interventions/identity.py). The key lives
# outside the database; empty: derived from DJANGO_SECRET_KEY. To rotate, move the old key to
# SAMVERKAN_PERSONNUMMER_OLD_KEYS (comma separated) while matches re-hash under the new one.
SAMVERKAN_PERSONNUMMER_KEY = env.str("SAMVERKAN_PERSONNUMMER_KEY", default="")
SAMVERKAN_PERSONNUMMER_OLD_KEYS = env.list("SAMVERKAN_PERSONNUMMER_OLD_KEYS", default=[])

# Onboarding: how long an invitation link works; the site's address for links the command mails.
SAMVERKAN_INVITATION_DAYS = env.int("SAMVERKAN_INVITATION_DAYS", default=14)
SAMVERKAN_BASE_URL = env.str("SAMVERKAN_BASE_URL", default="http://127.0.0.1:8000")

# Unsent drafts not saved for this many days are deleted by `manage.py prune_drafts`.
SAMVERKAN_DRAFT_DAYS = env.int("SAMVERKAN_DRAFT_DAYS", default=60)

# The benchmark compares a level only when at least this many other associations take part (never below 3),
# so that no single association can be singled out.
SAMVERKAN_BENCHMARK_MIN_PEERS = env.int("SAMVERKAN_BENCHMARK_MIN_PEERS", default=5)
if SAMVERKAN_BENCHMARK_MIN_PEERS < 3:
    raise RuntimeError("SAMVERKAN_BENCHMARK_MIN_PEERS can never be below 3.")

# The platform floor for the minimum group size: no association or campaign can go below it.
SAMVERKAN_MIN_GROUP_SIZE = env.int("SAMVERKAN_MIN_GROUP_SIZE", default=3)
if SAMVERKAN_MIN_GROUP_SIZE < 3:
    raise RuntimeError("SAMVERKAN_MIN_GROUP_SIZE can never be below 3.")
