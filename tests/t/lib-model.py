#!/usr/bin/env python3
# lib-model.py - model-based property test: content a pusher controls never
# switches the secret check off (t1960, `make fuzz-model`).
#
#   lib-model.py run --pushgate BIN --template BARE --dir DIR --first N
#                    --label NAME --counts FILE
#
# Builds random small git histories from a vocabulary of tricks (below),
# with fresh synthetic secrets planted at known places, pushes them with
# the real git client into a copy of BARE (a Gitea-layout repository with
# pushgate installed), and checks three oracles:
#
#   pre-receive  a push whose commits (tree at any path, or message) or
#                tag message hold a planted secret the repository did not
#                already have anywhere is rejected, no ref moves, and the
#                output names a location of it; a push that carries no
#                planted secret at all is accepted.
#   scan --git   over the work clone, every planted secret present in any
#                commit's tree or message, or a tag's message, is reported
#                (same rule id, one of its paths, or <commit message> /
#                <tag message>).
#   pre-commit   a staged blob holding a planted secret stops the commit.
#
# A generic secret (generic-api-key) under the rules' generic_paths
# (vendor/, node_modules/, lockfiles, ...) is allowed there by design: that
# location does not count. Secrets already published and moved around are
# not asserted either way.
#
# Environment:
#   MODEL_SEED        seed of the run (default random; always printed)
#   MODEL_HISTORIES   histories in this run (default 10)
#   MODEL_TRICKS      comma list restricting the vocabulary (default all):
#                     text binary lfs rename sameblob merge delete message tag
#   MODEL_NO_SECRETS  1: every plant is a harmless line; all must pass
#   MODEL_ONLY        run only history number K (reproduce one failure)
#
# Each history prints one TAP line; a failure prints the seed, the steps as
# a script, the push output and what was expected. Planted secrets are
# never printed in full (6 characters and "..."), except in DIR/hNNN/
# secrets.txt, which is kept with a failing history's repositories.
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys

TRICKS = ["text", "binary", "lfs", "rename", "sameblob", "merge", "delete", "message", "tag"]
KINDS = ["ghp", "aws", "generic"]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = ALNUM + "/+"
WORDS = ("alpha beta gamma delta return value import module function struct "
         "buffer length offset count index table node list").split()
# Substrings the rules' allowlists (global stopwords, lib-scan.py) drop.
STOP = ("example", "test", "fake", "dummy", "sample", "xxxx", "aaaa", "0000", "1234",
        "abcd", "placeholder", "change", "redacted", "secret", "foobar", "lorem",
        "ipsum", "your", "insert", "notreal", "not_real", "replace", "donotuse",
        "do_not_use", "efgh", "5678")
LOCKFILES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
             "bun.lock", "go.sum", "Cargo.lock", "poetry.lock", "Pipfile.lock", "uv.lock",
             "composer.lock", "Gemfile.lock", "packages.lock.json", "gradle.lockfile",
             "flake.lock", "mix.lock")
ALLOW_DIRS = ("vendor", "node_modules", "third_party")
LFS_HEADER = "version https://git-lfs.github.com/spec/v1"
COMMIT_MSG = "<commit message>"
TAG_MSG = "<tag message>"


def generic_excluded(path):
    """Whether the rules' generic_paths cover PATH (conservatively)."""
    parts = path.split("/")
    if parts[-1] in LOCKFILES or any(p in ALLOW_DIRS for p in parts[:-1]):
        return True
    return path.endswith((".min.js", ".min.css", ".map"))


def short(value):
    return value[:6] + "..."


class Secret:
    def __init__(self, rule, value, needle, trick, generic=False):
        self.rule, self.value, self.needle = rule, value, needle.encode()
        self.trick, self.generic = trick, generic

    def counts_at(self, path):
        return not (self.generic and generic_excluded(path))


class Failure(Exception):
    pass


def entropy(v):
    return -sum(v.count(c) / len(v) * math.log2(v.count(c) / len(v)) for c in set(v))


def rand_value(rng, alphabet, n):
    """N random characters, mixed case and digits, well above the rules' min_entropy."""
    while True:
        v = "".join(rng.choice(alphabet) for _ in range(n))
        low = v.lower()
        if entropy(v) >= 4.2 and not any(s in low for s in STOP) \
                and any(c.isupper() for c in v) and any(c.islower() for c in v) \
                and any(c.isdigit() for c in v):
            return v


def rand_aws_id(rng):
    while True:
        v = "".join(rng.choice(BASE32) for _ in range(16))
        if entropy(v) >= 3.4 and not any(s in v.lower() for s in STOP):
            return "AKIA" + v


