/*
 * Unit tests for policy/ref_check.c: every rule of the default policy
 * (branch names, create/delete/force/direct push, merge sources, tags,
 * AGit, refs/pull, other namespaces, internal and wiki pushes), freeze
 * and warn severity from custom policies, and failing closed on missing
 * objects. The repository is a throwaway bare one built with libgit2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "policy/policy.h"
#include "policy/ref_check.h"
#include "policy/verdict.h"

/*
 * The graph, as the repository stands before each push:
 *
 *   A - B                      main, tag v1.0.0 -> B
 *   |    \- H1                 hotfix/urgent
 *   |    \- G1                 (unreferenced)
 *   \- D1                      develop
 *       \- F1 - F2             feature/login
 *       \- X1                  feature/x
 *   A - G0                     (unreferenced: not on main)
 *
 * and, unreferenced as if just pushed into quarantine:
 *   MD = merge(B, D1)   MF = merge(B, F2)   MH = merge(B, H1)
 *   MM = merge(D1, B)   SQ = commit on B    SD = commit on D1
 *   CH = seven single commits on B (tip; CH6 the sixth)
 *   MC = merge(D1, CH)
 *   TT = tag object -> tree of B            TC = tag object -> B
 */
struct fixture {
	char dir[256];
	git_repository *repo;
	struct pg_policy *policy;
	git_oid a, b, d1, f1, f2, x1, h1, g1, g0;
	git_oid md, mf, mh, mm, sq, sd, ch, ch6, mc;
	git_oid tree_b, tag_tree, tag_commit;
	git_oid missing;
};

static struct fixture fx;

static const struct pg_push_facts plain = { NULL, false, false, false };
static const struct pg_push_facts merge = { "gitea", true, false, false };
static const struct pg_push_facts internal = { NULL, false, true, false };
static const struct pg_push_facts wiki = { "alice", false, false, true };

/*
 * libgit2 1.5.1 leaks 64 bytes inside git_graph_descendant_of() whenever
 * an id is missing or not a commit (reproduced with libgit2 alone). The
 * fail-closed tests take that path on purpose; suppress exactly that
 * stack under LeakSanitizer and nothing else (full stacks are needed for
 * the match: libgit2 is built without frame pointers).
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:git_graph_reachable_from_any\n";
}

/* ---- building the repository ---- */

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void make_commit(git_oid *out, const char *content, const char *msg,
			const git_oid *p1, const git_oid *p2)
{
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_commit *parents[2] = { NULL, NULL };
	git_signature *sig = NULL;
	git_oid blob, tree_id;
	size_t n = 0, i;

	assert_int_equal(git_blob_create_from_buffer(&blob, fx.repo, content, strlen(content)), 0);
	assert_int_equal(git_treebuilder_new(&tb, fx.repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "file.txt", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, fx.repo, &tree_id), 0);
	if (p1)
		assert_int_equal(git_commit_lookup(&parents[n++], fx.repo, p1), 0);
	if (p2)
		assert_int_equal(git_commit_lookup(&parents[n++], fx.repo, p2), 0);
	assert_int_equal(git_signature_new(&sig, "Test", "test@example.com", 1700000000, 0), 0);
	assert_int_equal(git_commit_create(out, fx.repo, NULL, sig, sig, NULL, msg, tree, n,
					   (const git_commit **)parents), 0);
	for (i = 0; i < n; i++)
		git_commit_free(parents[i]);
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(tb);
}

static void set_ref(const char *name, const git_oid *id)
{
	git_reference *ref = NULL;

	assert_int_equal(git_reference_create(&ref, fx.repo, name, id, 0, NULL), 0);
	git_reference_free(ref);
}

static void make_tag_object(git_oid *out, const char *name, const git_oid *target,
			    git_object_t type)
{
	git_object *obj = NULL;
	git_signature *sig = NULL;

	assert_int_equal(git_object_lookup(&obj, fx.repo, target, type), 0);
	assert_int_equal(git_signature_new(&sig, "Tagger", "tag@example.com", 1700000100, 0), 0);
	assert_int_equal(git_tag_annotation_create(out, fx.repo, name, obj, sig, "release\n"), 0);
	git_signature_free(sig);
	git_object_free(obj);
}

