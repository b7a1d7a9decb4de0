/*
 * context.c - lower a finding's confidence for its path and value shape.
 *
 * Reads only the finding's path and secret; never prints, never drops a
 * finding. Each reason lowers one step (scanners/finding.c), so a
 * provider-format token in a test file stays medium and still rejects
 * under the default policy.
 */
#include <string.h>
#include <strings.h>

#include "scanners/context.h"

/* Directory names whose files are tests or fixtures. */
static const char *const test_dirs[] = {
	"test", "tests", "testing", "testdata", "test-data", "test_data", "spec", "specs",
	"__tests__", "__mocks__", "__fixtures__", "fixture", "fixtures", "mock", "mocks",
	"cassettes", "vcr_cassettes", "recordings", "stubs", NULL
};

/* Directory names whose files show how to do something. */
static const char *const example_dirs[] = {
	"example", "examples", "sample", "samples", "demo", "demos", "template", "templates",
	"tutorial", "tutorials", NULL
};

/* Directory names whose files are translations. */
static const char *const locale_dirs[] = {
	"locale", "locales", "i18n", "l10n", "lang", "langs", "languages", "translations",
	"translation", "nls", NULL
};

/* File-name endings of tests (case-insensitive). */
static const char *const test_suffixes[] = {
	"_test.go", "_test.py", "_test.rb", "_spec.rb", "_spec.js", "_spec.ts", ".test.js",
	".test.ts", ".test.jsx", ".test.tsx", ".test.mjs", ".spec.js", ".spec.ts", ".spec.jsx",
	".spec.tsx", "test.java", "tests.java", "test.kt", "tests.cs", "test.cs", "test.php",
	"_test.exs", "_tests.rs", ".bats", NULL
};

static const char *const example_suffixes[] = {
	".example", ".sample", ".template", ".tmpl", ".dist", ".tpl", ".example.yml",
	"-example.yml", "_example.yml", ".example.json", NULL
};

/* ISO 639-1 codes that name translation files; "db.yml" and "ci.yml" are not. */
static const char *const language_codes[] = {
	"af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo",
	"es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "he", "hi", "hr", "hu", "hy", "id", "is",
	"it", "ja", "ka", "kk", "km", "kn", "ko", "lt", "lv", "mk", "ml", "mn", "mr", "ms", "my",
	"nb", "ne", "nl", "nn", "no", "pa", "pl", "pt", "ro", "ru", "si", "sk", "sl", "sq", "sr",
	"sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "uz", "vi", "zh", NULL
};

static const char *const locale_suffixes[] = {
	".po", ".pot", ".xlf", ".xliff", ".strings", ".arb", ".resw", ".lproj", NULL
};

static bool word_in(const char *s, size_t len, const char *const *list)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncasecmp(s, list[i], len))
			return true;
	return false;
}

static bool ends_with_any(const char *name, size_t len, const char *const *list)
{
	size_t i, n;

	for (i = 0; list[i]; i++) {
		n = strlen(list[i]);
		if (n <= len && !strcasecmp(name + len - n, list[i]))
			return true;
	}
	return false;
}

