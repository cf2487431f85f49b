# emheval - build, test and run.
#   make            libemheval.a, libemheval.so, the emheval binary, its man page and bash completion (in build/)
#   make install    copies them, compiling nothing (PREFIX=/usr/local, DESTDIR=); make uninstall removes them
#   make test       Check unit tests and end-to-end tests of the CLI (alias: check), then browser
#   make browser    HTML reports in headless Chromium: axe-core, screenshots; SARIF schema (tests/browser)
#   make asan       the same suite under AddressSanitizer + UBSan, leaks detected
#   make demo       evaluates the example submissions against HEAD's criteria
#   make deps       installs missing Debian packages (as root) or prints the command
#   make lint       banned functions; headers compile alone; no include goes up a layer
#   make bench      speed against the read/parse floors and the peers (tests/bench)
#   make bench-register  the register's benchmark alone (LEDGER_N=10000 dossiers)
#   make docs       regenerates docs/criteria.md from the committed criteria, docs/emheval.1 from cli/
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60) from the seeds
#   make valgrind   unit tests, fuzz replays and e2e files under valgrind: no error, no leak
# WERROR=0 drops -Werror for a newer compiler's new warnings.

CC ?= cc
WERROR ?= 1
PKGS = libgit2 libcjson libpcre2-8 libcrypto libzip libxml-2.0 libplist-2.0 link-grammar libexttextcat
DEB_PKGS = build-essential pkg-config libgit2-dev libcjson-dev libpcre2-dev libunistring-dev check libssl-dev git \
           libxml2-utils jq python3-jsonschema libzip-dev libxml2-dev libplist-dev liblink-grammar-dev \
           link-grammar-dictionaries-en libexttextcat-dev libexttextcat-data
# What the artifact reader tests build their fixtures with (tests/artifacts/make.sh): smali, aapt
# and aapt2, dexdump as the independent reader, zip, Python's zipfile and plistlib. The browser tests read
# the PDFs Chromium prints with poppler-utils (pdfinfo, pdftotext); tests/browser/run.sh installs
# chromium, nodejs and npm itself.
TEST_DEB_PKGS = default-jre-headless libsmali-java aapt dexdump zip unzip python3 poppler-utils

WARN = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wwrite-strings -Wcast-qual -Wimplicit-fallthrough -Wvla -Wconversion \
       -Wno-sign-conversion
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
BUILD ?= build
# No install path is compiled in: an installed emheval finds its data folder from its own location
# (cli/common.c), so `make install PREFIX=...` installs what `make` built (docs/decisions.md).
DEFS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DEMH_TEXTCAT_DIR='"$(TEXTCAT_DIR)"'
# libexttextcat's language fingerprints (evaluator/language.c).
TEXTCAT_DIR = $(or $(shell pkg-config --variable=pkgdatadir libexttextcat 2>/dev/null),/usr/share/libexttextcat)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)
# Position-independent objects serve both libemheval.a and libemheval.so; without semantic
# interposition the compiler still inlines across the library's own functions.
PIC = -fPIC -fno-semantic-interposition
CFLAGS_ALL = $(WARN) $(OPT) $(PIC) $(DEFS) -Iinclude -I. $(PKG_CFLAGS) -MMD -MP $(EXTRA_CFLAGS)
# libunistring ships no pkg-config file.
LDLIBS_ALL = $(PKG_LIBS) -lunistring -lpthread -lm $(EXTRA_LDFLAGS)