static int group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	git_commit *b = NULL;
	git_oid prev;
	char msg[32];
	int i;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	if (git_libgit2_init() < 0)
		return -1;
	if (snprintf(fx.dir, sizeof(fx.dir), "%s/pg-ref-check.XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
	    (int)sizeof(fx.dir) || !mkdtemp(fx.dir))
		return -1;
	if (git_repository_init(&fx.repo, fx.dir, 1) < 0)
		return -1;
	if (pg_policy_load_default(&fx.policy) < 0)
		return -1;

	make_commit(&fx.a, "a\n", "A\n", NULL, NULL);
	make_commit(&fx.b, "b\n", "B\n", &fx.a, NULL);
	make_commit(&fx.d1, "d1\n", "D1\n", &fx.a, NULL);
	make_commit(&fx.f1, "f1\n", "F1\n", &fx.d1, NULL);
	make_commit(&fx.f2, "f2\n", "F2\n", &fx.f1, NULL);
	make_commit(&fx.x1, "x1\n", "X1\n", &fx.d1, NULL);
	make_commit(&fx.h1, "h1\n", "H1\n", &fx.b, NULL);
	make_commit(&fx.g1, "g1\n", "G1\n", &fx.b, NULL);
	make_commit(&fx.g0, "g0\n", "G0\n", &fx.a, NULL);
	make_commit(&fx.md, "md\n", "Merge develop into main\n", &fx.b, &fx.d1);
	make_commit(&fx.mf, "mf\n", "Merge feature/login into main\n", &fx.b, &fx.f2);
	make_commit(&fx.mh, "mh\n", "Merge hotfix/urgent into main\n", &fx.b, &fx.h1);
	make_commit(&fx.mm, "mm\n", "Merge main into develop\n", &fx.d1, &fx.b);
	make_commit(&fx.sq, "sq\n", "Squashed feature\n", &fx.b, NULL);
	make_commit(&fx.sd, "sd\n", "Straight onto develop\n", &fx.d1, NULL);
	prev = fx.b;
	for (i = 0; i < 7; i++) {
		if (snprintf(msg, sizeof(msg), "chain %d\n", i) >= (int)sizeof(msg))
			return -1;
		make_commit(&fx.ch, msg, msg, &prev, NULL);
		if (i == 5)
			fx.ch6 = fx.ch;
		prev = fx.ch;
	}
	make_commit(&fx.mc, "mc\n", "Merge chain into develop\n", &fx.d1, &fx.ch);

	assert_int_equal(git_commit_lookup(&b, fx.repo, &fx.b), 0);
	fx.tree_b = *git_commit_tree_id(b);
	git_commit_free(b);
	make_tag_object(&fx.tag_tree, "v9.0.0", &fx.tree_b, GIT_OBJECT_TREE);
	make_tag_object(&fx.tag_commit, "v3.0.0", &fx.b, GIT_OBJECT_COMMIT);
	assert_int_equal(git_oid_fromstr(&fx.missing, "0123456789abcdef0123456789abcdef01234567"), 0);

	set_ref("refs/heads/main", &fx.b);
	set_ref("refs/heads/develop", &fx.d1);
	set_ref("refs/heads/feature/login", &fx.f2);
	set_ref("refs/heads/feature/x", &fx.x1);
	set_ref("refs/heads/hotfix/urgent", &fx.h1);
	set_ref("refs/tags/v1.0.0", &fx.b);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	pg_policy_free(fx.policy);
	git_repository_free(fx.repo);
	if (fx.dir[0])
		(void)nftw(fx.dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
	return 0;
}

/* ---- running checks ---- */

/* Check `ref` going from `old` to `new_` (NULL: the zero id). */
static int run(struct pg_verdict *v, const struct pg_policy *policy,
	       const struct pg_push_facts *facts, const char *ref,
	       const git_oid *old, const git_oid *new_)
{
	struct pg_ref_update u;
	int error;

	memset(&u, 0, sizeof(u));
	if (old)
		u.old_id = *old;
	else
		u.old_zero = true;
	if (new_)
		u.new_id = *new_;
	else
		u.new_zero = true;
	u.ref = strdup(ref);
	assert_non_null(u.ref);
	error = pg_ref_check(v, fx.repo, policy, facts, &u);
	free(u.ref);
	return error;
}

static void dump(const struct pg_verdict *v)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		print_error("  [%zu] %s %s (%s): %s | fix: %s\n", i, v->items[i].ref,
			    v->items[i].check,
			    v->items[i].severity == PG_SEVERITY_WARN ? "warn" : "reject",
			    v->items[i].message, v->items[i].fix ? v->items[i].fix : "(none)");
}

