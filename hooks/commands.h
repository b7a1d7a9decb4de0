/*
 * commands.h - the commands hooks/main.c dispatches to.
 *
 * A command returns 0 (clean, accepted), 1 (findings, rejected) or a
 * negative PG_E* code with the message set; main turns that into the
 * exit status and message. Commands never call exit().
 */
#ifndef PG_COMMANDS_H
#define PG_COMMANDS_H

#include "common/version.h"

int pg_cmd_pre_receive(int argc, char **argv);
int pg_cmd_update(int argc, char **argv);
int pg_cmd_pre_commit(int argc, char **argv);
int pg_cmd_scan(int argc, char **argv);
int pg_cmd_policy(int argc, char **argv);
int pg_cmd_rules(int argc, char **argv);
int pg_cmd_version(int argc, char **argv);
int pg_cmd_help(int argc, char **argv);

#endif