LIB_SRC = $(sort $(wildcard evaluator/*.c evaluator/dossier/*.c evaluator/audit/*.c evaluator/gate/*.c reports/*.c reports/gate/*.c register/*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/submission_schema.o
CLI_SRC = $(sort $(wildcard cli/*.c))
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/%.o)

LIB = $(BUILD)/libemheval.a
# The shared library: libemheval.so.MAJOR.MINOR.PATCH, its soname libemheval.so.MAJOR (0 while
# the ABI is not stable) and the libemheval.so link, from the version in include/emheval/emheval.h.
VERSION := $(shell sed -n 's/^\#define EMHEVAL_VERSION "\(.*\)"/\1/p' include/emheval/emheval.h)
SOMAJOR = $(firstword $(subst ., ,$(VERSION)))
SONAME = libemheval.so.$(SOMAJOR)
SHLIB = $(BUILD)/libemheval.so.$(VERSION)
BIN = $(BUILD)/emheval
# Bash completion, generated from the option tables (emheval --completion bash).
COMPLETION = $(BUILD)/emheval.bash
# The man page is generated from the option tables in cli/ (emheval --man); docs/emheval.1 is its
# committed copy (make docs), which tests/e2e/test_docs.sh keeps equal to it.
MAN = $(BUILD)/emheval.1
UNIT = $(BUILD)/check_runner

# Fuzz targets (tests/fuzz/README.md). The same sources build two ways: with
# libFuzzer for `make fuzz`, and with the standalone driver under the normal
# compiler, which replays regressions and seeds in `make test`.
FUZZ_TARGETS = submission criteria eval dossier audit har apk ipa html
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_DEB_PKGS = clang libclang-rt-14-dev
# Fuzzing caps regex and array work so that every input takes milliseconds.
FUZZ_CAPS = -DEMH_REGEX_MATCH_LIMIT=200000u -DEMH_REGEX_DEPTH_LIMIT=10000u \
            -DEMH_REGEX_HEAP_LIMIT_KIB=16384u -DEMH_MAX_ARRAY_VISIT=200000u \
            -DEMH_REGEX_SEARCH_BUDGET=2000000u
FUZZ_OBJ = $(BUILD)/tests/fuzz/fuzz_common.o
REPLAY = $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/fuzz_%)
FUZZERS = $(FUZZ_TARGETS:%=$(BUILD)/fuzzers/fuzz_%)
# Keep the objects that only the fuzz binaries' pattern rules name.
.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%.o) $(FUZZ_OBJ) $(BUILD)/tests/fuzz/standalone.o

.PHONY: all check test unit e2e browser asan demo deps lint clean docs fuzz fuzz-replay fuzzers valgrind bench bench-register \
	install uninstall
all: $(LIB) $(SHLIB) $(BIN) $(MAN) $(COMPLETION)

# V=1 shows the full commands.
Q = $(if $(V),,@)

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/tests/unit/%.o: tests/unit/%.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(CHECK_CFLAGS) -c $< -o $@

# Rebuild everything when the flags change.
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS_ALL) $(LDLIBS_ALL)' | cmp -s - $@ || echo '$(CC) $(CFLAGS_ALL) $(LDLIBS_ALL)' > $@
FORCE:

# The submission schema is compiled into the library (evaluator/validate.c):
# the contract and the engine's validation come from the same bytes.
$(BUILD)/gen/submission_schema.c: schemas/submission.schema.json
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GEN     $@")
	$(Q){ echo '/* generated from $< by the Makefile; do not edit */'; \
	  echo '#include "evaluator/validate.h"'; \
	  echo 'const char emh_submission_schema_json[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00 };'; \
	  echo 'const size_t emh_submission_schema_len = sizeof emh_submission_schema_json - 1;'; \
	} >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/submission_schema.o: $(BUILD)/gen/submission_schema.c $(BUILD)/.flags
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@$(if $(V),,echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(SHLIB): $(LIB_OBJ)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(LDLIBS_ALL)
	$(Q)ln -sf $(notdir $@) $(BUILD)/$(SONAME) && ln -sf $(SONAME) $(BUILD)/libemheval.so

# The binary links the static library: it runs wherever it is copied, without a library path.
$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(MAN): $(BIN)
	@$(if $(V),,echo "  GEN     $@")
	$(Q)$(BIN) --man >$@.tmp && mv $@.tmp $@

$(COMPLETION): $(BIN)
	@$(if $(V),,echo "  GEN     $@")
	$(Q)$(BIN) --completion bash >$@.tmp && mv $@.tmp $@

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ) $(BUILD)/tests/fuzz/standalone.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/fuzzers/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(OPT) -fsanitize=fuzzer,address,undefined,float-cast-overflow -o $@ $^ $(LDLIBS_ALL)

$(UNIT): $(UNIT_OBJ) $(LIB)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS_ALL)