/* The verdict holds exactly the checks listed (NULL-terminated), in order. */
static void expect_checks(const struct pg_verdict *v, ...)
{
	const char *want[16];
	size_t n = 0, i;
	int same;
	va_list ap;

	va_start(ap, v);
	while (n < 16 && (want[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	same = v->len == n;
	for (i = 0; same && i < n; i++)
		same = !strcmp(v->items[i].check, want[i]);
	if (!same) {
		print_error("expected %zu violation(s), got %zu:\n", n, v->len);
		dump(v);
	}
	assert_int_equal(v->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(v->items[i].check, want[i]);
}

/* Check `update` and expect exactly the listed checks (NULL-terminated). */
#define EXPECT(policy, facts, ref, old, new_, ...) do { \
	struct pg_verdict v_ = { NULL, 0, 0 }; \
	int e_ = run(&v_, (policy), (facts), (ref), (old), (new_)); \
	if (e_ < 0) \
		print_error("pg_ref_check failed: %s\n", pg_error_last()); \
	assert_int_equal(e_, 0); \
	expect_checks(&v_, __VA_ARGS__); \
	pg_verdict_clear(&v_); \
} while (0)

#define EXPECT_OK(policy, facts, ref, old, new_) \
	EXPECT(policy, facts, ref, old, new_, (const char *)NULL)

/* Violation `i` has this ref, severity, and every word (NULL-terminated) in its message. */
static void expect_violation(const struct pg_verdict *v, size_t i, const char *ref,
			     enum pg_severity severity, ...)
{
	const struct pg_violation *x;
	const char *word;
	va_list ap;

	assert_true(i < v->len);
	x = &v->items[i];
	assert_string_equal(x->ref, ref);
	assert_int_equal(x->severity, severity);
	assert_non_null(x->message);
	va_start(ap, severity);
	while ((word = va_arg(ap, const char *)) != NULL) {
		if (!strstr(x->message, word))
			print_error("'%s' not in message: %s\n", word, x->message);
		assert_non_null(strstr(x->message, word));
	}
	va_end(ap);
}

static void expect_fix(const struct pg_verdict *v, size_t i, const char *word)
{
	assert_true(i < v->len);
	assert_non_null(v->items[i].fix);
	if (!strstr(v->items[i].fix, word))
		print_error("'%s' not in fix: %s\n", word, v->items[i].fix);
	assert_non_null(strstr(v->items[i].fix, word));
}

static struct pg_policy *load(const char *yaml)
{
	struct pg_policy *p = NULL;
	int error = pg_policy_load_buffer(&p, "t.yml", yaml, strlen(yaml));

	if (error < 0)
		print_error("policy: %s\n", pg_error_last());
	assert_int_equal(error, 0);
	assert_non_null(p);
	return p;
}

static void short_id(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
}

/* ---- branch names ---- */

static void test_policy_ref_check__create_main_and_develop(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/heads/main", NULL, &fx.b);
	EXPECT_OK(fx.policy, &plain, "refs/heads/develop", NULL, &fx.d1);
	/* creating from commits that are on no branch yet (first push) */
	EXPECT_OK(fx.policy, &plain, "refs/heads/main", NULL, &fx.sq);
}

static void test_policy_ref_check__good_branch_names(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/login-form", NULL, &fx.f2);
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/a1-b2-c3", NULL, &fx.f2);
	EXPECT_OK(fx.policy, &plain, "refs/heads/fix/null-pointer", NULL, &fx.d1);
	EXPECT_OK(fx.policy, &plain, "refs/heads/hotfix/urgent-login-fix", NULL, &fx.b);
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/x", NULL, &fx.x1);
}

static void expect_bad_name(const char *ref, const char *hint_word)
{
	struct pg_verdict v = { NULL, 0, 0 };
	const char *name = ref + strlen("refs/heads/");

	assert_int_equal(run(&v, fx.policy, &plain, ref, NULL, &fx.f2), 0);
	expect_checks(&v, "branch-name", (const char *)NULL);
	expect_violation(&v, 0, ref, PG_SEVERITY_REJECT, name, "not an allowed branch name",
			 (const char *)NULL);
	expect_fix(&v, 0, hint_word);
	assert_int_equal(pg_verdict_rejections(&v), 1);
	pg_verdict_clear(&v);
	assert_int_equal(v.len, 0);
}

static void test_policy_ref_check__bad_branch_names(void **state)
{
	(void)state;
	expect_bad_name("refs/heads/feature/Login", "feature/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/feature/login_form", "feature/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/feature/login--form", "feature/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/feature/-login", "feature/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/feature/login-", "feature/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/fix/Crash", "fix/ followed by lowercase kebab-case");
	expect_bad_name("refs/heads/hotfix/now_now", "hotfix/ followed by lowercase kebab-case");
	/* nested: the feature rule matches, its kebab-case pattern does not */
	expect_bad_name("refs/heads/feature/a/b", "feature/ followed by lowercase kebab-case");
	/* unknown prefixes and near misses fall to the '**' rule */
	expect_bad_name("refs/heads/topic/login", "main, develop, or feature/");
	expect_bad_name("refs/heads/Main", "main, develop, or feature/");
	expect_bad_name("refs/heads/features/login", "main, develop, or feature/");
	expect_bad_name("refs/heads/master", "main, develop, or feature/");
}

static void test_policy_ref_check__bad_name_fix_says_rename(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/feature/Login", NULL, &fx.f2), 0);
	expect_checks(&v, "branch-name", (const char *)NULL);
	expect_fix(&v, 0, "git branch -m");
	expect_fix(&v, 0, "feature/login-form");
	pg_verdict_clear(&v);
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/topic/login", NULL, &fx.f2), 0);
	expect_checks(&v, "branch-name", (const char *)NULL);
	expect_fix(&v, 0, "use ");
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__existing_bad_name_updates_freely(void **state)
{
	(void)state;
	/* names are checked when a branch is created, not on later pushes */
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/Old_Name", &fx.f1, &fx.f2);
	/* nothing to nothing: no change at all */
	EXPECT_OK(fx.policy, &plain, "refs/heads/topic/x", NULL, NULL);
}

/* ---- delete ---- */

static void test_policy_ref_check__delete_main_denied(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, NULL), 0);
	expect_checks(&v, "delete", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT, "deleting 'main'",
			 "not allowed", (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__delete_develop_denied(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/develop", &fx.d1, NULL), 0);
	expect_checks(&v, "delete", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/develop", PG_SEVERITY_REJECT, "deleting 'develop'",
			 (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__delete_work_branches_allowed(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/login", &fx.f2, NULL);
	EXPECT_OK(fx.policy, &plain, "refs/heads/hotfix/urgent", &fx.h1, NULL);
	EXPECT_OK(fx.policy, &plain, "refs/heads/fix/crash", &fx.d1, NULL);
}

/* ---- force push ---- */

static void test_policy_ref_check__force_push_main_denied(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };
	char sid[8];

	(void)state;
	/* D1 is on develop (so no merge-source complaint) but not after B */
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, &fx.d1), 0);
	expect_checks(&v, "force-push", (const char *)NULL);
	short_id(sid, &fx.b);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT, "force push to 'main'",
			 "old tip", sid, (const char *)NULL);
	expect_fix(&v, 0, "without --force");
	pg_verdict_clear(&v);
	/* rewinding to an ancestor drops commits too */
	EXPECT(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.a, "force-push", (const char *)NULL);
	EXPECT(fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.a, "force-push",
	       (const char *)NULL);
}

static void test_policy_ref_check__fast_forward_main_allowed(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.md);
	/* same tip: neither forced nor gaining anything */
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.b);
}

static void test_policy_ref_check__force_push_feature_allowed(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/login", &fx.f2, &fx.g1);
	EXPECT_OK(fx.policy, &plain, "refs/heads/hotfix/urgent", &fx.h1, &fx.a);
}

/* ---- direct push ---- */

static void test_policy_ref_check__direct_push_main_denied(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/main", &fx.b, &fx.md), 0);
	expect_checks(&v, "direct-push", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT,
			 "direct pushes to 'main' are not allowed", (const char *)NULL);
	expect_fix(&v, 0, "pull request");
	assert_int_equal(pg_verdict_rejections(&v), 1);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__direct_push_develop_denied(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/develop", &fx.d1, &fx.f2), 0);
	expect_checks(&v, "direct-push", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/develop", PG_SEVERITY_REJECT,
			 "direct pushes to 'develop'", (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__pr_merge_allowed(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.md);
	EXPECT_OK(fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.f2);
}

static void test_policy_ref_check__forced_direct_foreign_reports_all(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	/* G0 is off main and on no source branch: three problems at once */
	assert_int_equal(run(&v, fx.policy, &plain, "refs/heads/main", &fx.b, &fx.g0), 0);
	expect_checks(&v, "force-push", "direct-push", "merge-source", (const char *)NULL);
	assert_int_equal(pg_verdict_rejections(&v), 3);
	pg_verdict_clear(&v);
}

/* ---- merge sources ---- */

static void test_policy_ref_check__merge_develop_into_main(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.md);
}

static void test_policy_ref_check__merge_feature_into_main_flagged(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };
	char f1[8], f2[8], mf[8];

	(void)state;
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, &fx.mf), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	short_id(f1, &fx.f1);
	short_id(f2, &fx.f2);
	short_id(mf, &fx.mf);
	/* F1 and F2 are on no source; MF merges a non-source parent */
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT,
			 "3 commits would reach 'main' from outside develop, hotfix/*:",
			 f1, f2, mf, (const char *)NULL);
	expect_fix(&v, 0, "develop or hotfix/*");
	expect_fix(&v, 0, "merge commit");
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__squash_into_main_flagged(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };
	char sq[8];

	(void)state;
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, &fx.sq), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	short_id(sq, &fx.sq);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT,
			 "1 commit would reach 'main'", sq, (const char *)NULL);
	assert_null(strstr(v.items[0].message, "1 commits"));
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__squash_into_develop_flagged(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.sd), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/develop", PG_SEVERITY_REJECT,
			 "1 commit would reach 'develop' from outside feature/*, fix/*, hotfix/*, main",
			 (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__long_chain_lists_five(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	/* seven commits straight onto develop through a merge: MC's other parent is foreign */
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.mc), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/develop", PG_SEVERITY_REJECT,
			 "8 commits would reach 'develop'", " and 3 more", (const char *)NULL);
	pg_verdict_clear(&v);
	/* the same chain onto main directly */
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, &fx.ch), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT,
			 "7 commits would reach 'main'", " and 2 more", (const char *)NULL);
	pg_verdict_clear(&v);
	assert_int_equal(run(&v, fx.policy, &merge, "refs/heads/main", &fx.b, &fx.ch6), 0);
	expect_checks(&v, "merge-source", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT,
			 "6 commits would reach 'main'", " and 1 more", (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__fast_forward_develop_to_feature(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.f2);
	EXPECT_OK(fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.x1);
}

static void test_policy_ref_check__hotfix_into_main(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.mh);
	EXPECT_OK(fx.policy, &merge, "refs/heads/main", &fx.b, &fx.h1);
}

