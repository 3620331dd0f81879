# Shared set-up steps for scripts/run and scripts/test. Sourced, not run.
# Each step checks before it acts, so a second run on a set-up machine is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
mkdir -p "$ROOT/var"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages given that are not installed yet.
APT_UPDATED=""
need_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Random local secrets, made once per machine and never committed: every
# checkout on this machine (CI's fresh clones too) shares the local database role.
ensure_local_secrets() {
  local dir="${XDG_CONFIG_HOME:-$HOME/.config}/case-assessment" name
  local file="$dir/local.env"
  mkdir -p "$dir"
  umask 077
  touch "$file"
  for name in LOCAL_DB_PASSWORD LOCAL_SECRET_KEY; do
    grep -q "^$name=" "$file" \
      || echo "$name=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)" >> "$file"
  done
  umask 022
  # shellcheck disable=SC1090
  . "$file"
}

# A virtual environment with the pinned Python packages (reinstalled when pyproject.toml changes).
ensure_python_env() {
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    need_debian_packages python3 python3-venv
    python=python3
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    "$python" -m venv "$VENV" 2>/dev/null || {
      need_debian_packages python3-venv
      "$python" -m venv "$VENV"
    }
  fi
  local stamp="$VENV/.installed" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-64)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages (pinned in pyproject.toml)"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "$ROOT[dev]"
    echo "$want" > "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

# govuk-frontend from the npm registry, and our stylesheet compiled from its Sass.
ensure_frontend() {
  command -v npm >/dev/null || need_debian_packages nodejs npm
  local stamp="$ROOT/node_modules/.installed" want
  want="$(cat "$ROOT/package.json" "$ROOT/package-lock.json" | sha256sum | cut -c1-64)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing front-end packages (govuk-frontend) from the npm registry"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp"
  fi
  if [ ! -f "$ROOT/static/build/app.css" ] || \
     [ -n "$(find "$ROOT/static/src" "$stamp" -newer "$ROOT/static/build/app.css" 2>/dev/null)" ]; then
    say "Building the stylesheet"
    (cd "$ROOT" && npm run --silent build)
  fi
}

postgres_running() { pg_isready -q -h 127.0.0.1 -p "${PGPORT:-5432}" 2>/dev/null; }

# Start an installed Postgres cluster that has stopped.
start_postgres() {
  postgres_running && return 0
  command -v pg_lsclusters >/dev/null || return 1
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [ -n "$version" ] || return 1
  say "Starting Postgres $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do postgres_running && return 0; sleep 0.5; done
  return 1
}

# The application's role and database, with the machine's local password (ensure_local_secrets).
ensure_postgres_database() {
  local sql="
    DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'case_assessment') THEN
        CREATE ROLE case_assessment LOGIN CREATEDB;
      END IF;
    END \$\$;
    ALTER ROLE case_assessment PASSWORD '$LOCAL_DB_PASSWORD';"
  as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "${PGPORT:-5432}" -c "$sql" >/dev/null
  if ! as_root runuser -u postgres -- psql -p "${PGPORT:-5432}" -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'case_assessment'" | grep -q 1; then
    as_root runuser -u postgres -- createdb -p "${PGPORT:-5432}" -O case_assessment case_assessment
  fi
  export DATABASE_URL="postgres://case_assessment:$LOCAL_DB_PASSWORD@127.0.0.1:${PGPORT:-5432}/case_assessment"
}

redis_running() { redis-cli -h 127.0.0.1 -p "${LOCAL_REDIS_PORT:-6379}" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  redis_running && return 0
  command -v redis-server >/dev/null || return 1
  say "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "${LOCAL_REDIS_PORT:-6379}" \
    --save "" --appendonly no --dir /tmp >/dev/null
  for _ in $(seq 1 20); do redis_running && return 0; sleep 0.25; done
  return 1
}
