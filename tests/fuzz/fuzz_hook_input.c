/*
 * fuzz_hook_input.c - fuzzes pg_hook_input_parse() (pre-receive lines) on
 * arbitrary bytes, and pg_hook_input_from_args() on single lines.
 *
 * Invariant: on success there is one update per line, in order; each
 * ref is exactly the line's third field, starts with refs/ and holds no
 * control character or space; the ids are the line's two 40-digit ids
 * and the zero flags say whether they are all zeros. On failure the list
 * is left empty.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "hooks/hook_input.h"
#include "fuzz.h"

static void fail(size_t line, const char *what)
{
	fprintf(stderr, "fuzz_hook_input: line %zu: %s\n", line, what);
	abort();
}

static bool all_zero(const char *hex)
{
	size_t i;

	for (i = 0; i < 40; i++)
		if (hex[i] != '0')
			return false;
	return true;
}

static void check_update(const struct pg_ref_update *u, size_t line_no, const char *line,
			 size_t len)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, ref_len;

	if (len < 83 || line[40] != ' ' || line[81] != ' ')
		fail(line_no, "accepted a line without '<old> <new> <ref>' shape");
	if (!git_oid_tostr(hex, sizeof(hex), &u->old_id) || memcmp(hex, line, 40))
		fail(line_no, "old id is not the line's first field");
	if (!git_oid_tostr(hex, sizeof(hex), &u->new_id) || memcmp(hex, line + 41, 40))
		fail(line_no, "new id is not the line's second field");
	if (u->old_zero != all_zero(line) || u->new_zero != all_zero(line + 41))
		fail(line_no, "zero flags do not match the ids");
	if (!u->ref)
		fail(line_no, "no ref");
	ref_len = strlen(u->ref);
	if (ref_len != len - 82 || memcmp(u->ref, line + 82, ref_len))
		fail(line_no, "ref is not the line's third field");
	if (strncmp(u->ref, "refs/", 5))
		fail(line_no, "ref does not start with refs/");
	for (i = 0; i < ref_len; i++)
		if ((unsigned char)u->ref[i] < 0x20 || u->ref[i] == 0x7f || u->ref[i] == ' ')
			fail(line_no, "ref holds a control character or space");
}

/* The update hook's arguments for the one line must give the same update. */
static void check_args(const struct pg_ref_update *u, const char *line)
{
	struct pg_ref_updates args = { 0 };
	char old_hex[41], new_hex[41];

	memcpy(old_hex, line, 40);
	old_hex[40] = '\0';
	memcpy(new_hex, line + 41, 40);
	new_hex[40] = '\0';
	if (pg_hook_input_from_args(&args, u->ref, old_hex, new_hex) < 0)
		fail(1, "update hook arguments rejected where the line was accepted");
	if (args.len != 1 || strcmp(args.items[0].ref, u->ref) ||
	    git_oid_cmp(&args.items[0].old_id, &u->old_id) ||
	    git_oid_cmp(&args.items[0].new_id, &u->new_id))
		fail(1, "update hook arguments give a different update");
	pg_ref_updates_clear(&args);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_ref_updates out = { 0 };
	const char *p = (const char *)data, *end = p + size, *nl;
	size_t lines = 0, i = 0, len;
	int error;

	error = pg_hook_input_parse(&out, p, size);
	if (error < 0) {
		if (out.len || out.items)
			fail(0, "a failed parse left updates behind");
		if (error != PG_EINVAL && error != PG_ENOMEM)
			fail(0, "unexpected error code");
		return 0;
	}
	for (nl = p; nl < end; lines++) {
		nl = memchr(nl, '\n', (size_t)(end - nl));
		nl = nl ? nl + 1 : end;
	}
	if (out.len != lines)
		fail(out.len, "number of updates is not the number of lines");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		check_update(&out.items[i], i + 1, p, len);
		if (lines == 1)
			check_args(&out.items[i], p);
		i++;
		p = nl ? nl + 1 : end;
	}
	pg_ref_updates_clear(&out);
	return 0;
}
