# The workbook's commands. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PACKAGES := libjpeg-dev libpng-dev libopenblas-dev ocl-icd-opencl-dev pocl-opencl-icd pkg-config bubblewrap unzip
# Only the tests need these (a browser to open the chapters' pages and the grades); learners never install them.
TEST_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps test-deps build run book watch-chapter test lint format bench gpu-check exercise watch solution exercises run-exercise help

help:
	@echo "make run            install what is missing, build, and step through 05-Learner"
	@echo "make book           run every chapter straight through; its pages and index.html go to out/"
	@echo "                    (QUICK=1: each with --quick; WORKBOOK_OUT=dir: elsewhere)"
	@echo "make watch-chapter C=07  run chapter 07, then again from the step you change, on every save"
	@echo "                    of its main.swift or of Shared/ (the page reloads itself; q⏎ quit)"
	@echo "make test           the test suite, after the format check (CI runs it, then test-classroom)"
	@echo "make test-classroom exercises apart, their time limits, the watches, the editor, a new exercise,"
	@echo "                    graded classes (one hostile)"
	@echo "make format         format every Swift file with swift format (.swift-format)"
	@echo "make bench          benchmarks (release build): engine, data, fit, side by side with PyTorch"
	@echo "make exercise N=16  check your answer to exercise 16 (make exercises lists them)"
	@echo "make watch N=16     check exercise 16 again each time you save it (h⏎ hint, q⏎ quit)"
	@echo "make hint N=16      a hint for exercise 16, one more each time"
	@echo "make run-exercise N=16  run the program that shows your answer to 16 at work"
	@echo "make solution N=16  run the same checks against the reference solution"
	@echo "make grade SUBMISSIONS=DIR   grade a class: every learner's answers, each in a sandbox"
	@echo "                    (limits: MEMORY=2G PROCESSES=64 WRITES=256M CPU=seconds OUTPUT=1M, also for exercise)"
	@echo "make new-exercise N=35 NAME=Clamp   lay out a new exercise of your own"
	@echo "make timings N=16 · make wrong-answer N=16 NAME=… · make test-solutions · make check-exercises"
	@echo "                    (the instructor's; the Makefile says what each does)"
	@echo "make gpu-check      GPU parity and speed (static binary; see README)"

# Installs the Debian packages the package links against, only when some are missing.
deps:
	@$(call install-missing,$(PACKAGES))

# The test-only packages (Chromium, for BrowserTests), only when missing; `make test` runs it.
test-deps:
	@$(call install-missing,$(TEST_PACKAGES))

# Installs those of the Debian packages $(1) that dpkg does not know as installed.
define install-missing
	missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

# The manifest finds exercises and applied wrong answers on disk, and SwiftPM caches it by its text and
# the environment: the folders, listed in the environment, make a new one count. (`workbook layout`
# lists them the same way.)
LAYOUT_BASES := Exercises Solutions Tests/ExerciseChecks .build/wrong-answers
export WORKBOOK_LAYOUT := $(sort $(foreach b,$(LAYOUT_BASES),$(wildcard $(b)/*/ $(b)/*/*/)))

