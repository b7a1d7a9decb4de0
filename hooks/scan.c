/*
 * scan.c - placeholder until the command is written.
 */
#include "common/error.h"
#include "hooks/commands.h"

int pg_cmd_scan(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return pg_error_set(PG_ERROR, "this command is not available yet");
}
