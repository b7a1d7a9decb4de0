/*
 * fuzz.h - the entry points libFuzzer calls, declared once for every
 * target (tests/fuzz/fuzz_<name>.c); a target defines the ones it uses.
 */
#ifndef PG_TEST_FUZZ_H
#define PG_TEST_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/** Called once before fuzzing; may edit argv. @return 0 */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/** Run one input. @return 0 (other values are reserved by libFuzzer) */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
