# tests/fuzz/fuzz.mk - libFuzzer targets; included from the top Makefile.
#
#   make fuzz           build every target, fuzz each for FUZZ_SECONDS (default 30)
#                       on a copy of its seed corpus; fails on any crash, leak,
#                       timeout or sanitizer report; one summary line per target
#   make fuzz-regress   run every target once over its seeds and over
#                       tests/fuzz/regress/<target>/ (inputs that once crashed)
#   make fuzz-build     only build build/fuzz/fuzz_<target>
#   make fuzz-model     the model-based push test (tests/t/t1960) at length:
#                       MODEL_HISTORIES random histories (default 500) with the
#                       whole trick vocabulary against the normal build; prints
#                       MODEL_SEED and a per-trick failure table; `make fuzz`
#                       runs it after the libFuzzer targets. MODEL_SEED,
#                       MODEL_TRICKS and MODEL_ONLY reproduce or narrow a run
#                       (see lib-model.py).
#
# The library is compiled again with clang, coverage and ASan+UBSan into
# $(FUZZ_BUILD)/obj; nothing here touches the normal build. Needs clang with
# libFuzzer (clang 14 works). Fuzzing works on a copy of the seeds (and of
# the past crashes) in $(FUZZ_BUILD)/corpus/<target>, kept between runs;
# the Hyperscan cache is $(FUZZ_BUILD)/hs-cache unless PUSHGATE_CACHE_DIR
# is set. FUZZ_SEEDS_ONLY=1 leaves known crashers out of `make fuzz`.
#
# Add a target: write
# tests/fuzz/fuzz_<name>.c, add <name> to FUZZ_TARGETS, seed
# tests/fuzz/corpus/<name>/, and give it options in run.sh if it needs any.

FUZZ_CC ?= clang
FUZZ_BUILD ?= build/fuzz
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= policy rules hook_input scan scan_chunks report workflow
FUZZ_PKGS := libgit2 libpcre2-8 jansson yaml-0.1 libhs

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Recursively expanded: pkg-config runs only when a fuzz rule is used.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(PG_WARN) \
	-I. $(shell pkg-config --cflags $(FUZZ_PKGS)) -g -O1 $(FUZZ_SAN) -MMD -MP
FUZZ_LIBS = $(shell pkg-config --libs $(FUZZ_PKGS)) -lstdc++ -lm -lpthread

FUZZ_LIB_SRC := $(filter-out hooks/main.c,$(wildcard $(LAYERS:=/*.c)))
FUZZ_LIB_ASM := $(wildcard $(LAYERS:=/*.S))
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_LIB_SRC)) \
	$(patsubst %.S,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_LIB_ASM))
FUZZ_BINS := $(patsubst %,$(FUZZ_BUILD)/fuzz_%,$(FUZZ_TARGETS))

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# .incbin paths are relative to the repository top, where make runs.
$(FUZZ_BUILD)/obj/%.o: %.S $(wildcard $(LAYERS:=/*.yml))
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -DPG_DEFAULT_RULES_SHA1="\"$$($(RULES_SHA1_CMD))\"" -c $< -o $@

$(FUZZ_BUILD)/libpushgate.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libpushgate.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/libpushgate.a $(FUZZ_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
	@$(MAKE) --no-print-directory fuzz-model

fuzz-regress: fuzz-build
	@sh tests/fuzz/run.sh regress $(FUZZ_BUILD) 0 $(FUZZ_TARGETS)

MODEL_HISTORIES ?= 500

# Prints the failing histories' titles and the per-trick tables; the whole
# log (steps and push output of every failure) is in $(BUILD)/fuzz-model.log.
fuzz-model: $(BUILD)/pushgate
	@PUSHGATE_BUILD=$(abspath $(BUILD)) MODEL_HISTORIES=$(MODEL_HISTORIES) \
		bash tests/t/t1960-model-fail-open.sh >$(BUILD)/fuzz-model.log 2>&1; rc=$$?; \
	grep -E '^(not ok|# [^ ]|# \|)' $(BUILD)/fuzz-model.log; \
	echo "fuzz-model: $$(grep -c '^ok' $(BUILD)/fuzz-model.log) passed," \
		"$$(grep -c '^not ok' $(BUILD)/fuzz-model.log) failed; log: $(BUILD)/fuzz-model.log"; \
	exit $$rc

.PHONY: fuzz fuzz-build fuzz-regress fuzz-model

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BINS:=.d)