deps:
	@sh tests/deps.sh $(DEB_PKGS) $(TEST_DEB_PKGS)

# The failures are repeated last: under `make asan` a leak report after a failed check would bury them.
unit: $(UNIT)
	@cd tests && { ../$(UNIT) >../$(BUILD)/unit.log 2>&1; rc=$$?; cat ../$(BUILD)/unit.log; \
	  if [ $$rc != 0 ]; then echo "unit: exit $$rc; failed checks:"; grep -E ':[FE]:' ../$(BUILD)/unit.log; fi; \
	  exit $$rc; }

e2e: $(BIN) $(MAN) $(COMPLETION)
	EMHEVAL=$(abspath $(BIN)) bash tests/e2e/run.sh

# Installs chromium (and nodejs, npm) through tests/deps.sh when missing; skipped only where that cannot be.
browser: $(BIN)
	EMHEVAL=$(abspath $(BIN)) bash tests/browser/run.sh

# Every past finding and every seed, replayed without libFuzzer.
fuzz-replay: $(REPLAY) $(BIN)
	@bash tests/fuzz/seeds.sh $(BUILD)/fuzz-seeds $(BIN) >/dev/null
	@for t in $(FUZZ_TARGETS); do \
	  $(BUILD)/fuzz-replay/fuzz_$$t tests/fuzz/regressions/$$t $(BUILD)/fuzz-seeds/$$t || exit 1; done

test: deps
	@$(MAKE) --no-print-directory all $(UNIT) $(REPLAY)
	@$(MAKE) --no-print-directory unit e2e browser fuzz-replay

