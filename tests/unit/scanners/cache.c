/*
 * Unit tests for the Hyperscan database cache (scanners/hs_db.c): reuse,
 * rejection of damaged or foreign entries, unwritable directories and
 * concurrent builders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "scanners/cache_file.h"
#include "scanners/engine.h"
#include "scanners/hs_db.h"
#include "scanners/rules.h"

#define TOKEN "ghp_R8xw2Lq9ZtB4mNc7Vy1Kd3Hs6Pf0Jg5Ue2Ta"

static const char rules_a[] =
	"rules:\n"
	"  - id: github-pat\n"
	"    description: d\n"
	"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
	"  - id: backref\n"
	"    description: d\n"
	"    pattern: '(xy)\\1'\n";

static const char rules_b[] =
	"rules:\n"
	"  - id: github-pat\n"
	"    description: d\n"
	"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
	"  - id: other\n"
	"    description: d\n"
	"    pattern: 'zzqq[0-9]+'\n";

struct fixture {
	char tmp[64];
	char dir[128];
	struct pg_rules *a;
	struct pg_rules *b;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/pg-cache-test.XXXXXX");
	if (!mkdtemp(fx->tmp))
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cache/sub", fx->tmp);
	if (pg_rules_load_buffer(&fx->a, "a.yml", rules_a, strlen(rules_a)) < 0 ||
	    pg_rules_load_buffer(&fx->b, "b.yml", rules_b, strlen(rules_b)) < 0)
		return -1;
	*state = fx;
	return 0;
}

static void remove_tree(const char *path)
{
	struct dirent *de;
	char child[1024];
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		d = opendir(path);
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
			remove_tree(child);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	remove_tree(fx->tmp);
	pg_rules_free(fx->a);
	pg_rules_free(fx->b);
	free(fx);
	return 0;
}

static int count_cb(const struct pg_match *m, const char *buf, void *payload)
{
	(void)buf;
	((size_t *)payload)[m->rule_index]++;
	return 0;
}

/* The scanner must find exactly what rules_a / rules_b should find. */
static void assert_scans(struct pg_scanner *s)
{
	static const char text[] = "a = '" TOKEN "' xyxy zzqq12";
	struct pg_scan_ctx *ctx = NULL;
	size_t counts[2] = { 0, 0 };

	assert_int_equal(pg_scan_ctx_new(&ctx, s), 0);
	assert_int_equal(pg_scan_buffer(ctx, NULL, text, strlen(text), count_cb, counts), 0);
	assert_int_equal(counts[0], 1);
	assert_int_equal(counts[1], 1);
	pg_scan_ctx_free(ctx);
}

static struct pg_scanner *build(const struct pg_rules *rules, const char *dir,
				enum pg_hs_db_origin want)
{
	struct pg_scanner_opts opts = { dir };
	struct pg_scanner *s = NULL;

	if (pg_scanner_new(&s, rules, &opts) < 0)
		fail_msg("pg_scanner_new: %s", pg_error_last());
	assert_int_equal(pg_scanner__hs_db(s)->origin, want);
	assert_scans(s);
	return s;
}

