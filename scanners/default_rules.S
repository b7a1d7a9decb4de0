/*
 * default_rules.S - embeds scanners/default_rules.yml (docs/rules-format.md)
 * in the binary between pg_rules_default_yml_start and _end.
 * The path is relative to the repository top, where make runs; the bytes
 * are not NUL-terminated by the symbols (a NUL follows, but use _end).
 * pg_rules_default_yml_sha1: their git blob id in 40 hex digits, which
 * the Makefile computes (PG_DEFAULT_RULES_SHA1), for the cache keys.
 */
#ifndef PG_DEFAULT_RULES_SHA1
#error "build with -DPG_DEFAULT_RULES_SHA1=\"<git blob id of scanners/default_rules.yml>\""
#endif
	.section .rodata
	.balign 16
	.globl pg_rules_default_yml_start
	.type pg_rules_default_yml_start, @object
pg_rules_default_yml_start:
	.incbin "scanners/default_rules.yml"
	.globl pg_rules_default_yml_end
	.type pg_rules_default_yml_end, @object
pg_rules_default_yml_end:
	.byte 0
	.globl pg_rules_default_yml_sha1
	.type pg_rules_default_yml_sha1, @object
pg_rules_default_yml_sha1:
	.ascii PG_DEFAULT_RULES_SHA1
	.byte 0

	.section .note.GNU-stack,"",@progbits