def make_plant(rng, kind, trick):
    """One planted secret of KIND: (lines, [Secret])."""
    if kind == "ghp":
        v = "ghp_" + rand_value(rng, ALNUM, 36)
        return ['token = "%s"' % v], [Secret("github-pat", v, v, trick)]
    if kind == "aws":
        key = rand_aws_id(rng)
        sk = rand_value(rng, B64, 40)
        line2 = "aws_secret_access_key = %s" % sk
        return (["aws_access_key_id = %s" % key, line2],
                [Secret("aws-access-key-id", key, key, trick),
                 Secret("aws-secret-access-key", sk, line2, trick)])
    v = rand_value(rng, ALNUM, 32)
    line = 'API_KEY = "%s"' % v
    return [line], [Secret("generic-api-key", v, line, trick, generic=True)]


def run(cmd, cwd=None, env=None, data=None, check=True):
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
    except subprocess.TimeoutExpired:
        raise Failure("command timed out after 300 s: %s" % " ".join(cmd))
    if check and p.returncode != 0:
        raise Failure("command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd),
                                                      p.stdout.decode(errors="replace")))
    return p


class Blob:
    """File content built from parts, with a readable description."""

    def __init__(self):
        self.data = bytearray()
        self.desc = []

    def fill(self, rng, nbytes):
        start = len(self.data)
        while len(self.data) - start < nbytes:
            self.data += (" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 10))) + "\n").encode()
        self.desc.append("<%d bytes of text>" % (len(self.data) - start))
        return self

    def lines(self, lines):
        for line in lines:
            self.data += (line + "\n").encode()
            self.desc.append(repr(line))
        return self

    def nul(self):
        self.data += b"\0\n"
        self.desc.append("NUL@%d" % (len(self.data) - 2))
        return self

    def raw(self, text, desc=None):
        self.data += text.encode()
        self.desc.append(desc or repr(text))
        return self

    def describe(self):
        return " + ".join(self.desc)


class History:
    def __init__(self, ctx, index, rng, tricks):
        self.ctx, self.index, self.rng, self.tricks = ctx, index, rng, tricks
        self.dir = os.path.join(ctx.dir, "h%03d" % index)
        self.bare = os.path.join(self.dir, "bare.git")
        self.work = os.path.join(self.dir, "work")
        self.branch = "feature/h%d" % index
        self.secrets = []
        self.script = []
        self.used = set()
        self.counter = 0
        self.date = 1700000000
        self.commits = 0
        self.tips = []          # feature tip after each commit-making step
        self.tags = []          # (name, [Secret]) of annotated tags, pushed apart
        self.failures = []      # (check, tricks to blame, text)
        self.outputs = []
        self.readers = {}

    # -- plumbing ----------------------------------------------------------
    def env(self):
        e = dict(os.environ)
        self.date += 60
        e["GIT_AUTHOR_DATE"] = e["GIT_COMMITTER_DATE"] = "%d +0000" % self.date
        return e

    def git(self, *args, data=None, check=True, log=True, cwd=None):
        if log:
            self.say("git " + " ".join(_quote(a) for a in args))
        return run(["git"] + list(args), cwd=cwd or self.work, env=self.env(), data=data, check=check)

    def say(self, line):
        self.script.append(self.redact(line))

    def name(self, stem):
        self.counter += 1
        return "%s%d" % (stem, self.counter)

    def plant(self, trick, kinds=None):
        """Lines to plant for TRICK; harmless ones under MODEL_NO_SECRETS."""
        self.used.add(trick)
        if self.ctx.no_secrets:
            n = self.name("v")
            return ['%s = "%s"' % (n, " ".join(self.rng.choice(WORDS) for _ in range(3)))], []
        kind = self.rng.choice([k for k in (kinds or KINDS) if k in self.ctx.kinds] or self.ctx.kinds)
        lines, secrets = make_plant(self.rng, kind, trick)
        self.secrets += secrets
        self.ctx.values += [s.value for s in secrets]
        return lines, secrets

    def normal_path(self, ext=".py"):
        d = self.rng.choice(["src", "app", "config", "lib", "zz", ""])
        n = self.name(self.rng.choice(["settings", "conf", "client", "deploy", "core"]))
        return (d + "/" if d else "") + n + ext

    def allow_path(self, ext=".py"):
        r = self.rng.random()
        if r < 0.25:
            return "%s/%s" % (self.name("pkg"), self.rng.choice(LOCKFILES))
        d = self.rng.choice(ALLOW_DIRS)
        return "%s/%s/%s%s" % (d, self.name("lib"), self.name("mod"), ext)

    def write(self, path, blob, trick=""):
        full = os.path.join(self.work, path)
        os.makedirs(os.path.dirname(full) or self.work, exist_ok=True)
        with open(full, "wb") as f:
            f.write(blob.data)
        self.say("write %s%s = %s" % (path, " [%s]" % trick if trick else "", self.redact(blob.describe())))

    def read(self, path):
        with open(os.path.join(self.work, path), "rb") as f:
            return f.read()

    def commit(self, msg=None, message_lines=None):
        msg = msg or "update %s" % self.name("step")
        if message_lines:
            msg += "\n\n" + "\n".join(message_lines) + "\n"
        self.git("commit", "-q", "--allow-empty", "-m", msg)
        self.commits += 1

    def tip(self):
        return self.git("rev-parse", "HEAD", log=False).stdout.decode().strip()

    def redact(self, text):
        return self.ctx.redact(text)

    def text_file_blob(self, lines, before=None, after=None):
        b = Blob()
        if before is None:
            before = self.rng.choice([0, 40, 300])
        if before:
            b.fill(self.rng, before)
        b.lines(lines)
        if after is None:
            after = self.rng.choice([0, 60])
        if after:
            b.fill(self.rng, after)
        return b

    # -- the vocabulary: each step makes one or more commits -----------------
    def step_text(self):
        lines, _ = self.plant("text")
        files = [p for p in self.ls_files() if not generic_excluded(p) and p != "README.md"
                 and b"\0" not in self.read(p) and not self.read(p).startswith(LFS_HEADER.encode())]
        if files and self.rng.random() < 0.4:
            path = self.rng.choice(files)
            b = Blob().raw(self.read(path).decode(errors="replace"), "<%s as it was>" % path)
            b.lines(lines)
            self.write(path, b, "text: modify")
        else:
            path = self.normal_path(self.rng.choice([".py", ".yml", ".txt", ".cfg"]))
            self.write(path, self.text_file_blob(lines), "text")
        self.git("add", path)
        self.commit()

    def binary_blob(self, lines, where):
        """NUL at offset 0, inside the first 8000 bytes, or after them."""
        b = Blob()
        pos = {"nul0": 0, "nulmid": self.rng.randint(50, 7000), "nullate": self.rng.randint(8200, 12000)}[where]
        secret_first = where != "nul0" and self.rng.random() < 0.5
        if secret_first:
            b.lines(lines)
        if pos:
            b.fill(self.rng, max(0, pos - len(b.data)))
        b.nul()
        if not secret_first:
            b.fill(self.rng, self.rng.choice([0, 100]))
            b.lines(lines)
        b.fill(self.rng, self.rng.choice([0, 50]))
        return b

    def step_binary(self):
        where = self.rng.choice(["nul0", "nulmid", "nullate"])
        variant = self.rng.choice(["binary", "to-text", "to-binary", "binary-parent"])
        path = self.normal_path(self.rng.choice([".dat", ".txt", ".py"]))
        if variant == "binary":
            lines, _ = self.plant("binary")
            self.write(path, self.binary_blob(lines, where), "binary")
        elif variant == "to-text":
            lines, _ = self.plant("binary")
            b = self.binary_blob(lines, where)
            self.write(path, b, "binary")
            self.git("add", path)
            self.commit()
            text = bytes(b.data).replace(b"\0", b"")
            self.write(path, Blob().raw(text.decode(), "<the same without its NUL>"), "binary: now text")
        elif variant == "to-binary":
            self.write(path, self.text_file_blob(["mode = %d" % self.rng.randint(1, 9)]), "binary: text first")
            self.git("add", path)
            self.commit()
            lines, _ = self.plant("binary")
            self.write(path, self.binary_blob(lines, where), "binary: now binary")
        else:
            self.write(path, self.binary_blob(["mode = 1"], where), "binary: no secret")
            self.git("add", path)
            self.commit()
            lines, _ = self.plant("binary")
            b = Blob().raw(self.read(path).replace(b"\0", b"").decode(), "<the same without its NUL>")
            b.lines(lines)
            self.write(path, b, "binary: text with a secret")
        self.git("add", path)
        self.commit()

    def lfs_pointer(self):
        oid = "".join(self.rng.choice("0123456789abcdef") for _ in range(64))
        return Blob().lines([LFS_HEADER, "oid sha256:" + oid, "size %d" % self.rng.randint(1, 10 ** 9)])

    def step_lfs(self):
        path = self.normal_path(self.rng.choice([".psd", ".bin", ".txt"]))
        variant = self.rng.choice(["header", "header", "pointer+secret", "pointer-then-secret", "pointer"])
        if variant == "header":
            lines, _ = self.plant("lfs")
            b = Blob().lines([LFS_HEADER]).lines(lines)
            if self.rng.random() < 0.5:
                b.fill(self.rng, 80)
            self.write(path, b, "lfs: header")
        elif variant == "pointer+secret":
            lines, _ = self.plant("lfs")
            b = self.lfs_pointer().lines(lines)
            self.write(path, b, "lfs: pointer and more")
        elif variant == "pointer-then-secret":
            self.write(path, self.lfs_pointer(), "lfs: a real pointer")
            self.git("add", path)
            self.commit()
            lines, _ = self.plant("lfs")
            b = Blob().raw(self.read(path).decode(), "<the pointer>").lines(lines)
            self.write(path, b, "lfs: pointer and more")
        else:
            self.used.add("lfs")
            self.write(path, self.lfs_pointer(), "lfs: a real pointer")
        self.git("add", path)
        self.commit()

    def step_rename(self):
        ext = self.rng.choice([".py", ".js", ".txt"])
        lines, _ = self.plant("rename", ["generic", "generic", "ghp", "aws"])
        out = self.rng.random() < 0.6
        src, dst = (self.allow_path(ext), self.normal_path(ext)) if out else (self.normal_path(ext), self.allow_path(ext))
        self.write(src, self.text_file_blob(lines), "rename: before")
        self.git("add", src)
        self.commit()
        os.makedirs(os.path.dirname(os.path.join(self.work, dst)) or self.work, exist_ok=True)
        self.git("mv", src, dst)
        if self.rng.random() < 0.5:
            b = Blob().raw(self.read(dst).decode(), "<%s as it was>" % dst).lines(["edited = %d" % self.rng.randint(1, 99)])
            self.write(dst, b, "rename: edit")
            self.git("add", dst)
        self.commit()

    def step_sameblob(self):
        ext = self.rng.choice([".py", ".js", ".txt"])
        lines, _ = self.plant("sameblob", ["generic", "generic", "ghp", "aws"])
        b = self.text_file_blob(lines)
        paths = [self.allow_path(ext), self.normal_path(ext)]
        if self.rng.random() < 0.4:
            paths.append(self.allow_path(ext))
        self.rng.shuffle(paths)
        for p in paths:
            self.write(p, b, "sameblob")
        self.git("add", *paths)
        self.commit()

    def side_branch(self):
        side = "side/h%d-%s" % (self.index, self.name("s"))
        self.git("checkout", "-q", "-b", side)
        return side

    def merge(self, side):
        return self.git("merge", "-q", "--no-ff", "--no-commit", side, check=False)

    def step_merge(self):
        variant = self.rng.choice(["binary-parent", "conflict", "evil"])
        path = self.normal_path(self.rng.choice([".py", ".txt"]))
        if variant == "binary-parent":
            side = self.side_branch()
            side_has_secret = self.rng.random() < 0.5
            lines, _ = self.plant("merge")
            self.write(path, self.binary_blob(lines if side_has_secret else ["mode = 2"],
                                              self.rng.choice(["nul0", "nulmid"])), "merge: side's binary copy")
            self.git("add", path)
            self.commit()
            self.git("checkout", "-q", self.branch)
            self.write(path, Blob().lines(["mode = 1"]), "merge: our text copy")
            self.git("add", path)
            self.commit()
            self.merge(side)
            self.write(path, Blob().lines(["mode = 1"]).lines(lines), "merge: resolved as text")
        elif variant == "conflict":
            self.write(path, Blob().lines(["mode = base"]), "merge: base")
            self.git("add", path)
            self.commit()
            side = self.side_branch()
            self.write(path, Blob().lines(["mode = left"]), "merge: theirs")
            self.git("commit", "-q", "-a", "-m", "left")
            self.commits += 1
            self.git("checkout", "-q", self.branch)
            self.write(path, Blob().lines(["mode = right"]), "merge: ours")
            self.git("commit", "-q", "-a", "-m", "right")
            self.commits += 1
            self.merge(side)
            lines, _ = self.plant("merge")
            self.write(path, Blob().lines(["mode = both"]).lines(lines), "merge: resolution")
        else:
            side = self.side_branch()
            other = self.normal_path(".txt")
            self.write(other, self.text_file_blob(["side = 1"], 0, 0), "merge: side work")
            self.git("add", other)
            self.commit()
            self.git("checkout", "-q", self.branch)
            self.merge(side)
            lines, _ = self.plant("merge")
            self.write(path, self.text_file_blob(lines), "merge: evil, in no parent")
        self.git("add", path)
        self.commit("Merge branch '%s'" % side)

    def step_delete(self):
        lines, _ = self.plant("delete")
        path = self.normal_path(".cfg")
        b = self.text_file_blob(lines)
        self.write(path, b, "delete: add")
        self.git("add", path)
        self.commit()
        self.git("rm", "-q", path)
        self.commit()
        if self.rng.random() < 0.5:
            path = self.normal_path(".cfg")
        self.write(path, b, "delete: re-add")
        self.git("add", path)
        self.commit()

    def step_message(self):
        lines, _ = self.plant("message")
        path = self.normal_path(".txt")
        self.write(path, self.text_file_blob(["note = %d" % self.rng.randint(1, 999)], 0, 0))
        self.git("add", path)
        self.say("# [message] the commit message below holds: " + self.redact(" / ".join(lines)))
        self.commit("configure %s" % path, lines)

    def step_tag(self):
        lines, secrets = self.plant("tag")
        name = "v1.%d.%d" % (self.index, len(self.tags))
        msg = "Release %s\n\n%s\n" % (name, "\n".join(lines))
        self.say("# [tag] the tag message below holds: " + self.redact(" / ".join(lines)))
        self.git("tag", "-a", name, "-m", msg, "main")
        self.tags.append((name, secrets))

    def step_clean(self):
        path = self.normal_path(".md")
        self.write(path, self.text_file_blob(["plain = %d" % self.rng.randint(1, 999)], 0, 0), "clean")
        self.git("add", path)
        self.commit()

    STEP_COMMITS = {"text": 1, "binary": 2, "lfs": 2, "rename": 2, "sameblob": 1, "merge": 4,
                    "delete": 3, "message": 1, "tag": 0, "clean": 1}

    def ls_files(self):
        out = self.git("ls-files", "-z", log=False).stdout.decode(errors="replace")
        return [p for p in out.split("\0") if p]

    # -- building ----------------------------------------------------------
    def build(self):
        os.makedirs(self.dir)
        shutil.copytree(self.ctx.template, self.bare, symlinks=True)
        os.makedirs(self.work)
        self.git("init", "-q", "-b", "main", log=False)
        self.git("remote", "add", "origin", "file://" + self.bare, log=False)
        self.say("git init work && cd work   # origin = a Gitea-layout repository, pushgate installed")
        self.write("README.md", Blob().lines(["# model history %d" % self.index]))
        self.git("add", "README.md")
        self.commit("initial")
        self.publish("main", "main", fetch=True)
        self.git("checkout", "-q", "-b", self.branch)
        target = self.rng.randint(2, 8)
        pool = self.tricks + ["clean"] * (1 if self.tricks else 4)
        while self.commits - 1 < target:
            left = 8 - (self.commits - 1)
            fits = [t for t in pool if self.STEP_COMMITS[t] <= max(left, 1)]
            if len(fits) == 1 and fits[0] == "tag" or not fits:
                fits = ["clean"]
            trick = self.rng.choice(fits)
            if trick == "tag" and len(self.tags) >= 2:
                trick = "clean"
            self.say("# step: %s" % trick)
            getattr(self, "step_" + trick)()
            if trick != "tag":
                self.tips.append(self.tip())

    def publish(self, local, ref, fetch):
        """Put LOCAL (a rev) into the bare repository at refs/heads/REF."""
        if fetch:
            self.git("update-ref", "refs/pub/" + ref, local, log=False)
            run(["git", "--git-dir=" + self.bare, "fetch", "-q", "--no-tags", self.work,
                 "+refs/pub/%s:refs/heads/%s" % (ref, ref)], env=self.env())
            self.say("publish %s as %s by fetching into the repository (hooks bypassed)" % (local[:12], ref))

    # -- oracles -----------------------------------------------------------
    def refs(self):
        return run(["git", "--git-dir=" + self.bare, "for-each-ref",
                    "--format=%(objectname) %(refname)"]).stdout.decode()

    def reader(self, gitdir):
        if gitdir not in self.readers:
            self.readers[gitdir] = CatFile(gitdir)
        return self.readers[gitdir]

    def content(self, gitdir, commits, tags):
        """[(id, {location: bytes})] per commit and tag: blobs by path, messages."""
        reader = self.reader(gitdir)
        out = []
        for c in commits:
            raw = reader.get(c)
            head, _, msg = raw.partition(b"\n\n")
            items = {COMMIT_MSG: msg}
            reader.walk(head.split(b"\n", 1)[0].split()[1].decode(), "", items)
            out.append((c, items))
        for t in tags:
            out.append((t, {TAG_MSG: reader.get(t).partition(b"\n\n")[2]}))
        return out

    def locations(self, content):
        """{Secret: set(location)} where a planted secret is present and counts."""
        found = {}
        for _, items in content:
            for loc, data in items.items():
                for s in self.secrets:
                    if s.needle in data:
                        found.setdefault(s, {"count": set(), "any": set()})
                        found[s]["any"].add(loc)
                        if loc in (COMMIT_MSG, TAG_MSG) or s.counts_at(loc):
                            found[s]["count"].add(loc)
        return found

    def published_values(self):
        commits = run(["git", "--git-dir=" + self.bare, "rev-list", "--all"]).stdout.decode().split()
        tags = run(["git", "--git-dir=" + self.bare, "for-each-ref", "--format=%(objectname) %(objecttype)",
                    "refs/tags"]).stdout.decode().split("\n")
        tags = [t.split()[0] for t in tags if t.endswith(" tag")]
        values = set()
        # Every object the repository has came from the work clone: read it there.
        for _, items in self.content(os.path.join(self.work, ".git"), commits, tags):
            for data in items.values():
                for s in self.secrets:
                    if s.value.encode() in data:
                        values.add(s.value)
        return values

    def check_push(self, what, args, commits, tags):
        """Push ARGS; judge by the planted secrets COMMITS and TAGS carry."""
        published = self.published_values()
        found = self.locations(self.content(os.path.join(self.work, ".git"), commits, tags))
        new = {s: v["count"] for s, v in found.items() if v["count"] and s.value not in published}
        before = self.refs()
        self.say("git push %s   # %s: %d new secret(s), %d planted secret(s) carried" % (
            " ".join(args), what, len(new), len(found)))
        p = run(["git", "push"] + args, cwd=self.work, env=self.env(), check=False)
        out = p.stdout.decode(errors="replace")
        self.outputs.append("$ git push %s  (exit %d)\n%s" % (" ".join(args), p.returncode, out))
        after = self.refs()
        for s in self.secrets:
            if s.value in out:
                self.fail("pre-receive", [s.trick], "the push output shows %s unredacted" % short(s.value))
        if p.returncode != 0 and before != after:
            self.fail("pre-receive", sorted(self.used), "%s: rejected, yet refs changed" % what)
        if new:
            if p.returncode == 0:
                self.fail("pre-receive", sorted({s.trick for s in new}),
                          "%s: accepted, but it adds %s" % (what, self.describe(new)))
                return False
            truncated = re.search(r"\.\.\. and \d+ more", out)
            named = [s for s, locs in new.items() if any(named_in(loc, out) for loc in locs)]
            missing = [s for s in new if s not in named]
            if (truncated and not named) or (not truncated and missing):
                self.fail("pre-receive", sorted({s.trick for s in missing}),
                          "%s: rejected, but the output names no location of %s" % (
                              what, self.describe({s: new[s] for s in missing})))
            return False
        if not found:
            if p.returncode != 0:
                self.fail("pre-receive", ["(clean)"], "%s: carries no planted secret, yet rejected" % what)
            return p.returncode == 0
        return p.returncode == 0

    def describe(self, secrets):
        return "; ".join("%s %s at %s" % (s.rule, short(s.value), ", ".join(sorted(locs)))
                         for s, locs in secrets.items())

    def fail(self, check, tricks, text):
        self.failures.append((check, tricks, text))

    def check_scan(self):
        work_git = os.path.join(self.work, ".git")
        commits = self.git("rev-list", "--all", log=False).stdout.decode().split()
        tags = self.git("for-each-ref", "--format=%(objectname) %(objecttype)", "refs/tags",
                        log=False).stdout.decode().split("\n")
        tags = [t.split()[0] for t in tags if t.endswith(" tag")]
        found = self.locations(self.content(work_git, commits, tags))
        want = {s: v["count"] for s, v in found.items() if v["count"]}
        cmd = [self.ctx.pushgate, "scan", "--git", "--format", "json", "--repo", self.work]
        self.say("pushgate scan --git --format json --repo work   # %d planted secret(s) to find" % len(want))
        p = run(cmd, env=self.env(), check=False)
        try:
            report = json.loads(p.stdout.decode(errors="replace"))["findings"]
        except (ValueError, KeyError):
            self.fail("scan", sorted(self.used), "scan --git exit %d, no JSON report:\n%s" % (
                p.returncode, self.redact(p.stdout.decode(errors="replace"))[:2000]))
            return
        if self.ctx.no_secrets and (p.returncode != 0 or report):
            self.fail("scan", ["(clean)"], "scan --git: no secret planted, yet %d findings: %s" % (
                len(report), ", ".join("%s %s" % (f["rule"], f["path"]) for f in report[:10])))
        for s, locs in want.items():
            ok = any(f.get("rule") == s.rule and f.get("path") in locs and
                     s.value.startswith(str(f.get("secret", "")).split("...")[0]) for f in report)
            if not ok:
                self.fail("scan", [s.trick], "scan --git does not report %s" % self.describe({s: locs}))
        if want and p.returncode != 1:
            self.fail("scan", sorted(self.used), "scan --git exit %d with secrets to report" % p.returncode)

    def check_pre_commit(self):
        forms = [t for t in ("text", "binary", "lfs", "rename", "sameblob", "delete") if t in self.tricks]
        if not forms:
            return
        trick = self.rng.choice(forms)
        self.say("# pre-commit check: %s" % trick)
        self.git("checkout", "-q", "-f", self.branch)
        self.git("clean", "-q", "-fdx")
        expect_secret = not self.ctx.no_secrets
        if trick == "text":
            lines, _ = self.plant(trick)
            path = self.normal_path()
            self.write(path, self.text_file_blob(lines), trick)
            self.git("add", path)
        elif trick == "binary":
            lines, _ = self.plant(trick)
            path = self.normal_path(".dat")
            self.write(path, self.binary_blob(lines, self.rng.choice(["nul0", "nulmid", "nullate"])), trick)
            self.git("add", path)
        elif trick == "lfs":
            path = self.normal_path(".bin")
            if self.rng.random() < 0.3:
                self.write(path, self.lfs_pointer(), "lfs: a real pointer")
                expect_secret = False
            else:
                lines, _ = self.plant(trick)
                self.write(path, Blob().lines([LFS_HEADER]).lines(lines), "lfs: header")
            self.git("add", path)
        elif trick == "sameblob":
            lines, _ = self.plant(trick, ["generic", "generic", "ghp"])
            b = self.text_file_blob(lines)
            paths = [self.allow_path(), self.normal_path()]
            for p in paths:
                self.write(p, b, trick)
            self.git("add", *paths)
        elif trick == "rename":
            lines, _ = self.plant(trick, ["generic"])
            src, dst = self.allow_path(), self.normal_path()
            self.write(src, self.text_file_blob(lines), trick)
            self.git("add", src)
            self.commit()
            os.makedirs(os.path.dirname(os.path.join(self.work, dst)) or self.work, exist_ok=True)
            self.git("mv", src, dst)
        else:
            lines, _ = self.plant(trick)
            path = self.normal_path(".cfg")
            self.write(path, self.text_file_blob(lines), trick)
            self.git("add", path)
            self.commit()
            self.git("rm", "-q", path)
            self.commit()
            self.write(path, self.text_file_blob(lines), trick + ": re-add")
            self.git("add", path)
        self.say("pushgate pre-commit   # expect exit %d" % (1 if expect_secret else 0))
        p = run([self.ctx.pushgate, "pre-commit"], cwd=self.work, env=self.env(), check=False)
        out = p.stdout.decode(errors="replace")
        self.outputs.append("$ pushgate pre-commit  (exit %d)\n%s" % (p.returncode, out))
        if p.returncode != (1 if expect_secret else 0):
            self.fail("pre-commit", [trick], "pre-commit exit %d, expected %d" % (
                p.returncode, 1 if expect_secret else 0))

    def rev_list(self, tip, hide_refs):
        hide = [line.split()[0] for line in hide_refs.splitlines() if line.strip()]
        return self.git("rev-list", tip, "--not", *hide, "--", log=False).stdout.decode().split()

    def run(self):
        self.build()
        # Publish a prefix: by a real push when it carries no planted secret
        # (which must then be accepted), else by fetching (hooks bypassed).
        cut = 0 if self.rng.random() < 0.4 or len(self.tips) < 2 else self.rng.randint(1, len(self.tips) - 1)
        same = self.rng.random() < 0.6
        ref = self.branch if same else "feature/p%d" % self.index
        if cut:
            prefix = self.tips[cut - 1]
            carried = self.locations(self.content(os.path.join(self.work, ".git"),
                                                  self.rev_list(prefix, self.refs()), []))
            if not carried and self.rng.random() < 0.5:
                self.git("update-ref", "refs/pub/" + ref, prefix, log=False)
                self.check_push("prefix push", ["origin", "refs/pub/%s:refs/heads/%s" % (ref, ref)],
                                self.rev_list(prefix, self.refs()), [])
            else:
                self.publish(prefix, ref, fetch=True)
        self.check_push("branch push", ["origin", self.branch], self.rev_list(self.branch, self.refs()), [])
        for name, _ in self.tags:
            tag = self.git("rev-parse", "refs/tags/" + name, log=False).stdout.decode().strip()
            self.check_push("tag push %s" % name, ["origin", "refs/tags/%s:refs/tags/%s" % (name, name)], [], [tag])
        self.check_scan()
        self.check_pre_commit()


def named_in(loc, out):
    if loc in (COMMIT_MSG, TAG_MSG):
        return loc in out
    return re.search(r"(?:^|[\s\]])%s(?::\d+| \(binary, byte \d+\))" % re.escape(loc), out,
                     re.M) is not None


def _quote(a):
    return a if re.match(r"^[A-Za-z0-9_./:=+@,-]+$", a) else "'" + a.replace("'", "'\\''") + "'"


class CatFile:
    def __init__(self, gitdir):
        self.p = subprocess.Popen(["git", "--git-dir=" + gitdir, "cat-file", "--batch"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.cache = {}

    def get(self, oid):
        if oid not in self.cache:
            self.p.stdin.write(oid.encode() + b"\n")
            self.p.stdin.flush()
            head = self.p.stdout.readline().split()
            if len(head) < 3:
                raise Failure("cat-file: no object %s" % oid)
            data = self.p.stdout.read(int(head[2]))
            self.p.stdout.read(1)
            self.cache[oid] = data
        return self.cache[oid]

    def walk(self, tree, prefix, items):
        """Add every blob under TREE to ITEMS by path (gitlinks skipped)."""
        data = self.get(tree)
        i = 0
        while i < len(data):
            sp = data.index(b" ", i)
            nul = data.index(b"\0", sp)
            mode, name = data[i:sp], data[sp + 1:nul].decode(errors="replace")
            oid = data[nul + 1:nul + 21].hex()
            i = nul + 21
            if mode == b"40000":
                self.walk(oid, prefix + name + "/", items)
            elif mode != b"160000":
                items[prefix + name] = self.get(oid)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class Context:
    def __init__(self, opts):
        self.pushgate = opts["pushgate"]
        self.template = opts["template"]
        self.dir = opts["dir"]
        self.no_secrets = os.environ.get("MODEL_NO_SECRETS", "") not in ("", "0")
        self.kinds = list(KINDS)
        self.values = []

    def redact(self, text):
        for v in self.values:
            text = text.replace(v, short(v))
        return text


def probe_kinds(ctx, rng, tap):
    """Each plant kind must be reported when pasted in a normal file."""
    for kind in KINDS:
        lines, secrets = make_plant(rng, kind, "probe")
        ctx.values += [s.value for s in secrets]
        p = run([ctx.pushgate, "scan", "--format", "json", "-"], data=("\n".join(lines) + "\n").encode(), check=False)
        try:
            rules = {f["rule"] for f in json.loads(p.stdout.decode())["findings"]}
        except (ValueError, KeyError):
            rules = set()
        missing = [s.rule for s in secrets if s.rule not in rules]
        if missing:
            tap.result(False, "the %s plant is reported by `pushgate scan -`" % kind,
                       ["%s not reported for %s: plant kind %s SKIPPED in this run" % (
                           ", ".join(missing), ctx.redact(" / ".join(lines)), kind)])
            ctx.kinds.remove(kind)
        else:
            tap.result(True, "the %s plant is reported by `pushgate scan -`" % kind)


class Tap:
    def __init__(self, first, redact):
        self.redact = redact
        self.n = first - 1
        self.failed = 0
        self.count = 0

    def result(self, ok, title, diag=()):
        self.n += 1
        self.count += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, title))
        if not ok:
            self.failed += 1
            for block in diag:
                for line in self.redact(block).rstrip("\n").split("\n"):
                    print("#   " + line)
        sys.stdout.flush()


def main(argv):
    opts = {}
    args = argv[2:]
    for i in range(0, len(args), 2):
        opts[args[i].lstrip("-")] = args[i + 1]
    if argv[1] != "run":
        sys.exit("usage: lib-model.py run --pushgate BIN --template BARE --dir DIR --first N "
                 "--label NAME --counts FILE")
    ctx = Context(opts)
    seed = os.environ.get("MODEL_SEED") or str(random.SystemRandom().randrange(10 ** 9))
    n = int(os.environ.get("MODEL_HISTORIES", "10"))
    only = os.environ.get("MODEL_ONLY")
    tricks = [t for t in os.environ.get("MODEL_TRICKS", ",".join(TRICKS)).replace(" ", "").split(",") if t]
    bad = [t for t in tricks if t not in TRICKS]
    if bad:
        sys.exit("MODEL_TRICKS: unknown %s (known: %s)" % (", ".join(bad), ", ".join(TRICKS)))
    label = opts.get("label", "model")
    print("# %s: MODEL_SEED=%s MODEL_HISTORIES=%d MODEL_TRICKS=%s%s" % (
        label, seed, n, ",".join(tricks), " MODEL_NO_SECRETS=1" if ctx.no_secrets else ""))
    tap = Tap(int(opts.get("first", "1")), ctx.redact)
    probe_kinds(ctx, random.Random("%s/probe" % seed), tap)
    table = {t: [0, 0, {"pre-receive": 0, "scan": 0, "pre-commit": 0}] for t in TRICKS + ["(clean)"]}
    for i in range(n):
        if only is not None and str(i) != only:
            continue
        rng = random.Random("%s/%s/%d" % (seed, label, i))
        h = History(ctx, i, rng, tricks)
        err = None
        try:
            h.run()
        except Failure as e:
            err = str(e)
        except Exception:  # a harness bug: report it as this history's failure, go on
            import traceback
            err = traceback.format_exc()
        finally:
            for r in h.readers.values():
                r.close()
        with open(os.path.join(h.dir, "secrets.txt"), "w") as f:
            for s in h.secrets:
                f.write("%s %s %s\n" % (s.trick, s.rule, s.value))
        for t in h.used:
            table[t][0] += 1
        blamed = set()
        for check, ts, _ in h.failures:
            for t in ts:
                table.setdefault(t, [0, 0, {"pre-receive": 0, "scan": 0, "pre-commit": 0}])
                table[t][2][check] += 1
                blamed.add(t)
        for t in blamed:
            table[t][1] += 1
        ok = not h.failures and err is None
        title = "%s history %d (MODEL_SEED=%s MODEL_ONLY=%d): %d commits, tricks %s" % (
            label, i, seed, i, h.commits - 1, ",".join(sorted(h.used)) or "none")
        diag = []
        if not ok:
            diag.append("reproduce: MODEL_SEED=%s MODEL_ONLY=%d MODEL_TRICKS=%s%s, kept in %s" % (
                seed, i, ",".join(tricks), " MODEL_NO_SECRETS=1" if ctx.no_secrets else "", h.dir))
            if err:
                diag.append("harness error: " + ctx.redact(err))
            for check, ts, text in h.failures:
                diag.append("FAIL %s [%s]: %s" % (check, ",".join(ts), ctx.redact(text)))
            diag.append("steps:\n" + "\n".join("  " + line for line in h.script))
            for o in h.outputs:
                diag.append(ctx.redact(o))
        else:
            shutil.rmtree(h.dir, ignore_errors=True)
        tap.result(ok, title, diag)
    print("# %s: per-trick results (MODEL_SEED=%s, %d histories)" % (label, seed, n))
    print("# | %-10s %9s %7s %12s %6s %11s" % ("trick", "histories", "failed", "pre-receive", "scan", "pre-commit"))
    for t, (used, failed, checks) in table.items():
        if used or failed:
            print("# | %-10s %9d %7d %12d %6d %11d" % (t, used, failed, checks["pre-receive"], checks["scan"],
                                                      checks["pre-commit"]))
    with open(opts["counts"], "w") as f:
        f.write("%d %d\n" % (tap.count, tap.failed))
    return 0 if tap.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
