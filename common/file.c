/*
 * file.c - read a whole file into a size-limited buffer; read and write
 * loops over a file descriptor (file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"

ssize_t pg_fd_read(int fd, void *buf, size_t want)
{
	unsigned char *p = buf;
	size_t got = 0;
	ssize_t n;

	while (got < want) {
		n = read(fd, p + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

void pg_mem_prefault(void *buf, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start, end;

	if (!len || page <= 0)
		return;
	start = (uintptr_t)buf & ~((uintptr_t)page - 1);
	end = (uintptr_t)buf + len;
	/* Every page from start to end is mapped: they hold buf. A failure changes nothing. */
	(void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
	(void)buf;
	(void)len;
#endif
}

int pg_fd_write(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_fd(struct pg_buf *out, int fd, const char *path)
{
	char chunk[65536];
	ssize_t n;
	int error;

	do {
		if ((n = pg_fd_read(fd, chunk, sizeof(chunk))) < 0)
			return pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
		if ((error = pg_buf_put(out, chunk, (size_t)n)) < 0) {
			if (error == PG_ELIMIT)
				return pg_error_set(PG_ELIMIT, "%s: larger than %zu bytes",
						    path, out->limit);
			return error;
		}
	} while ((size_t)n == sizeof(chunk));
	return 0;
}

int pg_file_read(struct pg_buf *out, const char *path)
{
	struct stat st;
	int fd, error;

	if (!strcmp(path, "-"))
		return read_fd(out, 0, "<stdin>");
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return pg_error_set(PG_ENOTFOUND, "%s: no such file", path);
		return pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		error = pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
		close(fd);
		return error;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return pg_error_set(PG_EIO, "%s: is a directory", path);
	}
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
		close(fd);
		return pg_error_set(PG_EIO, "%s: not a regular file", path);
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		error = pg_error_set(PG_EIO, "%s: %s", path, strerror(errno));
		close(fd);
		return error;
	}
	error = read_fd(out, fd, path);
	close(fd);
	return error;
}
