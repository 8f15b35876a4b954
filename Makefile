# triage: one Makefile, no configure step.
#
#   make                  build every program into bin/
#   make check            unit tests and command cases (TAP)
#   make SANITIZE=1 check the same under AddressSanitizer and UBSan
#   make demo             the whole pipeline on the bundled workspace
#   make bench            benchmarks, written to BENCHMARKS.md
#   make fuzz             bounded fuzzing runs (clang)
#   make install          PREFIX=/usr/local DESTDIR=
#   make clean

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR     = $(PREFIX)/bin
MANDIR     = $(PREFIX)/share/man
SHAREDIR   = $(PREFIX)/share/triage

PKGS       = libcurl jansson sqlite3 zlib
CC        ?= cc
# CFLAGS=... on the command line replaces the -O2 -g default only: the
# flags the build needs, -Werror and the sanitizers are added to it.
override CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib -Icmd
CFLAGS    ?= -O2 -g
override CFLAGS += -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wvla -Wwrite-strings -Werror \
             -Wno-format-truncation
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
override LDLIBS += $(PKG_LIBS) -lm -lpthread

ifeq ($(SANITIZE),1)
BUILD      = build/san
BIN        = build/san/bin
# GCC's "undefined" leaves out the float checks; they are named.
SAN_FLAGS  = -fsanitize=address,undefined,float-cast-overflow,float-divide-by-zero
override CFLAGS += -O1 $(SAN_FLAGS) -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined,float-cast-overflow,float-divide-by-zero
override LDFLAGS += $(SAN_FLAGS)
else
BUILD      = build
BIN        = bin
endif

LIB_SRC    = $(wildcard lib/*.c lib/*/*.c)
LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBA       = $(BUILD)/libtriage.a
CLI_OBJ    = $(BUILD)/cmd/cli.o

PROGS      = $(patsubst cmd/%/main.c,%,$(wildcard cmd/*/main.c))
PROG_BINS  = $(foreach p,$(PROGS),$(BIN)/$(if $(filter triage,$(p)),triage,triage-$(p)))
SCRIPTS    = $(wildcard scripts/triage-*)
SCRIPT_BINS= $(SCRIPTS:scripts/%=$(BIN)/%)

UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPER_SRC = $(wildcard tests/helpers/*.c)
TEST_HELPERS = $(TEST_HELPER_SRC:tests/helpers/%.c=$(BUILD)/tests/%)

# Fuzz targets double as regression tests: built with tests/fuzz/replay.c
# they replay their corpus and every crash found (make check); built with
# clang's libFuzzer they fuzz (make fuzz).  A target names the cmd/ sources
# it needs on a line "FUZZ_SOURCES: cmd/x/a.c cmd/x/b.c".
FUZZ_SRC   = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)

MAN_PAGES  = $(wildcard doc/*.1)

.PHONY: all check demo bench fuzz install uninstall clean deps test-deps tests-build
.DEFAULT_GOAL := all

all: $(PROG_BINS) $(SCRIPT_BINS)

# Object files, with header dependencies tracked.
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# One rule per program: cmd/NAME/*.c -> bin/triage-NAME.
define prog_rule
$(1)_SRC := $$(wildcard cmd/$(1)/*.c)
$(1)_OBJ := $$($(1)_SRC:%.c=$(BUILD)/%.o)
$(BIN)/$(if $(filter triage,$(1)),triage,triage-$(1)): $$($(1)_OBJ) $(CLI_OBJ) $(LIBA)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_OBJ) $(CLI_OBJ) $(LIBA) $$(LDLIBS)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

$(BIN)/triage-%: scripts/triage-%
	@mkdir -p $(@D)
	cp $< $@
	chmod 755 $@

# Unit tests link against the library like any program.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.c tests/unit/tap.h $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/unit/tap.c $(LIBA) $(LDLIBS)

$(BUILD)/tests/%: tests/helpers/%.c $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

# These build triage-kql's output code into themselves.
$(BUILD)/tests/test_kql_output $(BUILD)/tests/kql-convert: \
    $(wildcard cmd/kql/output.[ch] cmd/kql/rawresp.[ch])

define fuzz_rule
$(1)_EXTRA := $$(shell sed -n 's/.*FUZZ_SOURCES: *//p' tests/fuzz/$(1).c)
$(BUILD)/tests/$(1): tests/fuzz/$(1).c tests/fuzz/replay.c $$($(1)_EXTRA:%.c=$(BUILD)/%.o) $(LIBA)
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) -Icmd/$$(word 2,$$(subst /, ,$$(firstword $$($(1)_EXTRA) cmd/none/x))) $$(PKG_CFLAGS) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$< tests/fuzz/replay.c $$($(1)_EXTRA:%.c=$(BUILD)/%.o) $(LIBA) $$(LDLIBS)
endef
$(foreach f,$(FUZZ_SRC:tests/fuzz/%.c=%),$(eval $(call fuzz_rule,$(f))))

-include tests/mock/mock.mk

tests-build: all $(UNIT_BINS) $(TEST_HELPERS) $(FUZZ_BINS) $(MOCK)

# Install what is missing (Debian packages): deps for building and the
# demo, test-deps also for the tests.
deps:
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps

test-deps:
	@scripts/install-deps --test --check >/dev/null 2>&1 || scripts/install-deps --test

check: test-deps
	@$(MAKE) --no-print-directory tests-build
	@BIN="$(CURDIR)/$(BIN)" BUILD="$(CURDIR)/$(BUILD)" \
	    SANITIZE="$(SANITIZE)" tests/run $(TESTS)

demo: deps
	@echo "==> building (make all)" >&2
	@$(MAKE) -s --no-print-directory all
	@BIN="$(CURDIR)/$(BIN)" scripts/demo

bench: test-deps
	@$(MAKE) --no-print-directory tests-build
	@BIN="$(CURDIR)/$(BIN)" BUILD="$(CURDIR)/$(BUILD)" bench/run $(BENCH)

fuzz:
	@scripts/install-deps --test --fuzz --check >/dev/null 2>&1 || scripts/install-deps --test --fuzz
	@tests/fuzz/run $(FUZZ)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(SHAREDIR)
	install -m 755 $(PROG_BINS) $(SCRIPT_BINS) $(DESTDIR)$(BINDIR)
	$(if $(MAN_PAGES),install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1)
	cp -R data prompts $(DESTDIR)$(SHAREDIR)/
	install -d $(DESTDIR)$(SHAREDIR)/examples $(DESTDIR)$(SHAREDIR)/scripts
	cp -R examples/eval examples/workspace $(DESTDIR)$(SHAREDIR)/examples/
	install -m 755 scripts/build-workspace $(DESTDIR)$(SHAREDIR)/scripts/

uninstall:
	for p in $(notdir $(PROG_BINS) $(SCRIPT_BINS)); do \
	    rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(MAN_PAGES)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf build bin tests/out

-include $(shell find build -name '*.d' 2>/dev/null)