static void test_policy_ref_check__main_into_develop(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &merge, "refs/heads/develop", &fx.d1, &fx.mm);
}

static void test_policy_ref_check__feature_is_no_source_for_itself(void **state)
{
	(void)state;
	/* feature branches have no merge sources: anything goes */
	EXPECT_OK(fx.policy, &plain, "refs/heads/feature/login", &fx.f2, &fx.mf);
}

/* ---- tags ---- */

static void test_policy_ref_check__good_tags_on_main(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/tags/v1.0.1", NULL, &fx.b);
	EXPECT_OK(fx.policy, &plain, "refs/tags/v0.1.0", NULL, &fx.a);
	EXPECT_OK(fx.policy, &plain, "refs/tags/v2.0.0-rc.1", NULL, &fx.b);
	EXPECT_OK(fx.policy, &plain, "refs/tags/v10.20.30-beta", NULL, &fx.b);
	/* an annotated tag whose commit is on main */
	EXPECT_OK(fx.policy, &plain, "refs/tags/v3.0.0", NULL, &fx.tag_commit);
}

static void expect_bad_tag_name(const char *ref)
{
	struct pg_verdict v = { NULL, 0, 0 };

	assert_int_equal(run(&v, fx.policy, &plain, ref, NULL, &fx.b), 0);
	expect_checks(&v, "tag-name", (const char *)NULL);
	expect_violation(&v, 0, ref, PG_SEVERITY_REJECT, ref + strlen("refs/tags/"),
			 "is not a valid tag name", (const char *)NULL);
	expect_fix(&v, 0, "vMAJOR.MINOR.PATCH");
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__bad_tag_names(void **state)
{
	(void)state;
	expect_bad_tag_name("refs/tags/1.0.0");
	expect_bad_tag_name("refs/tags/v1.0");
	expect_bad_tag_name("refs/tags/V1.0.0");
	expect_bad_tag_name("refs/tags/v01.0.0");
	expect_bad_tag_name("refs/tags/v1.0.0-");
	expect_bad_tag_name("refs/tags/v1.0.0-rc..1");
	expect_bad_tag_name("refs/tags/release-1");
	expect_bad_tag_name("refs/tags/releases/v1.0.0");
}

static void test_policy_ref_check__tag_not_on_main(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/tags/v1.1.0", NULL, &fx.d1), 0);
	expect_checks(&v, "tag-branch", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/v1.1.0", PG_SEVERITY_REJECT, "tag 'v1.1.0' must be on main",
			 "not on it", (const char *)NULL);
	expect_fix(&v, 0, "already on main");
	pg_verdict_clear(&v);
	/* a commit after main's tip is not on main either */
	EXPECT(fx.policy, &plain, "refs/tags/v1.1.0", NULL, &fx.h1, "tag-branch", (const char *)NULL);
	/* a bad name off main: both problems */
	EXPECT(fx.policy, &plain, "refs/tags/nightly", NULL, &fx.f2, "tag-name", "tag-branch",
	       (const char *)NULL);
}

static void test_policy_ref_check__tag_object_on_tree(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/tags/v9.0.0", NULL, &fx.tag_tree), 0);
	expect_checks(&v, "tag-branch", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/v9.0.0", PG_SEVERITY_REJECT,
			 "does not point at a commit", (const char *)NULL);
	pg_verdict_clear(&v);
	/* a lightweight tag on the tree itself */
	assert_int_equal(run(&v, fx.policy, &plain, "refs/tags/v9.0.1", NULL, &fx.tree_b), 0);
	expect_checks(&v, "tag-branch", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/v9.0.1", PG_SEVERITY_REJECT,
			 "does not point at a commit", (const char *)NULL);
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__existing_tag_immutable(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/tags/v1.0.0", &fx.b, &fx.a), 0);
	expect_checks(&v, "tag-immutable", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/v1.0.0", PG_SEVERITY_REJECT, "tag 'v1.0.0'",
			 "already exists", "moved", (const char *)NULL);
	pg_verdict_clear(&v);
	assert_int_equal(run(&v, fx.policy, &merge, "refs/tags/v1.0.0", &fx.b, NULL), 0);
	expect_checks(&v, "tag-immutable", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/v1.0.0", PG_SEVERITY_REJECT, "deleted",
			 (const char *)NULL);
	expect_fix(&v, 0, "new tag");
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__custom_tag_rules(void **state)
{
	struct pg_policy *p = load("version: 1\n"
				   "tags:\n"
				   "  - match: 'nightly-*'\n"
				   "    immutable: false\n"
				   "  - match: 'rel-*'\n"
				   "    on_branch: release\n"
				   "    severity: warn\n"
				   "  - match: 'x*'\n"
				   "    create: deny\n");
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	EXPECT_OK(p, &plain, "refs/tags/nightly-1", &fx.a, &fx.b);
	EXPECT_OK(p, &plain, "refs/tags/nightly-1", &fx.b, NULL);
	assert_int_equal(run(&v, p, &plain, "refs/tags/rel-1", NULL, &fx.b), 0);
	expect_checks(&v, "tag-branch", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/rel-1", PG_SEVERITY_WARN, "must be on release",
			 "does not exist yet", (const char *)NULL);
	assert_int_equal(pg_verdict_rejections(&v), 0);
	pg_verdict_clear(&v);
	assert_int_equal(run(&v, p, &plain, "refs/tags/x1", NULL, &fx.b), 0);
	expect_checks(&v, "tag-create", (const char *)NULL);
	expect_violation(&v, 0, "refs/tags/x1", PG_SEVERITY_REJECT, "creating tag 'x1'",
			 (const char *)NULL);
	pg_verdict_clear(&v);
	/* a tag no rule matches is unrestricted */
	EXPECT_OK(p, &plain, "refs/tags/anything", NULL, &fx.g0);
	pg_policy_free(p);
}

/* ---- AGit, refs/pull, other namespaces ---- */

static void test_policy_ref_check__agit_target_exists(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &plain, "refs/for/develop", NULL, &fx.f2);
	EXPECT_OK(fx.policy, &plain, "refs/for/main/fix-typo", NULL, &fx.sq);
	EXPECT_OK(fx.policy, &plain, "refs/for/feature/x", NULL, &fx.x1);
	EXPECT_OK(fx.policy, &plain, "refs/for/feature/x/topic", NULL, &fx.x1);
	EXPECT_OK(fx.policy, &plain, "refs/for/feature/login/a/b/c", NULL, &fx.x1);
}

static void expect_agit_missing(const char *ref)
{
	struct pg_verdict v = { NULL, 0, 0 };

	assert_int_equal(run(&v, fx.policy, &plain, ref, NULL, &fx.f2), 0);
	expect_checks(&v, "agit-target", (const char *)NULL);
	expect_violation(&v, 0, ref, PG_SEVERITY_REJECT, ref + strlen("refs/for/"),
			 "is not an existing branch", (const char *)NULL);
	expect_fix(&v, 0, "refs/for/");
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__agit_target_missing(void **state)
{
	(void)state;
	expect_agit_missing("refs/for/nope");
	expect_agit_missing("refs/for/feature/y/topic");
	/* a directory of branches is not a branch */
	expect_agit_missing("refs/for/feature");
	expect_agit_missing("refs/for/hotfix");
	expect_agit_missing("refs/for/mai");
}

static void test_policy_ref_check__pull_refs(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/pull/1/head", NULL, &fx.f2), 0);
	expect_checks(&v, "pull-ref", (const char *)NULL);
	expect_violation(&v, 0, "refs/pull/1/head", PG_SEVERITY_REJECT, "refs/pull/",
			 "Gitea only", (const char *)NULL);
	pg_verdict_clear(&v);
	/* even a pull-request merge may not write them; only Gitea's internal push */
	EXPECT(fx.policy, &merge, "refs/pull/7/head", &fx.f1, &fx.f2, "pull-ref", (const char *)NULL);
	EXPECT_OK(fx.policy, &internal, "refs/pull/1/head", NULL, &fx.f2);
	EXPECT_OK(fx.policy, &internal, "refs/pull/1/head", &fx.f1, &fx.f2);
}

static void test_policy_ref_check__other_namespaces(void **state)
{
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, fx.policy, &plain, "refs/notes/commits", NULL, &fx.b), 0);
	expect_checks(&v, "ref-namespace", (const char *)NULL);
	expect_violation(&v, 0, "refs/notes/commits", PG_SEVERITY_REJECT, "branches and tags only",
			 (const char *)NULL);
	pg_verdict_clear(&v);
	EXPECT(fx.policy, &plain, "refs/remotes/origin/main", NULL, &fx.b, "ref-namespace",
	       (const char *)NULL);
	EXPECT(fx.policy, &merge, "refs/changes/01/1/1", &fx.a, NULL, "ref-namespace",
	       (const char *)NULL);
	/* prefix look-alikes are not branches, tags or AGit refs */
	EXPECT(fx.policy, &plain, "refs/headsx/main", NULL, &fx.b, "ref-namespace",
	       (const char *)NULL);
	EXPECT(fx.policy, &plain, "refs/for-review/main", NULL, &fx.b, "ref-namespace",
	       (const char *)NULL);
}

static void test_policy_ref_check__internal_push_allowed(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &internal, "refs/heads/main", &fx.b, NULL);
	EXPECT_OK(fx.policy, &internal, "refs/heads/main", &fx.b, &fx.g0);
	EXPECT_OK(fx.policy, &internal, "refs/tags/v1.0.0", &fx.b, &fx.a);
	EXPECT_OK(fx.policy, &internal, "refs/heads/Bad_Name", NULL, &fx.b);
}

