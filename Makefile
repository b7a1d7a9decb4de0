# pushgate - build, test and benchmark.
#
#   make                build/pushgate
#   make test           every unit and end-to-end test; last line
#                       "N passed, N failed, N skipped"
#   make test-sanitize  the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-thread    the tests that start threads, under ThreadSanitizer
#   make demo           a Gitea-layout repository with the hooks, real pushes
#   make check-style    banned calls and // comments
#   make bench          pushgate side by side with ripgrep, git and other scanners
#   make bench-quick    scanner throughput against ripgrep, side by side
#
# Missing libraries are installed on the first build (.ci/deps), never by
# clean, check-style or a dry run (make -n). WERROR=1 turns warnings into
# errors (CI sets it).

CC ?= cc
BUILD ?= build
CFLAGS ?= -O2 -g
LDFLAGS ?=
WERROR ?=
PKGS := libgit2 libpcre2-8 jansson yaml-0.1 libhs

# Shared with tests/fuzz/fuzz.mk.
PG_WARN = -Wall -Wextra -Wno-missing-field-initializers -Wshadow -Wformat=2 \
	-Wmissing-prototypes -Wstrict-prototypes -Wvla -Wundef -Wwrite-strings \
	$(if $(filter 1,$(WERROR)),-Werror)
PG_CFLAGS = -std=c11 -D_GNU_SOURCE $(PG_WARN) -I. $(DEP_CFLAGS) -MMD -MP
PG_LIBS = $(DEP_LIBS) -lm -lpthread

# The source folders, lowest layer first: a file includes headers of its
# own layer and those before it, never after (make check-style checks;
# docs/architecture.md says what each layer is for).
LAYERS := common git scanners policy report hooks

# EXCLUDE: sources left out of a build (a file mid-edit while testing others).
SRC := $(filter-out $(EXCLUDE),$(wildcard $(LAYERS:=/*.c)))
ASM := $(wildcard $(LAYERS:=/*.S))
EMBEDDED := $(wildcard $(LAYERS:=/*.yml))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out hooks/main.c,$(SRC))) \
	$(patsubst %.S,$(BUILD)/obj/%.o,$(ASM))
UNIT_SRC := $(wildcard tests/unit/*/*.c)
UNIT_BIN := $(patsubst %.c,$(BUILD)/%,$(UNIT_SRC))

all: $(BUILD)/pushgate

# Generated once per build directory: checks (and where it can, installs)
# the libraries, then records their flags. It is a prerequisite of what
# compiles, not an included makefile: make would remake (and so run
# .ci/deps) for any goal, even clean or under -n. The flags are read from
# it when a recipe runs, after it is made.
config_get = $(shell sed -n 's/^$(1) := //p' $(BUILD)/config.mk 2>/dev/null)
DEP_CFLAGS = $(call config_get,DEP_CFLAGS)
DEP_LIBS = $(call config_get,DEP_LIBS)
CMOCKA_LIBS = $(call config_get,CMOCKA_LIBS)
$(BUILD)/config.mk: .ci/deps
	@sh .ci/deps
	@mkdir -p $(BUILD)
	@{ echo "DEP_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	   echo "DEP_LIBS := $$(pkg-config --libs $(PKGS))"; \
	   echo "CMOCKA_LIBS := $$(pkg-config --libs cmocka)"; } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: %.c | $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(PG_CFLAGS) $(CFLAGS) -c $< -o $@

# Embedded YAML (.incbin) must rebuild when the YAML changes. The default
# rules' git blob id goes in with them, so a start need not hash 178 KB.
RULES_SHA1_CMD = { printf 'blob %d\000' $$(wc -c <scanners/default_rules.yml); \
	cat scanners/default_rules.yml; } | sha1sum | cut -c1-40
$(BUILD)/obj/%.o: %.S $(EMBEDDED)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DPG_DEFAULT_RULES_SHA1="\"$$($(RULES_SHA1_CMD))\"" -c $< -o $@

$(BUILD)/libpushgate.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pushgate: $(BUILD)/obj/hooks/main.o $(BUILD)/libpushgate.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PG_LIBS)

# The headers a test includes are in $@.d, so it rebuilds when they change.
$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libpushgate.a | $(BUILD)/config.mk
	@mkdir -p $(dir $@)
	$(CC) $(PG_CFLAGS) -MF $@.d -MT $@ $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libpushgate.a $(PG_LIBS) $(CMOCKA_LIBS)

test: $(BUILD)/pushgate $(UNIT_BIN)
	@sh tests/run.sh $(BUILD)

SANITIZE_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test-sanitize:
	$(MAKE) BUILD=build/sanitize CFLAGS="$(SANITIZE_FLAGS)" LDFLAGS="-fsanitize=address,undefined" test

# Only pushgate is instrumented; tests/tsan.supp says what that leaves out.
THREAD_TESTS := t0300 t0410 t1100 t1110 t1200 t1940
test-thread:
	$(MAKE) BUILD=build/tsan CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" build/tsan/pushgate
	@TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 exitcode=66" \
		T="$(THREAD_TESTS)" sh tests/run.sh build/tsan

demo: $(BUILD)/pushgate
	@bash tests/demo.sh $(BUILD)

bench-quick: $(BUILD)/pushgate
	@sh tests/bench/quick.sh $(BUILD)

# The side-by-side benchmark: writes BENCHMARKS.md and BENCHMARKS.json;
# BENCH_QUICK=1 uses small corpora and writes $(BUILD)/BENCHMARKS.quick.*.
bench: $(BUILD)/pushgate
	@BENCH_QUICK=$(BENCH_QUICK) bash tests/bench/run.sh $(BUILD)

check-style:
	@sh tests/check-style.sh

clean:
	rm -rf $(BUILD)

.PHONY: all test test-sanitize test-thread demo bench bench-quick check-style clean

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/hooks/main.d $(UNIT_BIN:=.d)
include tests/fuzz/fuzz.mk