/* Build with `dir` and return the cache entry's path (static storage). */
static const char *entry_path(const struct pg_rules *rules, const char *dir)
{
	static char path[4096];
	struct pg_scanner *s = build(rules, dir, PG_HS_DB_COMPILED);

	assert_true(pg_scanner__hs_db(s)->cache_written);
	snprintf(path, sizeof(path), "%s", pg_scanner__hs_db(s)->cache_path);
	pg_scanner_free(s);
	return path;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void flip_byte(const char *path, off_t at)
{
	unsigned char c;
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, at), 1);
	c ^= 0x5a;
	assert_int_equal(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

/* A damaged entry is ignored, replaced, and the replacement is used next. */
static void assert_rebuilds(const struct pg_rules *rules, const char *dir)
{
	struct pg_scanner *s = build(rules, dir, PG_HS_DB_COMPILED);

	assert_true(pg_scanner__hs_db(s)->cache_written);
	pg_scanner_free(s);
	s = build(rules, dir, PG_HS_DB_CACHED);
	pg_scanner_free(s);
}

static void test_scanners_cache__second_load_uses_cache(void **state)
{
	struct fixture *fx = *state;
	struct pg_scanner *s1, *s2;
	struct stat st1, st2, dst;
	const char *path;

	s1 = build(fx->a, fx->dir, PG_HS_DB_COMPILED);
	path = pg_scanner__hs_db(s1)->cache_path;
	assert_true(pg_scanner__hs_db(s1)->cache_written);
	assert_non_null(strstr(path, fx->dir));
	assert_non_null(strstr(path, ".hsdb"));
	assert_int_equal(stat(path, &st1), 0);
	assert_int_equal(st1.st_mode & 0777, 0600);
	assert_int_equal(stat(fx->dir, &dst), 0);
	assert_int_equal(dst.st_mode & 0777, 0700);

	s2 = build(fx->a, fx->dir, PG_HS_DB_CACHED);
	assert_false(pg_scanner__hs_db(s2)->cache_written);
	assert_int_equal(pg_scanner__hs_db(s2)->prefilter[0], 0);
	assert_int_equal(pg_scanner__hs_db(s2)->prefilter[1], 1);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(st1.st_mtime, st2.st_mtime);
	pg_scanner_free(s1);
	pg_scanner_free(s2);
}

static void test_scanners_cache__different_rules_different_entry(void **state)
{
	struct fixture *fx = *state;
	char pa[4096];
	const char *pb;

	snprintf(pa, sizeof(pa), "%s", entry_path(fx->a, fx->dir));
	pb = entry_path(fx->b, fx->dir);
	assert_string_not_equal(pa, pb);
	pg_scanner_free(build(fx->a, fx->dir, PG_HS_DB_CACHED));
	pg_scanner_free(build(fx->b, fx->dir, PG_HS_DB_CACHED));
}

static void test_scanners_cache__corrupt_byte_rebuilds(void **state)
{
	struct fixture *fx = *state;
	char path[4096];
	off_t size, at[7];
	size_t i;

	snprintf(path, sizeof(path), "%s", entry_path(fx->a, fx->dir));
	size = file_size(path);
	/* magic, version, key, length, rule count, serialized database, checksum */
	at[0] = 0;
	at[1] = 8;
	at[2] = 20;
	at[3] = 33;
	at[4] = 40;
	at[5] = size / 2;
	at[6] = size - 1;
	for (i = 0; i < 7; i++) {
		flip_byte(path, at[i]);
		assert_rebuilds(fx->a, fx->dir);
	}
}

static void test_scanners_cache__truncated_rebuilds(void **state)
{
	struct fixture *fx = *state;
	char path[4096];
	off_t size, lens[5];
	size_t i;

	snprintf(path, sizeof(path), "%s", entry_path(fx->a, fx->dir));
	size = file_size(path);
	lens[0] = size - 1;
	lens[1] = size / 2;
	lens[2] = 60;
	lens[3] = 10;
	lens[4] = 0;
	for (i = 0; i < 5; i++) {
		assert_int_equal(truncate(path, lens[i]), 0);
		assert_rebuilds(fx->a, fx->dir);
	}
	/* A longer file is damaged too. */
	{
		int fd = open(path, O_WRONLY | O_APPEND);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, "x", 1), 1);
		close(fd);
		assert_rebuilds(fx->a, fx->dir);
	}
}

static void test_scanners_cache__foreign_entry_rebuilds(void **state)
{
	struct fixture *fx = *state;
	char pa[4096], pb[4096], cmd[8192];
	struct pg_buf data = PG_BUF_INIT(64 << 20);
	FILE *f;

	snprintf(pa, sizeof(pa), "%s", entry_path(fx->a, fx->dir));
	snprintf(pb, sizeof(pb), "%s", entry_path(fx->b, fx->dir));
	/* Put b's (valid, but other-keyed) entry under a's name. */
	f = fopen(pb, "rb");
	assert_non_null(f);
	for (;;) {
		size_t n = fread(cmd, 1, sizeof(cmd), f);

		if (!n)
			break;
		assert_int_equal(pg_buf_put(&data, cmd, n), 0);
	}
	fclose(f);
	write_file(pa, data.ptr, data.size);
	pg_buf_release(&data);
	assert_rebuilds(fx->a, fx->dir);
	pg_scanner_free(build(fx->b, fx->dir, PG_HS_DB_CACHED));
}

static void test_scanners_cache__garbage_rebuilds(void **state)
{
	struct fixture *fx = *state;
	char path[4096];
	unsigned char junk[5000];
	size_t i;

	snprintf(path, sizeof(path), "%s", entry_path(fx->a, fx->dir));
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	write_file(path, junk, sizeof(junk));
	assert_rebuilds(fx->a, fx->dir);
	memcpy(junk, "PGHSDB\r\n\1\0\0\0", 12);
	write_file(path, junk, sizeof(junk));
	assert_rebuilds(fx->a, fx->dir);
}

