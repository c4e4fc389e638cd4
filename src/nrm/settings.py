"""Settings for nrm: one file, driven by environment variables read through small typed helpers.

Every variable is named NRM_*; docs/operator-guide.md lists them. A value that cannot be parsed
stops start-up with a message naming the variable, rather than being silently ignored.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    # An empty variable counts as unset, so that `NRM_DATABASE_URL= make …` means the default.
    return os.environ.get(name) or default


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("NRM_DEBUG", default=False)
# The demo/dev key is derived so a fresh clone runs; production must set NRM_SECRET_KEY.
SECRET_KEY = env_str("NRM_SECRET_KEY", "insecure-development-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("NRM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("NRM_CSRF_TRUSTED_ORIGINS")

# Field-level encryption of identity data and the blind index used to search it.
# NRM_FIELD_KEYS: comma-separated "key_id:base64(32 bytes)"; the first one encrypts, all decrypt.
# NRM_BLIND_INDEX_KEY: base64(32 bytes), separate from the encryption keys.
# Without them a fixed development key ring is used, and `nrm check --deploy` warns.
NRM_FIELD_KEYS = env_str("NRM_FIELD_KEYS", "")
NRM_BLIND_INDEX_KEY = env_str("NRM_BLIND_INDEX_KEY", "")

# Exchange packages between nrm deployments (nrm.interchange.exchange). This deployment's id
# (short, stable: partners address packages to it), its name and country, its Ed25519 signing
# key and its X25519 encryption keys (base64 of 32 raw bytes; several encryption keys
# comma-separated, the first one current, the others still open packages sent before a change).
# Without keys, development keys derived from the id are used, and `nrm check --deploy` refuses.
NRM_DEPLOYMENT_ID = env_str("NRM_DEPLOYMENT_ID", "dev")
NRM_DEPLOYMENT_NAME = env_str("NRM_DEPLOYMENT_NAME", "")
NRM_DEPLOYMENT_COUNTRY = env_str("NRM_DEPLOYMENT_COUNTRY", "")
NRM_EXCHANGE_SIGNING_KEY = env_str("NRM_EXCHANGE_SIGNING_KEY", "")
NRM_EXCHANGE_ENCRYPTION_KEYS = env_str("NRM_EXCHANGE_ENCRYPTION_KEYS", "")
NRM_EXCHANGE_PACKAGE_DAYS = env_int("NRM_EXCHANGE_PACKAGE_DAYS", 14)
NRM_EXCHANGE_CLOCK_SKEW_SECONDS = env_int("NRM_EXCHANGE_CLOCK_SKEW_SECONDS", 600)

# TOTP two-factor for every role that sees personal data. Only the demo may relax it.
NRM_REQUIRE_2FA = env_bool("NRM_REQUIRE_2FA", default=True)
NRM_LOCKOUT_ATTEMPTS = env_int("NRM_LOCKOUT_ATTEMPTS", 5)
NRM_LOCKOUT_MINUTES = env_int("NRM_LOCKOUT_MINUTES", 15)
NRM_DISCLOSURE_THRESHOLD = env_int("NRM_DISCLOSURE_THRESHOLD", 5)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "nrm.core",
    "nrm.accounts",
    "nrm.directory",
    "nrm.registry",
    "nrm.identification",
    "nrm.justice",
    "nrm.referrals",
    "nrm.assistance",
    "nrm.linkage",
    "nrm.interchange",
    "nrm.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nrm.core.middleware.RequestContextMiddleware",
    "nrm.accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "nrm.urls"
WSGI_APPLICATION = "nrm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nrm.accounts.context_processors.viewer",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("NRM_DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'nrm.sqlite3'}"),
        conn_max_age=env_int("NRM_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after inactivity: the cookie age is renewed on every request.
SESSION_COOKIE_AGE = env_int("NRM_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("NRM_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Oversized requests are refused before a view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("NRM_MAX_REQUEST_BYTES", 1_000_000)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# HTCDS spreadsheet imports: the largest file and the most rows of cases in one import. An import
# is one transaction (all or nothing): see docs/operator-guide.md before raising them.
NRM_IMPORT_MAX_BYTES = env_int("NRM_IMPORT_MAX_BYTES", 10_000_000)
NRM_IMPORT_MAX_ROWS = env_int("NRM_IMPORT_MAX_ROWS", 5000)
# An XLSX export of more cases than this is written by a background job with a progress bar
# (a CSV export always streams as it is written).
NRM_EXPORT_XLSX_IN_REQUEST = env_int("NRM_EXPORT_XLSX_IN_REQUEST", 2000)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("kk", "Қазақша"),
    ("ky", "Кыргызча"),
    ("tg", "Тоҷикӣ"),
    ("uz", "Oʻzbekcha"),
    ("tk", "Türkmençe"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("NRM_TIME_ZONE", "Asia/Almaty")

STATIC_URL = "static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

EMAIL_BACKEND = env_str("NRM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("NRM_DEFAULT_FROM_EMAIL", "nrm@localhost")
EMAIL_HOST = env_str("NRM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("NRM_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("NRM_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("NRM_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NRM_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
# The address the application is reached at, for links in e-mails (which have no request).
NRM_BASE_URL = env_str("NRM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

NINJA_PAGINATION_PER_PAGE = 50

# Background work (imports, duplicate searches): django-tasks. "database" keeps the queue in the
# database and needs a worker (`nrm db_worker`; `nrm serve` starts one); "immediate" runs the
# work inside the request, for tests and one-off scripts.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = env_str("NRM_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NRM_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_task_backend!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# The cache holds only what may be lost: the progress of background work. Files on this machine
# by default (the web server and the worker are separate processes); NRM_CACHE_URL=redis://…
# when they run on several machines.
_cache_url = env_str("NRM_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url else
        {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
         "LOCATION": env_str("NRM_CACHE_DIR", str(PROJECT_DIR / ".cache"))}
    )
}

# Linkage (duplicate searches, spreadsheet checks): DuckDB in the process by default, with a
# memory limit beyond which it spills to NRM_LINKAGE_TEMP_DIR; Spark when one machine is not
# enough (the `spark` extra and Java 17).
NRM_LINKAGE_BACKEND = env_str("NRM_LINKAGE_BACKEND", "duckdb")
if NRM_LINKAGE_BACKEND not in {"duckdb", "spark"}:
    raise ImproperlyConfigured(
        f"NRM_LINKAGE_BACKEND must be duckdb or spark, not {NRM_LINKAGE_BACKEND!r}")
NRM_LINKAGE_MEMORY_LIMIT = env_str("NRM_LINKAGE_MEMORY_LIMIT", "3GB")
NRM_LINKAGE_TEMP_DIR = env_str("NRM_LINKAGE_TEMP_DIR", "")
NRM_LINKAGE_THREADS = env_int("NRM_LINKAGE_THREADS", 0)
NRM_SPARK_MASTER = env_str("NRM_SPARK_MASTER", "local[2]")
NRM_SPARK_PARTITIONS = env_int("NRM_SPARK_PARTITIONS", 8)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NRM_LOG_LEVEL", "WARNING")},
}