static void test_policy_ref_check__wiki_skips_branch_rules(void **state)
{
	(void)state;
	EXPECT_OK(fx.policy, &wiki, "refs/heads/master", NULL, &fx.a);
	EXPECT_OK(fx.policy, &wiki, "refs/heads/Bad_Name", NULL, &fx.a);
	EXPECT_OK(fx.policy, &wiki, "refs/heads/main", &fx.b, NULL);
	EXPECT_OK(fx.policy, &wiki, "refs/heads/main", &fx.b, &fx.g0);
	/* the same pushes outside a wiki are rejected */
	EXPECT(fx.policy, &plain, "refs/heads/master", NULL, &fx.a, "branch-name", (const char *)NULL);
	EXPECT(fx.policy, &plain, "refs/heads/main", &fx.b, NULL, "delete", (const char *)NULL);
}

/* ---- custom policies: freeze and warn ---- */

static void test_policy_ref_check__freeze(void **state)
{
	struct pg_policy *p = load("version: 1\n"
				   "extends: default\n"
				   "freeze:\n"
				   "  branches: [main, 'feature/*']\n"
				   "  message: 'release week, back on Monday'\n");
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	/* a perfectly good pull-request merge, but main is frozen */
	assert_int_equal(run(&v, p, &merge, "refs/heads/main", &fx.b, &fx.md), 0);
	expect_checks(&v, "freeze", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/main", PG_SEVERITY_REJECT, "'main' is frozen",
			 "release week, back on Monday", (const char *)NULL);
	expect_fix(&v, 0, PG_BYPASS_OPTION);
	pg_verdict_clear(&v);
	/* frozen and otherwise wrong: both reported */
	EXPECT(p, &plain, "refs/heads/main", &fx.b, &fx.md, "freeze", "direct-push",
	       (const char *)NULL);
	EXPECT(p, &plain, "refs/heads/feature/new", NULL, &fx.f2, "freeze", (const char *)NULL);
	EXPECT(p, &plain, "refs/heads/feature/login", &fx.f2, NULL, "freeze", (const char *)NULL);
	/* develop is not listed; nested feature branches are not matched by '*' */
	EXPECT_OK(p, &merge, "refs/heads/develop", &fx.d1, &fx.f2);
	EXPECT(p, &plain, "refs/heads/feature/a/b", NULL, &fx.f2, "branch-name",
	       (const char *)NULL);
	/* tags are not frozen */
	EXPECT_OK(p, &plain, "refs/tags/v1.2.0", NULL, &fx.b);
	pg_policy_free(p);
}