check: test

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  EXTRA_CFLAGS='-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all' \
	  EXTRA_LDFLAGS='-fsanitize=address,undefined,float-cast-overflow' all build/asan/check_runner \
	  $(FUZZ_TARGETS:%=build/asan/fuzz-replay/fuzz_%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 CK_FORK=no \
	  LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
	  $(MAKE) --no-print-directory BUILD=build/asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  EXTRA_CFLAGS='-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all' \
	  EXTRA_LDFLAGS='-fsanitize=address,undefined,float-cast-overflow' unit e2e fuzz-replay

fuzzers: $(FUZZERS)

# valgrind: the unit runner (CK_FORK=no), every fuzz replay and the e2e files in
# VALGRIND_E2E, built at -O1 with every arena allocation its own malloc and regexes
# interpreted (memcheck cannot follow PCRE2's JIT code). No error and no definite or
# indirect leak is allowed: any valgrind report fails the target.
VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect \
           --errors-for-leak-kinds=definite,indirect --num-callers=30 --suppressions=$(abspath tests/valgrind/link-grammar.supp) \
           --suppressions=$(abspath tests/valgrind/glibc.supp)
VALGRIND_E2E ?= cli examples batch
valgrind: deps
	@sh tests/deps.sh valgrind
	@$(MAKE) --no-print-directory BUILD=build/valgrind OPT='-O1 -g' EXTRA_CFLAGS='-DEMH_ARENA_DEBUG -DEMH_REGEX_NO_JIT' \
	  all build/valgrind/check_runner $(FUZZ_TARGETS:%=build/valgrind/fuzz-replay/fuzz_%)
	cd tests && CK_FORK=no EMH_TEST_LIGHT=1 $(VALGRIND) ../build/valgrind/check_runner
	@bash tests/fuzz/seeds.sh build/valgrind/fuzz-seeds build/valgrind/emheval >/dev/null
	@for t in $(FUZZ_TARGETS); do \
	  $(VALGRIND) build/valgrind/fuzz-replay/fuzz_$$t tests/fuzz/regressions/$$t build/valgrind/fuzz-seeds/$$t || exit 1; done
	@rm -rf build/valgrind/logs && mkdir -p build/valgrind/logs
	@for t in $(VALGRIND_E2E); do \
	  VALGRIND_LOGS=$(abspath build/valgrind/logs) EMHEVAL_REAL=$(abspath build/valgrind/emheval) \
	  EMHEVAL=$(abspath tests/valgrind/emheval) bash tests/e2e/test_$$t.sh || exit 1; done
	@if find build/valgrind/logs -type f -size +0 | grep -q .; then \
	  echo "valgrind: reports in build/valgrind/logs:"; find build/valgrind/logs -type f -size +0 -exec cat {} +; exit 1; fi
	@echo "valgrind: no error, no leak ($(words $(VALGRIND_E2E)) e2e files, unit tests, fuzz replays)"

# libFuzzer with clang, ASan and UBSan; build/fuzz/corpus/ grows between runs.
fuzz:
	@sh tests/deps.sh $(DEB_PKGS) $(FUZZ_DEB_PKGS)
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=$(FUZZ_CC) OPT='-O1 -g -fno-omit-frame-pointer' \
	  EXTRA_CFLAGS='-fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-sanitize-recover=all $(FUZZ_CAPS)' \
	  EXTRA_LDFLAGS='-fsanitize=address,undefined,float-cast-overflow' fuzzers
	@bash tests/fuzz/seeds.sh build/fuzz/seeds $(BIN) >/dev/null
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash tests/fuzz/run.sh build/fuzz build/fuzz/seeds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(BIN)

BANNED = strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok
# Files whose allocations go through emh_malloc & co. (evaluator/arena.c), so the failure injection of
# tests/unit/check_alloc.c reaches them; json.c's cJSON hook is the one raw call there, and it counts itself.
ALLOC_WRAPPED = $(addprefix evaluator/,source.c json.c framework.c compile.c criteria.c submission.c \
  textnorm.c evaluate.c regex.c prefilter.c statement.c pointer.c language.c waive.c observe.c har.c trackers.c) \
  $(wildcard evaluator/dossier/*.c) $(wildcard reports/*.c)
lint:
	@! grep -nE '\b($(BANNED))\s*\(' $(LIB_SRC) $(CLI_SRC) include/emheval/*.h || { echo "banned function used"; exit 1; }
	@! grep -nE '(^|[^_[:alnum:].>])(malloc|calloc|realloc|strdup|strndup)\s*\(' $(ALLOC_WRAPPED) | \
	  grep -v 'emh_json_parsing ? emh_arena_alloc' || { echo "raw allocation: use emh_malloc, emh_calloc, emh_realloc, emh_strdup or emh_strndup"; exit 1; }
	@for h in include/emheval/*.h; do echo "#include \"$$h\"" | $(CC) $(WARN) $(DEFS) -Iinclude -I. $(PKG_CFLAGS) -x c -fsyntax-only - || exit 1; done
	@sh tests/layers.sh
	@echo "lint: ok"

# Speed against the floors and the peer engines of ../shared/bench (PEERS=path to override).
bench: deps
	@$(MAKE) --no-print-directory all
	EMHEVAL=$(abspath $(BIN)) bash tests/bench/run.sh

# The register's benchmark alone (issue 16 item 4): a ledger of LEDGER_N dossiers (default 10000), then
# ledger verify, register (fresh, again) and due, each timed with its max RSS; at nice 19, on a shared machine.
bench-register: all
	EMHEVAL=$(abspath $(BIN)) LEDGER_N=$${LEDGER_N:-10000} nice -n 19 bash tests/bench/register.sh

# docs/criteria.md is generated from the criteria committed at HEAD, docs/emheval.1 from cli/'s tables.
docs: all
	$(BIN) criteria --format markdown -o docs/criteria.md
	cp $(MAN) docs/emheval.1

# make install [PREFIX=/usr/local] [DESTDIR=]: copies what `make` built into $(BUILD) and compiles
# nothing (run `make` first, as yourself; then `make install`, as root if need be). Nothing built
# depends on PREFIX: the binary finds its data folder as ../share/emheval from its own location.
#   bin/emheval                                  the command (statically linked to libemheval)
#   lib/libemheval.a, lib/libemheval.so*         the library, static and shared (soname $(SONAME))
#   lib/pkgconfig/emheval.pc                     for pkg-config (Requires.private: the dependencies)
#   include/emheval/*.h                          the public headers
#   share/man/man1/emheval.1                     the man page
#   share/bash-completion/completions/emheval    bash completion (emheval --completion bash)
#   share/emheval/criteria.git                   the shipped criteria as a bare git repository (its
#                                                whole history, so a recorded commit can be evaluated again)
#   share/emheval/schemas/*.schema.json          the JSON Schemas (their $id is a name; docs/decisions.md)
#   share/doc/emheval/README.md, docs/*.md       the documents the man page's SEE ALSO names
# make uninstall [PREFIX] [DESTDIR] removes exactly those files and emheval's own folders (include/emheval,
# share/emheval, share/doc/emheval); shared folders such as bin/ or lib/pkgconfig stay.
PREFIX ?= /usr/local
DATADIR = $(PREFIX)/share/emheval
LIBDIR = $(PREFIX)/lib
INCLUDEDIR = $(PREFIX)/include
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
DOCDIR = $(PREFIX)/share/doc/emheval
HEADERS = $(notdir $(wildcard include/emheval/*.h))
SCHEMAS = $(notdir $(wildcard schemas/*.schema.json))
DOCS = $(notdir $(wildcard docs/*.md))
D = $(DESTDIR)
install:
	@for f in $(LIB) $(SHLIB) $(BIN) $(MAN) $(COMPLETION); do [ -f $$f ] || \
	  { echo "make install: $$f is not built; run make first (install compiles nothing)" >&2; exit 1; }; done
	install -d $(D)$(PREFIX)/bin $(D)$(LIBDIR)/pkgconfig $(D)$(INCLUDEDIR)/emheval $(D)$(PREFIX)/share/man/man1 \
	  $(D)$(COMPLETIONDIR) $(D)$(DATADIR)/schemas $(D)$(DOCDIR)/docs
	install -m 755 $(BIN) $(D)$(PREFIX)/bin/emheval
	install -m 644 $(LIB) $(D)$(LIBDIR)/libemheval.a
	install -m 755 $(SHLIB) $(D)$(LIBDIR)/
	ln -sf $(notdir $(SHLIB)) $(D)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(D)$(LIBDIR)/libemheval.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	  -e 's|@VERSION@|$(VERSION)|' -e 's|@REQUIRES@|$(PKGS)|' emheval.pc.in >$(D)$(LIBDIR)/pkgconfig/emheval.pc
	install -m 644 $(addprefix include/emheval/,$(HEADERS)) $(D)$(INCLUDEDIR)/emheval/
	install -m 644 $(MAN) $(D)$(PREFIX)/share/man/man1/emheval.1
	install -m 644 $(COMPLETION) $(D)$(COMPLETIONDIR)/emheval
	install -m 644 $(addprefix schemas/,$(SCHEMAS)) $(D)$(DATADIR)/schemas/
	install -m 644 README.md $(D)$(DOCDIR)/
	install -m 644 $(addprefix docs/,$(DOCS)) $(D)$(DOCDIR)/docs/
	rm -rf $(D)$(DATADIR)/criteria.git
	git clone -q --bare . $(D)$(DATADIR)/criteria.git

uninstall:
	rm -f $(D)$(PREFIX)/bin/emheval $(D)$(LIBDIR)/libemheval.a $(D)$(LIBDIR)/libemheval.so.$(VERSION) \
	  $(D)$(LIBDIR)/$(SONAME) $(D)$(LIBDIR)/libemheval.so $(D)$(LIBDIR)/pkgconfig/emheval.pc \
	  $(addprefix $(D)$(INCLUDEDIR)/emheval/,$(HEADERS)) $(D)$(PREFIX)/share/man/man1/emheval.1 \
	  $(D)$(COMPLETIONDIR)/emheval $(addprefix $(D)$(DATADIR)/schemas/,$(SCHEMAS)) \
	  $(D)$(DOCDIR)/README.md $(addprefix $(D)$(DOCDIR)/docs/,$(DOCS))
	rm -rf $(D)$(DATADIR)/criteria.git
	@for d in $(D)$(INCLUDEDIR)/emheval $(D)$(DATADIR)/schemas $(D)$(DATADIR) $(D)$(DOCDIR)/docs $(D)$(DOCDIR); do \
	  [ ! -d $$d ] || rmdir $$d || exit 1; done

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
