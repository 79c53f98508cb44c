# Lantern: `make run` serves the demo school, `make test` runs every test (browser tests included)
# on SQLite and again on a throwaway PostgreSQL server the run starts and stops itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
# The demo's staff sign in without an authenticator app, unless LANTERN_MFA_REQUIRED=1 is set.
DEMO_MFA := LANTERN_MFA_REQUIRED=$${LANTERN_MFA_REQUIRED:-0}

.PHONY: run serve test install translations extract chromium fonts postgres redis axe lint format clean

run: install translations
	$(FLASK) db upgrade
	$(DEMO_MFA) $(FLASK) demo --if-empty
	@echo "Lantern is at http://127.0.0.1:5000  (Ctrl+C to stop)"
	$(DEMO_MFA) $(FLASK) run --host 127.0.0.1 --port 5000

# For real: gunicorn with gunicorn.conf.py, every setting from the environment (README, Running
# for real): LANTERN_DATABASE_URL (PostgreSQL), LANTERN_REDIS_URL, LANTERN_SECRET_KEY, ... It
# migrates first; it never loads the demo school.
serve: install translations
	@$(BIN)/python -c "import psycopg, redis" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[postgres,redis]'
	$(FLASK) db upgrade
	$(BIN)/gunicorn wsgi:app

# Both databases run even when the first fails; make test fails if either did. The fuzz test
# tries fewer examples per page on PostgreSQL (each restores a whole database): the forms and
# their checks are the same code, and every form there still gets the same kinds of odd values
# (NUL bytes, which PostgreSQL alone refuses in text, among them), only fewer of them.
test: install translations chromium fonts postgres redis
	@status=0; \
	$(BIN)/pytest || status=1; \
	LANTERN_FUZZ_EXAMPLES=$${LANTERN_FUZZ_EXAMPLES_POSTGRESQL:-10} $(BIN)/pytest --database postgresql || status=1; \
	exit $$status

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

# Catalogs are compiled here, never committed.
translations: install
	$(BIN)/pybabel compile --use-fuzzy -d translations -f >/dev/null 2>&1 || $(BIN)/pybabel compile -d translations

# After changing user-facing strings: refresh the template and every language's catalog.
extract: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

# Browser tests drive Debian's Chromium; install it when missing and we are root, else say why.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	  else \
	    echo "make test needs Chromium at /usr/bin/chromium for the browser tests." >&2; \
	    echo "Install it as root (Debian/Ubuntu: apt-get install chromium) and run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# Shared rate limits and caches are tested against a real redis-server (tests/redis_server.py
# starts one on a free port); install Debian's when missing and we are root, else say why.
redis:
	@if ! command -v redis-server >/dev/null && [ ! -x /usr/bin/redis-server ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing redis-server for the tests (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "make test needs redis-server for the shared rate-limit tests." >&2; \
	    echo "Install it as root (Debian/Ubuntu: apt-get install redis-server) and run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# Browser tests measure text with one known set of fonts (tests/browser/fonts.conf is all that
# Chromium sees there): Debian's fonts-dejavu-core and fonts-liberation.
TEST_FONTS := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf \
  /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf \
  /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf \
  /usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf
fonts:
	@missing=0; for f in $(TEST_FONTS); do [ -f "$$f" ] || missing=1; done; \
	if [ "$$missing" = "1" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing the browser tests' fonts (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core fonts-liberation >/dev/null; \
	  else \
	    echo "make test needs Debian's fonts-dejavu-core and fonts-liberation for the browser tests." >&2; \
	    echo "Install them as root (apt-get install fonts-dejavu-core fonts-liberation) and run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi

# The PostgreSQL run (tests/databases.py) starts its own server from Debian's postgresql package
# (initdb and postgres on PATH or in /usr/lib/postgresql/*/bin): install it when missing and we
# are root, else say why. psycopg (the postgres extra) goes into the virtualenv.
postgres: install
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing PostgreSQL for the tests (apt-get)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "make test needs PostgreSQL's server (initdb, postgres) to run the tests on PostgreSQL." >&2; \
	    echo "Install it as root (Debian/Ubuntu: apt-get install postgresql) and run make test again." >&2; \
	    exit 1; \
	  fi; \
	fi
	@$(BIN)/python -c "import psycopg" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[test,postgres]'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