static void test_policy_ref_check__freeze_default_message(void **state)
{
	struct pg_policy *p = load("version: 1\nfreeze:\n  branches: ['**']\n");
	struct pg_verdict v = { NULL, 0, 0 };

	(void)state;
	assert_int_equal(run(&v, p, &merge, "refs/heads/any/thing", &fx.a, &fx.b), 0);
	expect_checks(&v, "freeze", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/any/thing", PG_SEVERITY_REJECT, "'any/thing' is frozen",
			 "paused by the administrator", (const char *)NULL);
	pg_verdict_clear(&v);
	pg_policy_free(p);
}

static void test_policy_ref_check__warn_severity(void **state)
{
	struct pg_policy *p = load("version: 1\n"
				   "extends: default\n"
				   "branches:\n"
				   "  - match: main\n"
				   "    delete: deny\n"
				   "    force_push: deny\n"
				   "    direct_push: deny\n"
				   "    merge_sources: [develop]\n"
				   "    severity: warn\n"
				   "  - match: 'wip/**'\n"
				   "    name_pattern: '^wip/[a-z]+$'\n"
				   "    severity: warn\n");
	struct pg_verdict v = { NULL, 0, 0 };
	size_t i;

	(void)state;
	assert_int_equal(run(&v, p, &plain, "refs/heads/main", &fx.b, &fx.g0), 0);
	expect_checks(&v, "force-push", "direct-push", "merge-source", (const char *)NULL);
	for (i = 0; i < v.len; i++)
		assert_int_equal(v.items[i].severity, PG_SEVERITY_WARN);
	assert_int_equal(pg_verdict_rejections(&v), 0);
	expect_violation(&v, 2, "refs/heads/main", PG_SEVERITY_WARN, "from outside develop:",
			 (const char *)NULL);
	pg_verdict_clear(&v);
	/* hotfix branches are no longer a source of main in this policy */
	EXPECT(p, &merge, "refs/heads/main", &fx.b, &fx.h1, "merge-source", (const char *)NULL);
	assert_int_equal(run(&v, p, &merge, "refs/heads/main", &fx.b, NULL), 0);
	expect_checks(&v, "delete", (const char *)NULL);
	assert_int_equal(v.items[0].severity, PG_SEVERITY_WARN);
	pg_verdict_clear(&v);
	assert_int_equal(run(&v, p, &plain, "refs/heads/wip/Bad", NULL, &fx.b), 0);
	expect_checks(&v, "branch-name", (const char *)NULL);
	expect_violation(&v, 0, "refs/heads/wip/Bad", PG_SEVERITY_WARN, "wip/Bad",
			 (const char *)NULL);
	/* without a name_hint the fix shows the pattern */
	expect_fix(&v, 0, "^wip/[a-z]+$");
	pg_verdict_clear(&v);
	/* develop still comes from the default, with severity reject */
	assert_int_equal(run(&v, p, &plain, "refs/heads/develop", &fx.d1, NULL), 0);
	expect_checks(&v, "delete", (const char *)NULL);
	assert_int_equal(v.items[0].severity, PG_SEVERITY_REJECT);
	assert_int_equal(pg_verdict_rejections(&v), 1);
	pg_verdict_clear(&v);
	pg_policy_free(p);
}

