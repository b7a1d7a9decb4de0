/*
 * file.h - reading whole files with a size limit, and the one read and
 * write loop over a file descriptor.
 */
#ifndef PG_FILE_H
#define PG_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"

/**
 * Read from `fd` until `want` bytes or the end of the file, retrying
 * interrupted reads.
 *
 * @return the bytes read (fewer than `want` only at the end of the
 *         file), or -1 with errno set
 */
ssize_t pg_fd_read(int fd, void *buf, size_t want);

/**
 * Write all `len` bytes to `fd`, retrying interrupted and short writes.
 *
 * @return 0, or -1 with errno set (EIO for a write that made no progress)
 */
int pg_fd_write(int fd, const void *buf, size_t len);

/**
 * Fault in the pages holding buf[0, len) now, in one system call, rather
 * than one page fault at a time as they are first written: for a large
 * buffer about to be filled whole (a file read, a deserialized database).
 * Only a hint; nothing happens where the kernel cannot do it.
 */
void pg_mem_prefault(void *buf, size_t len);

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
