# One command to run, one to test. Only Python 3.11+ is needed on the machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Development defaults; production sets DEBUG=false and a real SECRET_KEY (see README).
export DEBUG ?= true
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup translations lint typecheck layers deadcode size check serve lock clean bench

$(STAMP): requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.lock
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/python scripts/compile_translations.py

setup: $(STAMP) translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: setup
	@echo "Portal: http://$(HOST):$(PORT)/  (demo logins above, password: demo)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

# The layers between apps (.importlinter; CONTRIBUTING.md explains them).
layers: $(STAMP)
	$(BIN)/lint-imports --no-cache --no-logo

# Dead code. Django finds some names itself (Meta, handle, render_*, clean_*...): ignored by
# name; the rest that only templates, settings or openpyxl read are in vulture_whitelist.py.
APPS := accounts api audit bench briefing config dashboards demo fileread lib notifications printing \
	reports rollup targets unions
VULTURE_IGNORE := Meta,add_arguments,handle,handle_*,ready,render_*,clean,clean_*,filter_*,get_*
VULTURE_IGNORE := $(VULTURE_IGNORE),has_*_permission,app_name,urlpatterns,handler[0-9]*,db_for_*
VULTURE_IGNORE := $(VULTURE_IGNORE),allow_*,*Config,*Middleware,*Admin,application,form_class
VULTURE_IGNORE := $(VULTURE_IGNORE),success_url,template_name,fields,model,widgets,labels,ordering
VULTURE_IGNORE := $(VULTURE_IGNORE),verbose_name*,constraints,indexes,list_display,list_filter
VULTURE_IGNORE := $(VULTURE_IGNORE),search_fields,readonly_fields,autocomplete_fields,orderable
VULTURE_IGNORE := $(VULTURE_IGNORE),field_order,exclude,attrs,default_auto_field,help,inlines
deadcode: $(STAMP)
	$(BIN)/vulture $(APPS) vulture_whitelist.py $(VULTURE_ARGS) --exclude "*/migrations/*,config/settings.py,config/formats/" \
	  --ignore-names "$(VULTURE_IGNORE)"

# Sizes (CONTRIBUTING.md): no function over 40 lines or 6 parameters, no module over 400 lines.
size: $(STAMP)
	$(BIN)/python scripts/size_check.py

check: lint typecheck layers deadcode size
	$(BIN)/python manage.py makemigrations --check --dry-run

# Production-style serving: gunicorn, static files through whitenoise, DEBUG off.
# With DATABASE_OWNER_URL (PostgreSQL), the owner role migrates and grants, and the portal
# runs as the role of DATABASE_URL, which may only read and add audit entries (README).
serve: $(STAMP) translations
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=false DATABASE_URL="$${DATABASE_OWNER_URL:-$$DATABASE_URL}" $(BIN)/python manage.py migrate --noinput
	DEBUG=false DATABASE_URL="$${DATABASE_OWNER_URL:-$$DATABASE_URL}" $(BIN)/python manage.py createcachetable
	if [ -n "$${DATABASE_OWNER_URL:-}" ]; then \
	  DEBUG=false APP_DATABASE_URL="$$DATABASE_URL" DATABASE_URL="$$DATABASE_OWNER_URL" \
	    $(BIN)/python manage.py db_app_role; \
	fi
	DEBUG=false $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 3

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Province and national benchmark under gunicorn (DATABASE_URL must point at PostgreSQL;
# creates chitieu_bench_province and chitieu_bench_national there). See README, Performance.
bench: $(STAMP) translations
	$(BIN)/python bench/run.py