/* ---- failing closed ---- */

static void expect_error(const struct pg_push_facts *facts, const char *ref,
			 const git_oid *old, const git_oid *new_)
{
	struct pg_verdict v = { NULL, 0, 0 };
	int error = run(&v, fx.policy, facts, ref, old, new_);

	if (error >= 0) {
		print_error("%s passed with %zu violation(s):\n", ref, v.len);
		dump(&v);
	}
	assert_true(error < 0);
	assert_true(pg_error_last()[0] != '\0');
	pg_verdict_clear(&v);
}

static void test_policy_ref_check__missing_object_fails_closed(void **state)
{
	(void)state;
	expect_error(&merge, "refs/heads/main", &fx.b, &fx.missing);
	expect_error(&plain, "refs/heads/main", &fx.b, &fx.missing);
	expect_error(&merge, "refs/heads/develop", &fx.d1, &fx.missing);
	expect_error(&plain, "refs/tags/v5.0.0", NULL, &fx.missing);
	expect_error(&plain, "refs/heads/main", NULL, &fx.missing);
	expect_error(&plain, "refs/heads/feature/free", &fx.b, &fx.missing);
	expect_error(&plain, "refs/for/develop", NULL, &fx.missing);
	/* a missing old id cannot be compared either */
	expect_error(&merge, "refs/heads/main", &fx.missing, &fx.md);
	/* nor can a protected branch be moved to something that is not a commit */
	expect_error(&merge, "refs/heads/main", &fx.b, &fx.tree_b);
	expect_error(&merge, "refs/heads/develop", &fx.d1, &fx.tag_commit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_ref_check__create_main_and_develop),
		cmocka_unit_test(test_policy_ref_check__good_branch_names),
		cmocka_unit_test(test_policy_ref_check__bad_branch_names),
		cmocka_unit_test(test_policy_ref_check__bad_name_fix_says_rename),
		cmocka_unit_test(test_policy_ref_check__existing_bad_name_updates_freely),
		cmocka_unit_test(test_policy_ref_check__delete_main_denied),
		cmocka_unit_test(test_policy_ref_check__delete_develop_denied),
		cmocka_unit_test(test_policy_ref_check__delete_work_branches_allowed),
		cmocka_unit_test(test_policy_ref_check__force_push_main_denied),
		cmocka_unit_test(test_policy_ref_check__fast_forward_main_allowed),
		cmocka_unit_test(test_policy_ref_check__force_push_feature_allowed),
		cmocka_unit_test(test_policy_ref_check__direct_push_main_denied),
		cmocka_unit_test(test_policy_ref_check__direct_push_develop_denied),
		cmocka_unit_test(test_policy_ref_check__pr_merge_allowed),
		cmocka_unit_test(test_policy_ref_check__forced_direct_foreign_reports_all),
		cmocka_unit_test(test_policy_ref_check__merge_develop_into_main),
		cmocka_unit_test(test_policy_ref_check__merge_feature_into_main_flagged),
		cmocka_unit_test(test_policy_ref_check__squash_into_main_flagged),
		cmocka_unit_test(test_policy_ref_check__squash_into_develop_flagged),
		cmocka_unit_test(test_policy_ref_check__long_chain_lists_five),
		cmocka_unit_test(test_policy_ref_check__fast_forward_develop_to_feature),
		cmocka_unit_test(test_policy_ref_check__hotfix_into_main),
		cmocka_unit_test(test_policy_ref_check__main_into_develop),
		cmocka_unit_test(test_policy_ref_check__feature_is_no_source_for_itself),
		cmocka_unit_test(test_policy_ref_check__good_tags_on_main),
		cmocka_unit_test(test_policy_ref_check__bad_tag_names),
		cmocka_unit_test(test_policy_ref_check__tag_not_on_main),
		cmocka_unit_test(test_policy_ref_check__tag_object_on_tree),
		cmocka_unit_test(test_policy_ref_check__existing_tag_immutable),
		cmocka_unit_test(test_policy_ref_check__custom_tag_rules),
		cmocka_unit_test(test_policy_ref_check__agit_target_exists),
		cmocka_unit_test(test_policy_ref_check__agit_target_missing),
		cmocka_unit_test(test_policy_ref_check__pull_refs),
		cmocka_unit_test(test_policy_ref_check__other_namespaces),
		cmocka_unit_test(test_policy_ref_check__internal_push_allowed),
		cmocka_unit_test(test_policy_ref_check__wiki_skips_branch_rules),
		cmocka_unit_test(test_policy_ref_check__freeze),
		cmocka_unit_test(test_policy_ref_check__freeze_default_message),
		cmocka_unit_test(test_policy_ref_check__warn_severity),
		cmocka_unit_test(test_policy_ref_check__missing_object_fails_closed),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
