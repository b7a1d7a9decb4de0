/*
 * cache_file.c - read, check and atomically write cache entries (see
 * cache_file.h for the directory and the layout).
 *
 * The one place that trusts the cache: only the effective user can write
 * the directory (cache_dir_usable()), so entries are checked against
 * accidents (torn writes, other versions), not forgery.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/file.h"
#include "scanners/cache_file.h"

#define HEADER_LEN (PG_CACHE_MAGIC_LEN + 4 + PG_SHA1_LEN + 8)
#define TRAILER_LEN 8

void pg_cache_put_le(unsigned char *p, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

uint64_t pg_cache_get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A multiply per word: SHA-1 of the payload was a quarter of a warm start. */
static uint64_t checksum64(const unsigned char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ len, w;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 33);
}

int pg_cache_dir(struct pg_buf *out, const char *cache_dir)
{
	const char *env;

	pg_buf_clear(out);
	if (cache_dir)
		return pg_buf_puts(out, cache_dir);
	env = getenv("PUSHGATE_CACHE_DIR");
	if (env)
		return pg_buf_puts(out, env);
	env = getenv("XDG_CACHE_HOME");
	if (env && env[0] == '/')
		return pg_buf_printf(out, "%s/pushgate", env);
	env = getenv("HOME");
	if (env && env[0] == '/')
		return pg_buf_printf(out, "%s/.cache/pushgate", env);
	return 0;
}

/*
 * Create `dir` and missing parents (0700) and check that only we can
 * write to it: a cache entry is code for Hyperscan's loader, so a
 * directory others can write to is not used at all.
 */
static bool cache_dir_usable(const char *dir)
{
	struct stat st;
	char path[4096];
	size_t len = strlen(dir), i;

	if (!len || len >= sizeof(path))
		return false;
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return false;
		path[i] = i < len ? '/' : '\0';
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	return st.st_uid == geteuid() && !(st.st_mode & 022);
}

int pg_cache_entry_path(struct pg_buf *dir, char *path, size_t path_size,
			const char *cache_dir, const struct pg_cache_kind *kind,
			const unsigned char key[PG_SHA1_LEN])
{
	char hex[PG_SHA1_HEX_LEN + 1];
	int error;

	path[0] = '\0';
	if ((error = pg_cache_dir(dir, cache_dir)) < 0) {
		pg_buf_clear(dir);
		return error == PG_ELIMIT ? 0 : error;
	}
	if (!dir->size || !cache_dir_usable(dir->ptr))
		return 0;
	pg_sha1_hex(hex, key);
	if ((size_t)snprintf(path, path_size, "%s/%s%s", dir->ptr, hex, kind->suffix) >= path_size)
		path[0] = '\0';
	return 0;
}

static bool entry_valid(const unsigned char *file, size_t size, const struct pg_cache_kind *kind,
			const unsigned char key[PG_SHA1_LEN])
{
	uint64_t plen;

	if (size < HEADER_LEN + TRAILER_LEN ||
	    memcmp(file, kind->magic, PG_CACHE_MAGIC_LEN) ||
	    pg_cache_get_le(file + PG_CACHE_MAGIC_LEN, 4) != kind->version ||
	    memcmp(file + PG_CACHE_MAGIC_LEN + 4, key, PG_SHA1_LEN))
		return false;
	plen = pg_cache_get_le(file + PG_CACHE_MAGIC_LEN + 4 + PG_SHA1_LEN, 8);
	if (plen > PG_CACHE_PAYLOAD_MAX || plen != size - HEADER_LEN - TRAILER_LEN)
		return false;
	return checksum64(file + HEADER_LEN, (size_t)plen) ==
	       pg_cache_get_le(file + HEADER_LEN + plen, TRAILER_LEN);
}

int pg_cache_entry_read(struct pg_buf *file, const unsigned char **payload, size_t *len,
			const char *path, const struct pg_cache_kind *kind,
			const unsigned char key[PG_SHA1_LEN])
{
	struct stat st;
	int fd, result = 0;

	pg_buf_clear(file);
	if (!path[0])
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size < HEADER_LEN + TRAILER_LEN ||
	    (uint64_t)st.st_size > PG_CACHE_PAYLOAD_MAX + HEADER_LEN + TRAILER_LEN)
		goto out;
	if ((result = pg_buf_grow(file, (size_t)st.st_size)) < 0) {
		if (result == PG_ELIMIT)
			result = 0;
		goto out;
	}
	pg_mem_prefault(file->ptr, (size_t)st.st_size);
	if (pg_fd_read(fd, file->ptr, (size_t)st.st_size) != (ssize_t)st.st_size)
		goto out;
	file->size = (size_t)st.st_size;
	file->ptr[file->size] = '\0';
	if (!entry_valid((const unsigned char *)file->ptr, file->size, kind, key))
		goto out;
	*payload = (const unsigned char *)file->ptr + HEADER_LEN;
	*len = file->size - HEADER_LEN - TRAILER_LEN;
	result = 1;
out:
	close(fd);
	if (result != 1)
		pg_buf_clear(file);
	return result;
}

bool pg_cache_entry_write(const char *dir, const char *path, const struct pg_cache_kind *kind,
			  const unsigned char key[PG_SHA1_LEN], const void *payload, size_t len)
{
	unsigned char header[HEADER_LEN], sum[TRAILER_LEN];
	char tmp[4200];
	int fd = -1, dfd;
	bool created = false, written = false;

	if (!path[0] || len > PG_CACHE_PAYLOAD_MAX)
		return false;
	pg_cache_put_le(sum, checksum64(payload, len), sizeof(sum));
	memcpy(header, kind->magic, PG_CACHE_MAGIC_LEN);
	pg_cache_put_le(header + PG_CACHE_MAGIC_LEN, kind->version, 4);
	memcpy(header + PG_CACHE_MAGIC_LEN + 4, key, PG_SHA1_LEN);
	pg_cache_put_le(header + PG_CACHE_MAGIC_LEN + 4 + PG_SHA1_LEN, len, 8);

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.%ld.tmp", path, (long)getpid(),
			     (long)gettid()) >= sizeof(tmp))
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	created = true;
	if (pg_fd_write(fd, header, sizeof(header)) < 0 || pg_fd_write(fd, payload, len) < 0 ||
	    pg_fd_write(fd, sum, sizeof(sum)) < 0 || fsync(fd) < 0)
		goto out;
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto out;
	created = false;
	written = true;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	return written;
}
