/*
 * default_policy.S - embeds policy/default_policy.yml (DESIGN.md section 3)
 * in the binary between pg_policy_default_yml_start and _end.
 * The path is relative to the repository top, where make runs; the bytes
 * are not NUL-terminated by the symbols (a NUL follows, but use _end).
 */
	.section .rodata
	.balign 16
	.globl pg_policy_default_yml_start
	.type pg_policy_default_yml_start, @object
pg_policy_default_yml_start:
	.incbin "policy/default_policy.yml"
	.globl pg_policy_default_yml_end
	.type pg_policy_default_yml_end, @object
pg_policy_default_yml_end:
	.byte 0

	.section .note.GNU-stack,"",@progbits