static bool is_lower_alpha(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_alpha(char c)
{
	return is_lower_alpha(c) || (c >= 'A' && c <= 'Z');
}

/*
 * A translation file named after its language: en.json, zh-CN.yml,
 * messages_fr.properties, strings.ja.json.
 */
static bool is_language_file(const char *name, size_t len)
{
	const char *dot = memchr(name, '.', len), *tag;
	size_t taglen;

	if (!dot)
		return false;
	if (!ends_with_any(name, len, (const char *const[]){ ".json", ".yml", ".yaml",
			   ".properties", ".js", ".ts", ".toml", ".ini", NULL }))
		return false;
	/* The tag is the base name up to the first dot, or after the last '_'. */
	tag = name;
	taglen = (size_t)(dot - name);
	if (taglen > 2) {
		const char *us = memchr(name, '_', taglen);

		if (us && !strncasecmp(name, "messages", 8)) {
			tag = us + 1;
			taglen = (size_t)(dot - tag);
		}
	}
	if (taglen < 2 || !is_lower_alpha(tag[0]) || !is_lower_alpha(tag[1]))
		return false;
	if (taglen == 2 || (tag[2] == '-' || tag[2] == '_'))
		if (!word_in(tag, 2, language_codes))
			return false;
	if (taglen == 2)
		return true;
	/* xx-YY, xx_YY, xx-Hans, zh-Hant-TW */
	if ((tag[2] == '-' || tag[2] == '_') && taglen >= 5 && taglen <= 10) {
		size_t i;

		for (i = 3; i < taglen; i++)
			if (!is_alpha(tag[i]) && tag[i] != '-' && tag[i] != '_')
				return false;
		return true;
	}
	return false;
}

unsigned int pg_context_path(const char *path)
{
	unsigned int why = 0;
	const char *p = path, *slash, *name;
	size_t len;

	if (!path)
		return 0;
	while ((slash = strchr(p, '/'))) {
		len = (size_t)(slash - p);
		if (word_in(p, len, test_dirs))
			why |= PG_LOWERED_TEST_PATH;
		else if (word_in(p, len, example_dirs))
			why |= PG_LOWERED_EXAMPLE;
		else if (word_in(p, len, locale_dirs))
			why |= PG_LOWERED_LOCALE;
		p = slash + 1;
	}
	name = p;
	len = strlen(name);
	if (ends_with_any(name, len, test_suffixes) || !strncasecmp(name, "test_", 5))
		why |= PG_LOWERED_TEST_PATH;
	if (ends_with_any(name, len, example_suffixes) || !strncasecmp(name, "example", 7) ||
	    !strncasecmp(name, "sample", 6))
		why |= PG_LOWERED_EXAMPLE;
	if (ends_with_any(name, len, locale_suffixes) || is_language_file(name, len))
		why |= PG_LOWERED_LOCALE;
	return why;
}

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* bcrypt, argon2, scrypt, PBKDF2, crypt(3) MD5/SHA, LDAP {SSHA}, Django's hashers. */
static bool is_hash(const char *s, size_t len, bool password_rule)
{
	static const char *const prefixes[] = {
		"$2a$", "$2b$", "$2y$", "$2x$", "$argon2", "$scrypt$", "$pbkdf2", "$1$", "$5$",
		"$6$", "$y$", "$7$", "{SSHA}", "{SHA}", "{SSHA512}", "{SHA256}", "{bcrypt}",
		"{noop}", "pbkdf2_sha256$", "pbkdf2_sha1$", "argon2$", "bcrypt$", "bcrypt_sha256$",
		"sha1$", "md5$", "scrypt:", "pbkdf2:sha256:", NULL
	};
	size_t i;

	for (i = 0; prefixes[i]; i++)
		if (starts_with(s, len, prefixes[i]))
			return true;
	/* A bare digest is a real token often enough (Bearer <hex>) to count only beside a password name. */
	return password_rule && (len == 32 || len == 40 || len == 64 || len == 128) &&
	       all_hex(s, len);
}

static bool only_repeats(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++)
		if (s[i] != s[0])
			return false;
	return len > 0;
}

/* Lower-case words joined by '_' or '-': a_very_important_secret, my-db-password. */
static bool is_word_phrase(const char *s, size_t len)
{
	size_t i, seps = 0, run = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '_' || s[i] == '-') {
			if (!run)
				return false;
			seps++;
			run = 0;
		} else if (is_lower_alpha(s[i])) {
			run++;
		} else {
			return false;
		}
	}
	return seps >= 2 && run >= 2;
}

static bool contains_ci(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, word, n))
			return true;
	return false;
}

static bool is_placeholder(const char *s, size_t len)
{
	static const char *const marks[] = {
		"xxxx", "***", "###", "...", "<", "${", "{{", "%s", "%(", "@@", "todo",
		"tbd", "secret_here", "password_here", "here>", "<your", "your", "my_",
		"mysecret", "mypassword", "supersecret", "s3cr3t", "passw0rd", "p@ssw0rd",
		"qwerty", "letmein", "hunter2", NULL
	};
	size_t i;

	if (only_repeats(s, len) || is_word_phrase(s, len))
		return true;
	for (i = 0; marks[i]; i++)
		if (contains_ci(s, len, marks[i]))
			return true;
	return false;
}

/* UI text: a value with bytes outside ASCII (a translated "password" label). */
static bool is_text(const char *s, size_t len)
{
	size_t i, high = 0;

	for (i = 0; i < len; i++)
		high += (unsigned char)s[i] >= 0x80;
	return high >= 2;
}

/* Defaults that ship with software: real, but guessable and usually local. */
static bool is_default(const char *s, size_t len)
{
	static const char *const defaults[] = {
		"postgres", "root", "admin", "administrator", "mysql", "guest", "toor", "dev",
		"local", "mongo", "redis", "rabbitmq", "sa", "default", "qwerty", "letmein",
		"hunter2", "123456", "admin123", "changeit", "welcome", "oracle", "tiger", NULL
	};

	return word_in(s, len, defaults);
}

unsigned int pg_context_value(const char *secret, size_t len, bool password_rule)
{
	unsigned int why = 0;

	if (is_default(secret, len))
		why |= PG_LOWERED_DEFAULT;

	if (is_hash(secret, len, password_rule))
		why |= PG_LOWERED_HASH;
	else if (is_placeholder(secret, len))
		why |= PG_LOWERED_PLACEHOLDER;
	if (is_text(secret, len))
		why |= PG_LOWERED_TEXT;
	return why;
}

void pg_context_assess(struct pg_finding *f)
{
	unsigned int why, bit;
	bool password_rule = strstr(f->rule->id, "password") || strstr(f->rule->id, "passwd");

	why = pg_context_path(f->path) | pg_context_value(f->secret, f->secret_len, password_rule);
	for (bit = 1; why; bit <<= 1) {
		if (why & bit)
			pg_finding_lower(f, bit);
		why &= ~bit;
	}
}