# The tool is built again only when its sources change; the targets then start it without planning
# the package, which `swift build` does on every call.
TOOL := .build/debug/workbook
$(TOOL): $(wildcard Tests/ExerciseTool/*/*.swift Tests/ExerciseTool/*/*/*.swift Tests/AnswerRules/*.swift Shared/Support/*.swift) \
		Package.swift
	@WORKBOOK_EXERCISES=1 swift build --product workbook >/dev/null 2>&1 \
		|| WORKBOOK_EXERCISES=1 swift build --product workbook
	@touch $@

# The library, the chapters and the benchmarks; never the learner's answers in Exercises/ (the exercise
# commands below build those), so a half-written answer stops nothing here.
build: deps
	swift build

# Builds only what it runs.
run: deps
	swift run 05-Learner

# Every chapter run straight through (input from /dev/null, so no pauses), each writing its page to
# $WORKBOOK_OUT (default out/) and updating index.html there. A chapter that fails still has its page,
# which says so; the book carries on, and make fails at the end naming the chapters that failed.
CHAPTERS := $(notdir $(wildcard Chapters/*))
book: deps
	@for c in $(CHAPTERS); do \
		swift build --product $$c 2>&1 | { grep -vE '^\[|^Build|^Planning|^Compiling|^Write' || true; }; \
		[ $${PIPESTATUS[0]} -eq 0 ] || exit 1; \
	done
	@bin=$$(swift build --show-bin-path); failed=""; \
	for c in $(CHAPTERS); do \
		echo "── $$c"; \
		"$$bin/$$c" --no-pause $(if $(QUICK),--quick,) </dev/null || failed="$$failed $$c"; \
	done; \
	echo "The book: $${WORKBOOK_OUT:-out}/index.html"; \
	if [ -n "$$failed" ]; then echo "These chapters failed:$$failed"; exit 1; fi

# One chapter, run again on every save of its main.swift or of a file in Shared/ (`--watch`; the
# program watches, rebuilds itself and runs again from the first step that changed). A program built
# before is enough to start: the watch's own first build shows the compiler's errors, if any.
watch-chapter: deps
	@chapter=$$(cd Chapters && ls -d "$(C)"-* 2>/dev/null | head -1); \
	if [ -z "$$chapter" ]; then \
		echo "$(if $(C),There is no chapter $(C).,Which chapter? Say C=….) The chapters: $$(ls Chapters | cut -d- -f1 | xargs)"; \
		exit 2; \
	fi; \
	[ -x .build/debug/$$chapter ] || swift build --product $$chapter || exit 1; \
	exec .build/debug/$$chapter --watch $(ARGS)

# The whole suite: the library, every chapter with --quick, the known-wrong answers, the references'
# checks and the stubs' verdicts. It builds in $(TEST_SCRATCH) with the integrated driver, which starts a
# module's dependents once its interface is written; the learner's `.build` is left alone, as a folder
# built by one driver is rebuilt whole by the other.
TEST_SCRATCH := .build-test
test: deps test-deps lint $(TOOL)
	@$(TOOL) wrong-answer apply
	@# One build of all the suite needs, Exercises/ included, so that exercises compile beside the rest.
	WORKBOOK_EXERCISES=1 WORKBOOK_LAYOUT="$$($(TOOL) layout)" \
		swift build --build-tests --scratch-path $(TEST_SCRATCH) --use-integrated-swift-driver
	@# Below, only what that build made runs: a second plan would compile the layers again.
	@WORKBOOK_SCRATCH=$(TEST_SCRATCH) $(TOOL) suite
	@WORKBOOK_SCRATCH=$(TEST_SCRATCH) $(TOOL) solution all --prebuilt
	@WORKBOOK_SCRATCH=$(TEST_SCRATCH) $(TOOL) stubs --prebuilt --answer-regions-tested

# The house style is swift format's, configured in .swift-format; CI fails on any difference.
SWIFT_SOURCES := Package.swift Shared Chapters Exercises Solutions Tests Benchmarks
lint:
	swift format lint --strict --recursive --parallel --configuration .swift-format $(SWIFT_SOURCES)

format:
	swift format format --in-place --recursive --parallel --configuration .swift-format $(SWIFT_SOURCES)

# Release build, then the workbook beside PyTorch / PIL in one table (Benchmarks/bench.sh; not in CI:
# it takes a few minutes). Needs a quiet machine for figures that mean something.
bench:
	Benchmarks/bench.sh $(ARGS)

# GPU parity and speed: a static release binary bundled with the kernels (Benchmarks/gpu-check.sh
# explains how to run the bundle on a machine without Swift).
gpu-check:
	Benchmarks/gpu-check.sh $(ARGS)

# ---------------------------------------------------------------------------------------------------
# Exercises and solutions: each target is one command of `workbook` (Tests/ExerciseTool; `workbook
# help` lists them). `make help` says what the learner's ones do; the others:
#   make test-solutions   every exercise's checks against Solutions/ (CI)
#   make check-exercises  Exercises/ compiles, each stub gets a verdict, the trees differ only inside
#                         answer regions, and one exercise keeps its verdict with the others broken
#   make test-classroom   the learner's and the instructor's paths end to end, in the learner's .build
#   make timings N=16     the reference answer's time on each check (N=all: every exercise), from which
#                         the checks' time limits come (Tests/ExerciseChecks/N/Timings.tsv)
#   make wrong-answer N=16 NAME=slug   a copy of the reference to break; SAVE=1 keeps it as a diff
.PHONY: hint test-solutions check-exercises timings grade test-classroom new-exercise wrong-answer

# What an answer's checks may use besides time, when set (defaults in Tests/AnswerRules/ResourceLimits.swift):
# MEMORY=4G, PROCESSES=128, WRITES=1G, CPU=600 (seconds), OUTPUT=4M (bytes of output kept).
LIMIT_NAMES := MEMORY PROCESSES WRITES CPU OUTPUT
LIMITS := $(foreach v,$(LIMIT_NAMES),$(if $($(v)),WORKBOOK_$(v)=$($(v)),))
LIMIT_FLAGS := $(foreach v,$(LIMIT_NAMES),$(if $($(v)),--$(shell echo $(v) | tr A-Z a-z) $($(v)),))

exercise: deps $(TOOL)
	@env $(LIMITS) $(TOOL) check "$(N)"

watch: deps $(TOOL)
	@env $(LIMITS) $(TOOL) watch "$(N)"

run-exercise: deps $(TOOL)
	@$(TOOL) run "$(N)"

timings: deps $(TOOL)
	@$(TOOL) timings "$(N)"

new-exercise: $(TOOL)
	@$(TOOL) new "$(N)" "$(NAME)"

wrong-answer: $(TOOL)
	@$(TOOL) wrong-answer $(if $(SAVE),save,new) "$(N)" "$(NAME)"

solution: deps $(TOOL)
	@env $(LIMITS) $(TOOL) solution "$(N)"

hint: $(TOOL)
	@$(TOOL) hint "$(N)" $(if $(ALL),--all,) $(if $(RESET),--reset,)

exercises: $(TOOL)
	@$(TOOL) list

test-solutions: deps $(TOOL)
	@$(TOOL) solution all

check-exercises: deps $(TOOL)
	@$(TOOL) stubs
	@Tests/isolation-check.sh 16

grade: deps $(TOOL)
	@[ -n "$(SUBMISSIONS)" ] || { echo "Say which folder: make grade SUBMISSIONS=DIR (one entry per learner)"; exit 2; }
	@$(TOOL) grade "$(SUBMISSIONS)" --sandbox $(or $(SANDBOX),bwrap) $(if $(N),--only "$(N)",) $(LIMIT_FLAGS)

test-classroom: deps $(TOOL)
	@Tests/isolation-check.sh 16
	@Tests/time-limit-check.sh
	@python3 Tests/watch-check.py
	@python3 Tests/chapter-watch-check.py
	@python3 Tests/editor-check.py
	@Tests/new-exercise-check.sh
	@Tests/grade-check.sh
	@Tests/adversarial-check.sh