static void test_scanners_cache__symlink_entry_ignored(void **state)
{
	struct fixture *fx = *state;
	char path[4096], target[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s", entry_path(fx->a, fx->dir));
	snprintf(target, sizeof(target), "%s.real", path);
	assert_int_equal(rename(path, target), 0);
	assert_int_equal(symlink(target, path), 0);
	assert_rebuilds(fx->a, fx->dir);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

static void test_scanners_cache__unwritable_dir_costs_only_time(void **state)
{
	struct fixture *fx = *state;
	struct pg_scanner *s;
	char file[256], under_file[300], path[4096];

	/* chmod does not stop root: a directory "under" a regular file cannot exist. */
	snprintf(file, sizeof(file), "%s/plain-file", fx->tmp);
	write_file(file, "x", 1);
	snprintf(under_file, sizeof(under_file), "%s/sub", file);
	s = build(fx->a, under_file, PG_HS_DB_COMPILED);
	assert_false(pg_scanner__hs_db(s)->cache_written);
	pg_scanner_free(s);
	s = build(fx->a, under_file, PG_HS_DB_COMPILED);
	pg_scanner_free(s);

	/* The entry's name is taken by a directory: rename fails, scanning works. */
	snprintf(path, sizeof(path), "%s", entry_path(fx->a, fx->dir));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);
	s = build(fx->a, fx->dir, PG_HS_DB_COMPILED);
	assert_false(pg_scanner__hs_db(s)->cache_written);
	pg_scanner_free(s);
	assert_int_equal(rmdir(path), 0);
}

static void test_scanners_cache__shared_dir_not_used(void **state)
{
	struct fixture *fx = *state;
	struct pg_scanner *s;

	pg_scanner_free(build(fx->a, fx->dir, PG_HS_DB_COMPILED));
	assert_int_equal(chmod(fx->dir, 0777), 0);
	s = build(fx->a, fx->dir, PG_HS_DB_COMPILED);
	assert_string_equal(pg_scanner__hs_db(s)->cache_path, "");
	pg_scanner_free(s);
	assert_int_equal(chmod(fx->dir, 0700), 0);
	pg_scanner_free(build(fx->a, fx->dir, PG_HS_DB_CACHED));
}

static void test_scanners_cache__concurrent_builders(void **state)
{
	struct fixture *fx = *state;
	pid_t pids[4];
	struct dirent *de;
	int status, i, entries = 0;
	DIR *d;

	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			struct pg_scanner_opts opts = { fx->dir };
			struct pg_scanner *s = NULL;
			struct pg_scan_ctx *ctx = NULL;
			size_t counts[2] = { 0, 0 };
			int ok = pg_scanner_new(&s, fx->a, &opts) == 0 &&
				 pg_scan_ctx_new(&ctx, s) == 0 &&
				 pg_scan_buffer(ctx, NULL, TOKEN " xyxy", 45, count_cb, counts) == 0 &&
				 counts[0] == 1 && counts[1] == 1;

			pg_scan_ctx_free(ctx);
			pg_scanner_free(s);
			_exit(ok ? 0 : 1);
		}
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	pg_scanner_free(build(fx->a, fx->dir, PG_HS_DB_CACHED));
	d = opendir(fx->dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		assert_null(strstr(de->d_name, ".tmp"));
		entries++;
	}
	closedir(d);
	assert_int_equal(entries, 1);
}

static void test_scanners_cache__environment(void **state)
{
	struct fixture *fx = *state;
	struct pg_buf dir = PG_BUF_INIT(4096);
	char xdg[256], want[300];
	struct pg_scanner *s;

	snprintf(xdg, sizeof(xdg), "%s/xdg", fx->tmp);
	unsetenv("PUSHGATE_CACHE_DIR");
	setenv("XDG_CACHE_HOME", xdg, 1);
	setenv("HOME", "/nonexistent-home", 1);
	assert_int_equal(pg_cache_dir(&dir, NULL), 0);
	snprintf(want, sizeof(want), "%s/pushgate", xdg);
	assert_string_equal(dir.ptr, want);
	s = build(fx->a, NULL, PG_HS_DB_COMPILED);
	assert_non_null(strstr(pg_scanner__hs_db(s)->cache_path, want));
	pg_scanner_free(s);
	pg_scanner_free(build(fx->a, NULL, PG_HS_DB_CACHED));

	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(pg_cache_dir(&dir, NULL), 0);
	assert_string_equal(dir.ptr, "/nonexistent-home/.cache/pushgate");
	setenv("XDG_CACHE_HOME", "relative", 1);
	assert_int_equal(pg_cache_dir(&dir, NULL), 0);
	assert_string_equal(dir.ptr, "/nonexistent-home/.cache/pushgate");
	unsetenv("HOME");
	assert_int_equal(pg_cache_dir(&dir, NULL), 0);
	assert_string_equal(dir.ptr, "");

	setenv("PUSHGATE_CACHE_DIR", fx->dir, 1);
	assert_int_equal(pg_cache_dir(&dir, NULL), 0);
	assert_string_equal(dir.ptr, fx->dir);
	s = build(fx->a, NULL, PG_HS_DB_COMPILED);
	assert_non_null(strstr(pg_scanner__hs_db(s)->cache_path, fx->dir));
	pg_scanner_free(s);

	setenv("PUSHGATE_CACHE_DIR", "", 1);
	s = build(fx->a, NULL, PG_HS_DB_COMPILED);
	assert_string_equal(pg_scanner__hs_db(s)->cache_path, "");
	assert_false(pg_scanner__hs_db(s)->cache_written);
	pg_scanner_free(s);
	/* An explicit directory wins over the environment. */
	assert_int_equal(pg_cache_dir(&dir, "/x"), 0);
	assert_string_equal(dir.ptr, "/x");
	unsetenv("PUSHGATE_CACHE_DIR");
	pg_buf_release(&dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scanners_cache__second_load_uses_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__different_rules_different_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__corrupt_byte_rebuilds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__truncated_rebuilds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__foreign_entry_rebuilds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__garbage_rebuilds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__symlink_entry_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__unwritable_dir_costs_only_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__shared_dir_not_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__concurrent_builders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_cache__environment, setup, teardown),
	};
	int rc;

	if (git_libgit2_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
