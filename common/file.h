/*
 * file.h - reading whole files with a size limit.
 */
#ifndef PG_FILE_H
#define PG_FILE_H

#include "common/buf.h"

/**
 * Append the whole of file `path` to `out` (whose limit bounds it).
 * "-" reads standard input.
 *
 * @return 0, PG_ENOTFOUND if it does not exist, PG_EIO (unreadable, a
 *         directory), PG_ELIMIT (larger than the buffer's limit) or
 *         PG_ENOMEM, with a message naming the file
 */
int pg_file_read(struct pg_buf *out, const char *path);

#endif
