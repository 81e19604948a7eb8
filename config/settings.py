"""Settings for the portal, in one module driven by environment variables.

Development needs nothing: SQLite in the project folder and DEBUG from `make run`.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import datetime as dt
import sys
from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - refused when serving
SECRET_KEY = env.str("SECRET_KEY", default="") or _DEV_SECRET
# Management commands (migrations, checks) run without a secret; the web server does not
# start with DEBUG off unless this names a real one (config/wsgi.py).
SERVING_REFUSAL = ""
if SECRET_KEY == _DEV_SECRET:
    SERVING_REFUSAL = (
        "SECRET_KEY is not set. With DEBUG off the portal needs a real secret "
        "(50 random characters; see README, Deployment)."
    )
elif len(SECRET_KEY) < 40 or SECRET_KEY.startswith(("django-insecure", "dev-")):
    SERVING_REFUSAL = "SECRET_KEY is too short or a development key; set a real secret."

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "accounts",
    "unions",
    "targets",
    "reports",
    "rollup",
    "dashboards",
    "briefing",
    "api",
    "audit",
    "printing",
    "notifications",
    # Demo data (make setup) and the benchmark's synthetic data: above every other app.
    "demo",
    "bench",
]

MIDDLEWARE = [
    # /healthz for a load balancer, before any redirect, host check, session or throttling.
    "config.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages travel compressed (a 40 KiB overview is ~8 KiB over a slow mountain line). Below
    # WhiteNoise, which answers static files itself, already compressed; Django adds random
    # bytes to each compressed response against BREACH, and masks CSRF tokens anyway.
    "django.middleware.gzip.GZipMiddleware",
    # Permissions-Policy everywhere; no-store on what a signed-in user sees and on downloads.
    "config.hardening.PrivateResponsesMiddleware",
    # Before anything reads the session or the database: NUL bytes and oversize fields.
    "config.hardening.HostileInputMiddleware",
    "config.routers.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "config.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several requests write at once (reports); wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Optional read replica for dashboards and the read API (config/routers.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    # A replica that does not answer at once is skipped, not waited for.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("REPLICA_CONNECT_TIMEOUT", default=2)
    )
# A replica lagging by more than this is skipped; one that fails is not asked again for this
# long; a browser that wrote reads from the primary for at most this long (or until the replica
# has replayed its write, if sooner).
REPLICA_MAX_LAG_SECONDS = env.float("REPLICA_MAX_LAG_SECONDS", default=30.0)
REPLICA_DOWN_SECONDS = env.float("REPLICA_DOWN_SECONDS", default=30.0)
# A worker keeps the rows of breakdowns of at least this many rows (a national indicator
# page's 4,240), up to this many rows in all, while the figures stay the same
# (`rollup.figures_cache`; 0 keeps none).
BREAKDOWN_KEPT_MIN_ROWS = env.int("BREAKDOWN_KEPT_MIN_ROWS", default=1000)
BREAKDOWN_KEPT_MAX_ROWS = env.int("BREAKDOWN_KEPT_MAX_ROWS", default=20000)
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=300)
# Keep a worker's connection between requests (opening one costs several milliseconds on
# PostgreSQL, a third of a light page); checked before reuse. 0 closes after every request,
# as needed behind a transaction-pooling PgBouncer.
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    _database["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
# No state in the processes when several instances run: sessions and login throttling are in
# the database already; set CACHE_URL=dbcache://django_cache (after `createcachetable`) or
# rediscache://127.0.0.1:6379/1 (with the redis package). One dev server: process memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The totals' covering indexes carry their sums on PostgreSQL only; SQLite (the embedded
# default) indexes the key columns and is told nothing more.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
if TESTING:
    # Hashing strength is irrelevant in tests and PBKDF2 costs most of a second per login.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Login throttling: five wrong passwords for one username from one address lock that pair out
# for 15 minutes; other people, and the same person elsewhere, can still log in. Twenty wrong
# passwords from one address, for any usernames, lock the address. The test
# client's login() passes no request, which django-axes refuses, so the suite runs with it off
# and the throttling tests switch it on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=not TESTING)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
# The second parameter counts one address across usernames; accounts/throttling.py scales it so
# that 20 failures from one address (guesses spread over many accounts) lock that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.throttling.AddressAwareHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# The address is REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
# outermost of them saw (accounts/addresses.py); what a client writes itself is never trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"

# Content Security Policy: only the portal's own files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Vietnamese first, English second; numbers and dates the Vietnamese way.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise scans the static folder whenever a handler starts (every test client);
# in development and tests it looks files up per request instead.
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="chitieu@ldld.laichau.local")

# Uploads (Excel/CSV) are read in memory up to this size and refused beyond it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "portal/table.html"

# Labels demo data on every page; set by load_demo, readable without a query.
# The portal's address as people reach it, for links in emails (no trailing slash).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
PORTAL_NAME = _("Programme targets portal")
# Four eyes: whoever last changed a report's figures may not approve it (reports.foureyes).
FOUR_EYES = env.bool("FOUR_EYES", default=True)

if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A plain-HTTP trial on the intranet sets SECURE_SSL_REDIRECT=false SECURE_COOKIES=false.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
