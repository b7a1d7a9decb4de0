/*
 * version.h - the pushgate version, for --version and reports.
 */
#ifndef PG_VERSION_H
#define PG_VERSION_H

#define PG_VERSION "0.1.0"

#endif
