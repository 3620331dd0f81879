"""Settings for the case assessment tool, read from the environment.

Every variable is optional for local work; with DEBUG off, SECRET_KEY and
ALLOWED_HOSTS must be given. Malformed values stop the process with a message
naming the variable.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    local_postgres_reachable,
    redis_url_checked,
    tcp_port_open,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local development only: sessions signed with this key are worthless elsewhere.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "axes",
    "csp",
    "audit",
    "standards",
    "inspection",
    "casereview",
    "reports",
    "retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NulAddressMiddleware",  # after authentication: its 404 page shows the user
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",  # before the first query
    "config.middleware.SessionLimitsMiddleware",
    "config.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.session",
            ],
        },
    },
]

# Postgres is the store of record. Without DATABASE_URL, and only with DEBUG on (the
# demo), a local Postgres is used when one answers (libpq's PGHOST/PGPORT/PGUSER/PGPASSWORD
# apply), else an SQLite file, so that the demo runs on a bare machine. With DEBUG off a
# missing DATABASE_URL stops the process: production never runs on a silent stand-in.
LOCAL_POSTGRES_URL = "postgres:///case_assessment"
if os.environ.get("DATABASE_URL", "").strip():
    DATABASES = {"default": database_config(os.environ["DATABASE_URL"].strip())}
elif not DEBUG:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when DEBUG is off, e.g. "
        "postgres://user:password@host:5432/name (no SQLite stand-in in production)."
    )
elif local_postgres_reachable(LOCAL_POSTGRES_URL):
    DATABASES = {"default": database_config(LOCAL_POSTGRES_URL)}
else:
    sqlite_path = Path(os.environ.get("SQLITE_PATH", VAR_DIR / "db.sqlite3"))
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": database_config(f"sqlite:///{sqlite_path}")}
DATABASE_FALLBACK = DATABASES["default"]["ENGINE"].endswith("sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed-in sessions end after this much inactivity; pages warn two minutes before.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
# ... and, active or not, this long after signing in.
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 10, minimum=1) * 3600

# Sign-in lockout (django-axes): an account is locked after 5 failures on it, whatever the
# address, so that a colleague behind the same proxy or office network still signs in.
# An address is throttled only at a much higher rate (config/sign_in.py), against guessing
# across many accounts. The lock ends a fixed time after it began: failures meanwhile do
# not extend it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "config.addresses.client_address"
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 50, minimum=1)
SIGN_IN_ADDRESS_MINUTES = env_int("SIGN_IN_ADDRESS_MINUTES", 15, minimum=1)
# The TLS proxies (addresses or CIDR ranges) whose X-Forwarded-For header names the client
# (config/addresses.py). Empty: the header is ignored and the connection's address is used.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
# axes warns when it does not lock by address: config/sign_in.py throttles addresses itself,
# at a rate that does not lock out an office behind one proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# govuk-frontend comes from the npm registry at set-up (node_modules, not
# committed); static/build holds our stylesheet compiled from it.
STATICFILES_DIRS = [
    BASE_DIR / "static" / "build",
    BASE_DIR / "node_modules" / "govuk-frontend" / "dist",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Report PDFs are kept where every web process and worker reaches them, never on one
# machine's disk: in Postgres by default, or in S3-compatible object storage. S3's
# credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
# an instance role), never from this file.
REPORT_STORAGE = env_choice("REPORT_STORAGE", "DATABASE", ("DATABASE", "S3"))
if REPORT_STORAGE == "S3":
    if not os.environ.get("S3_BUCKET", "").strip():
        raise ImproperlyConfigured("S3_BUCKET must be set when REPORT_STORAGE is s3.")
    STORAGES["reports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"].strip(),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("S3_REGION", "").strip() or None,
            "default_acl": None,  # private: the bucket's own policy applies
            "file_overwrite": False,
        },
    }
else:
    STORAGES["reports"] = {"BACKEND": "reports.storage.DatabaseStorage"}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Celery carries messages over Redis; Postgres keeps all state. Without REDIS_URL, and
# only with DEBUG on, a local Redis is used when one answers, else tasks run in-process.
# With DEBUG off both stand-ins are refused: reports are built by workers, never inside
# a web request.
LOCAL_REDIS_PORT = env_int("LOCAL_REDIS_PORT", 6379, minimum=1)
if os.environ.get("REDIS_URL", "").strip():
    REDIS_URL = redis_url_checked(os.environ["REDIS_URL"].strip())
elif not DEBUG:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off, e.g. redis://host:6379/0 "
        "(no in-process tasks in production)."
    )
elif tcp_port_open("127.0.0.1", LOCAL_REDIS_PORT):
    REDIS_URL = f"redis://127.0.0.1:{LOCAL_REDIS_PORT}/0"
else:
    REDIS_URL = ""
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
if CELERY_TASK_ALWAYS_EAGER and not DEBUG:
    raise ImproperlyConfigured(
        "CELERY_TASK_ALWAYS_EAGER is for the demo and tests only: turn it off when DEBUG is off."
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers log through LOGGING below, so its filter keeps case details out of their logs too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis down or not answering holds a web request that sends a job a few seconds at
    # most; the job stays in Postgres and a sweep sends it once Redis is back.
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
    # A build taken by a worker that died is handed out again after this long. Keep it
    # above a build's time limit and a retry's delay (375 s), or a slow build would be
    # handed out twice. Workers look for such messages every 10 s (one small query).
    "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 600, minimum=1),
    "unacked_restore_throttle": 1,
}
# A worker started with -B sends, every minute, the report jobs Redis could not take and
# those stuck (reports.services.report_jobs_requeue). The schedule is kept in memory: no file.
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-reports": {"task": "reports.tasks.requeue_stuck_reports", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULER = "celery.beat:Scheduler"

# Behind HTTPS in production: with DEBUG off these pass `check --deploy`.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict content security policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold_case_details": {"()": "config.log_filters.WithholdCaseDetails"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["withhold_case_details"]}
    },
    "loggers": {
        # WeasyPrint and fontTools describe every layout step at INFO: keep them quiet.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # SQL with its parameters (answers, reasons) is logged at DEBUG: never log it.
        "django.db.backends": {"level": "INFO"},
        # Django's own handlers (a console handler with DEBUG on, mail_admins) have no
        # filter and would print exception messages: configuring these loggers here
        # removes them, so Django's records reach the filtered handler above only.
        "django": {"level": "INFO", "propagate": True},
        "django.server": {"level": "INFO", "propagate": True},
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}
