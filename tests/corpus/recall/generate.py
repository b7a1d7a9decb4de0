#!/usr/bin/env python3
"""Generate the labelled recall corpus (tests/corpus/recall/files/ and labels.tsv).

Every value is synthetic, drawn from a fixed seed: none is a real
credential. Each entry is a short file fragment in one syntax with the
line where the credential starts labelled T (a usable credential) or F
(looks like one, is not: translated UI text, templates, hashes, encrypted
keys, variables). Lines nobody labelled must not produce findings either:
the scorer counts them as false positives of their file's category.

Usage: python3 generate.py        (rewrites files/ and labels.tsv)
"""
import base64
import os
import random
import shutil
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(15)
ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
B64URL = ALNUM + "-_"
B64 = ALNUM + "+/"


def rnd(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def password(url_safe=False):
    """A password of a shape people use: short, mixed, words with digits."""
    if url_safe:
        return password().replace("@", "x").replace("#", "y").replace("%", "z").replace("/", "w")
    kind = R.randrange(5)
    if kind == 0:
        return rnd(R.randint(8, 14))
    if kind == 1:
        word = R.choice(["Summer", "Falcon", "Orbit", "Maple", "Quartz", "Harbor", "Violet"])
        return word + str(R.randint(10, 9999)) + R.choice("!#@%*")
    if kind == 2:
        return rnd(6, string.ascii_lowercase) + str(R.randint(100, 999))
    if kind == 3:
        return rnd(R.randint(10, 16), ALNUM + "!#%*+-_.@")
    return rnd(4, string.ascii_uppercase) + rnd(4, string.digits) + rnd(3, string.ascii_lowercase)


def user():
    return R.choice(["app", "svc_orders", "deploy", "reporting", "ci", "etl", "billing"])


def host():
    return R.choice(["db.internal.acme.io", "10.0.3.12", "cache-01.acme.net", "mq.acme.io",
                     "cluster0.xq7lp.acme.net"])


# Each generator returns (category, relpath, lines, [(line_index_1based, label)]).
ENTRIES = []


def entry(category, path, lines, labels):
    ENTRIES.append((category, path, lines, labels))


def passwords():
    for i in range(4):
        p = password()
        entry("password", "go/config%d.go" % i, [
            "package config", "", "var testDB = Options{", '\tUser:     "%s",' % user(),
            '\tPassword: "%s",' % p, "}"], [(5, "T")])
        p = password()
        entry("password", "go/client%d_test.go" % i, [
            "func TestLogin(t *testing.T) {", '\tpassword := "%s"' % p,
            "\tc := NewClient(user, password)", "}"], [(2, "T")])
        entry("password", "js/db%d.js" % i, [
            "module.exports = {", "  host: 'localhost',", "  password: '%s'," % password(), "};"],
            [(3, "T")])
        entry("password", "ts/auth%d.spec.ts" % i, [
            "it('logs in', async () => {", "  const res = await login({ username: 'bob', password: \"%s\" });" % password(),
            "});"], [(2, "T")])
        entry("password", "python/settings%d.py" % i, [
            "DATABASES = {", "    'default': {", "        'USER': '%s'," % user(),
            "        'PASSWORD': '%s'," % password(), "    }", "}"], [(4, "T")])
        entry("password", "python/connect%d.py" % i, [
            "import psycopg2",
            'conn = psycopg2.connect(host="%s", user="%s", password="%s")' % (host(), user(), password())],
            [(2, "T")])
        entry("password", "ruby/database%d.rb" % i, [
            "ActiveRecord::Base.establish_connection(", "  adapter: 'postgresql',",
            "  password: \"%s\"," % password(), ")"], [(3, "T")])
        entry("password", "ruby/user%d_spec.rb" % i, [
            "let(:user) { create(:user, :password => '%s') }" % password()], [(1, "T")])
        entry("password", "java/Db%d.java" % i, [
            "class Db {", '    private static final String PASSWORD = "%s";' % password(),
            '    void init() { props.setProperty("password", "%s"); }' % password(), "}"],
            [(2, "T"), (3, "T")])
        entry("password", "php/config%d.php" % i, [
            "<?php", "$password = '%s';" % password(), "return ['db' => ['password' => '%s']];" % password()],
            [(2, "T"), (3, "T")])
        entry("password", "csharp/Settings%d.cs" % i, [
            'var cs = "Server=%s;Database=app;User Id=%s;Password=%s;";' % (host(), user(), password())],
            [(1, "T")])
        entry("password", "shell/deploy%d.sh" % i, [
            "#!/bin/sh", "export DB_PASSWORD=%s" % password(),
            "mysql -u root -p%s app < dump.sql" % password(),
            "sshpass -p '%s' ssh deploy@%s" % (password(), host())], [(2, "T"), (3, "T"), (4, "T")])
        entry("password", "sql/users%d.sql" % i, [
            "ALTER USER %s IDENTIFIED BY %s;" % (user(), password()),
            "CREATE USER '%s'@'%%' IDENTIFIED BY '%s';" % (user(), password()),
            "CREATE ROLE %s WITH LOGIN PASSWORD '%s';" % (user(), password())],
            [(1, "T"), (2, "T"), (3, "T")])
        entry("password", "powershell/setup%d.ps1" % i, [
            '$secure = ConvertTo-SecureString "%s" -AsPlainText -Force' % password(),
            "Connect-Db -Server %s -Password %s" % (host(), password())], [(1, "T"), (2, "T")])
        entry("password", "yaml/redis%d.yml" % i, [
            "redis:", "  sentinel_password: %s" % password(), "  db: 0"], [(2, "T")])
        entry("password", "yaml/app%d.yaml" % i, [
            "database:", "  username: %s" % user(), '  password: "%s"' % password()], [(3, "T")])
        entry("password", "json/config%d.json" % i, [
            "{", '  "db": {"user": "%s", "password": "%s"},' % (user(), password()),
            '  "nested": "{\\"password\\":\\"%s\\"}"' % password(), "}"], [(2, "T"), (3, "T")])
        entry("password", "xml/settings%d.xml" % i, [
            "<settings><servers><server>", "  <id>nexus</id>",
            "  <password>%s</password>" % password(), "</server></servers></settings>"], [(3, "T")])
        entry("password", "env/app%d.env" % i, [
            "APP_ENV=production", "DB_PASSWORD=%s" % password(), "DB_HOST=%s" % host()], [(2, "T")])
        entry("password", "properties/application%d.properties" % i, [
            "spring.datasource.url=jdbc:postgresql://%s/app" % host(),
            "spring.datasource.password=%s" % password()], [(2, "T")])
        entry("password", "ini/db%d.ini" % i, [
            "[client]", "user = %s" % user(), "password = %s" % password()], [(3, "T")])
        entry("password", "docker/Dockerfile%d" % i, [
            "FROM mysql:8", "ENV MYSQL_ROOT_PASSWORD=%s" % password()], [(2, "T")])
        entry("password", "docker/run%d.sh" % i, [
            "docker run -d -e MYSQL_ROOT_PASSWORD=%s -p 3306:3306 mysql:8" % password(),
            "docker login -u bot -p %s registry.acme.io" % password(),
            "mysqladmin -u root --password %s status" % password()], [(1, "T"), (2, "T"), (3, "T")])
        entry("password", "markdown/README%d.md" % i, [
            "Connect with:", "", "    mysql -h %s -u %s -p%s" % (host(), user(), password()),
            "", "or set `secret-key: %s` in the config." % rnd(16)], [(3, "T"), (5, "T")])
        entry("password", "yaml/jwt%d.toml" % i, ['jwt-secret = "%s"' % rnd(18)], [(1, "T")])


def auth_headers():
    for i in range(5):
        tok = rnd(64, HEX)
        entry("auth-header", "http/cassette%d.yaml" % i, [
            "- request:", "    headers:", "      Authorization:", "      - Bearer %s" % tok,
            "    method: GET"], [(4, "T")])
        entry("auth-header", "http/recording%d.http" % i, [
            "GET /api/v1/me HTTP/1.1", "Host: api.acme.io", "Authorization: Bearer %s" % rnd(64, HEX)],
            [(3, "T")])
        cred = base64.b64encode(("%s:%s" % (user(), password())).encode()).decode()
        entry("auth-header", "http/basic%d.json" % i, [
            '{"headers": {"Authorization": "Basic %s"}}' % cred], [(1, "T")])
        cred = base64.b64encode(("%s:%s" % (user(), password())).encode()).decode()
        entry("auth-header", "js/fetch%d.test.js" % i, [
            "fetch(url, { headers: { authorization: 'Basic %s' } });" % cred], [(1, "T")])
        entry("auth-header", "go/api%d.go" % i, [
            'req.Header.Set("Authorization", "Bearer %s")' % rnd(40, B64URL)], [(1, "T")])
    for i, line in enumerate([
            'req.Header.Set("Authorization", "Bearer "+token)',
            "Authorization: Bearer <token>",
            "Authorization: Bearer ${API_TOKEN}",
            "Use Basic Authentication for the admin endpoints.",
            "Send the header as Bearer followed by your access token."]):
        entry("auth-header", "docs/auth-neg%d.md" % i, [line], [(1, "F")])


def urls():
    schemes = ["nats", "amqp", "amqps", "redis", "rediss", "mongodb+srv", "mongodb", "postgres",
               "postgresql", "mysql", "smtp", "ldap", "mqtt", "kafka", "sftp"]
    for i, sch in enumerate(schemes):
        u = "%s://%s:%s@%s:4222/x" % (sch, user(), password(True), host())
        entry("url", "urls/conn%d.env" % i, ["BROKER_URL=%s" % u], [(1, "T")])
        u = "%s://%s:%s@%s/x" % (sch, user(), password(True), host())
        entry("url", "urls/conn%d.yaml" % i, ["  url: \"%s\"" % u], [(1, "T")])
    for i, line in enumerate([
            "https://user:${TOKEN}@git.acme.io/app.git", "postgres://localhost:5432/app",
            "http://user:password@example.com/", "amqp://guest:<password>@localhost",
            "redis://:$REDIS_PASSWORD@cache:6379"]):
        entry("url", "urls/neg%d.md" % i, [line], [(1, "F")])


def formats():
    for i in range(3):
        seed = "S" + R.choice("UACO") + rnd(56, B32)
        entry("format", "nats/user%d.creds" % i, [
            "-----BEGIN USER NKEY SEED-----", seed, "------END USER NKEY SEED------"], [(2, "T")])
        d = rnd(43, B64URL)
        entry("format", "jwk/key%d.json" % i, [
            '{"kty":"EC","crv":"P-256","x":"%s","y":"%s",' % (rnd(43, B64URL), rnd(43, B64URL)),
            ' "d":"%s"}' % d], [(2, "T")])
        entry("format", "jwk/sorted%d.json" % i, [
            '{"crv":"Ed25519","d":"%s","kty":"OKP","x":"%s"}' % (rnd(43, B64URL), rnd(43, B64URL))],
            [(1, "T")])
        entry("format", "jwk/key%d.ts" % i, [
            "export const jwk = {", "  kty: 'RSA',", "  n: '%s'," % rnd(86, B64URL), "  e: 'AQAB',",
            "  d: '%s'," % rnd(86, B64URL), "};"], [(5, "T")])
        entry("format", "putty/id%d.ppk" % i, [
            "PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: deploy",
            "Public-Lines: 2", rnd(64, B64), rnd(20, B64), "Private-Lines: 1", rnd(44, B64),
            "Private-MAC: " + rnd(64, HEX)], [(8, "T")])
        entry("format", "otp/mfa%d.txt" % i, [
            "otpauth://totp/Acme:bob@acme.io?secret=%s&issuer=Acme" % rnd(32, B32)], [(1, "T")])
        entry("format", "otp/settings%d.py" % i, ['TOTP_SECRET = "%s"' % rnd(32, B32)], [(1, "T")])
        entry("format", "twilio/sms%d.py" % i, [
            'client = Client("AC%s", "%s")' % (rnd(32, HEX), rnd(32, HEX))], [(1, "T")])
        entry("format", "akamai/edgerc%d" % i, [
            "[default]", "client_token = akab-%s-%s" % (rnd(16, string.ascii_lowercase + string.digits),
                                                     rnd(16, string.ascii_lowercase + string.digits))],
            [(2, "T")])
        entry("format", "curl/call%d.sh" % i, [
            "curl -u %s:%s https://jenkins.acme.io/api/json" % (user(), password())], [(1, "T")])
        body = "MII" + rnd(61, B64)
        entry("pem", "pem/key%d.js" % i, [
            'const key = "-----BEGIN RSA PRIVATE KEY-----\\n" +', '  "%s\\n" +' % body,
            '  "%s\\n" +' % rnd(64, B64), '  "-----END RSA PRIVATE KEY-----";'], [(2, "T")])
        entry("pem", "pem/key%d.pem" % i, [
            "-----BEGIN PRIVATE KEY----- (staging)", "MII" + rnd(61, B64), rnd(64, B64),
            "-----END PRIVATE KEY-----"], [(2, "T")])
        entry("pem", "pem/enc%d.pem" % i, [
            "-----BEGIN ENCRYPTED PRIVATE KEY-----", "MIIF" + rnd(60, B64), rnd(64, B64),
            "-----END ENCRYPTED PRIVATE KEY-----"], [(2, "F")])
        entry("pem", "pem/legacy-enc%d.pem" % i, [
            "-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED",
            "DEK-Info: AES-128-CBC,%s" % rnd(32, "0123456789ABCDEF"), "", rnd(64, B64), rnd(64, B64),
            "-----END RSA PRIVATE KEY-----"], [(5, "F")])


def false_positives():
    labels = [("zh-CN", "密码"), ("ja", "パスワード"), ("ko", "비밀번호"), ("ru", "Пароль"),
              ("uk", "Пароль користувача")]
    for lang, word in labels:
        entry("noise", "locales/%s.json" % lang, [
            "{", '  "login": {', '    "password": "%s",' % word,
            '    "passwordConfirm": "%s",' % word, "  }", "}"], [(3, "F"), (4, "F")])
        entry("noise", "config/locales/%s.yml" % lang, [
            "%s:" % lang, "  user:", "    password: %s" % word], [(3, "F")])
    entry("noise", "po/fr.po", ['msgid "Password"', 'msgstr "Mot de passe"'], [(1, "F"), (2, "F")])
    for i, line in enumerate([
            'password: "a_very_important_secret"', "DB_PASSWORD=###DB_PASSWORD###",
            'password = "<your password>"', 'password: "${DB_PASSWORD}"', "password: changeme",
            'password = os.environ["DB_PASSWORD"]', "password: process.env.DB_PASSWORD",
            'echo "$PW" | docker login --password-stdin', "mysql -u root -p app",
            "ALTER USER app IDENTIFIED BY :new_password;", 'passwordLabel: "Enter your password"',
            '"password": "Password"', "password: string", "password_min_length = 12",
            "export DB_PASSWORD=$(vault read -field=pw secret/db)"]):
        entry("noise", "examples/template%d.txt" % i, [line], [(1, "F")])
    hashes = ["$2b$12$" + rnd(53, ALNUM + "./"), "$argon2id$v=19$m=65536,t=3,p=4$" + rnd(22, B64) + "$" + rnd(43, B64),
              rnd(64, HEX), rnd(32, HEX), rnd(40, HEX)]
    for i, h in enumerate(hashes):
        entry("noise", "fixtures/users%d.yml" % i, ["admin:", '  password: "%s"' % h], [(2, "F")])


def harder():
    """Shapes no rule was written from: misses here are honest."""
    for i in range(3):
        entry("password", "harder/Dockerfile%d" % i, ["ENV MYSQL_ROOT_PASSWORD %s" % password()], [(1, "T")])
        entry("password", "harder/pgpass%d" % i, ["%s:5432:app:%s:%s" % (host(), user(), password(True))],
              [(1, "T")])
        entry("password", "harder/win%d.bat" % i, ["net user svc_backup %s /add" % password()], [(1, "T")])
        entry("password", "harder/kt%d.kt" % i, ['val pwd = "%s"' % password()], [(1, "T")])
        entry("password", "harder/rb%d.rb" % i, ["config.passwd = '%s'" % password()], [(1, "T")])
    negatives = [
        ("go/neg.go", 'if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil {'),
        ("go/neg2.go", 'Password string `json:"password" yaml:"password"`'),
        ("js/neg.js", "const password = req.body.password;"),
        ("js/neg2.js", "if (password.length < 8) throw new Error('password too short');"),
        ("python/neg.py", "password = getpass.getpass('Password: ')"),
        ("python/neg2.py", "def set_password(self, raw_password):"),
        ("python/neg3.py", "parser.add_argument('--password', help='database password')"),
        ("ruby/neg.rb", "validates :password, length: { minimum: 8 }"),
        ("java/Neg.java", "String password = System.getenv(\"DB_PASSWORD\");"),
        ("php/neg.php", "$password = $_POST['password'];"),
        ("csharp/Neg.cs", "public string Password { get; set; }"),
        ("shell/neg.sh", 'read -s -p "Password: " PASSWORD'),
        ("shell/neg2.sh", "mysql -u root -p\"$MYSQL_ROOT_PASSWORD\" app"),
        ("sql/neg.sql", "UPDATE users SET password = crypt(:pw, gen_salt('bf')) WHERE id = :id;"),
        ("powershell/neg.ps1", "$cred = Get-Credential -Message 'Enter password'"),
        ("yaml/neg.yml", "      password: ${{ secrets.DB_PASSWORD }}"),
        ("yaml/neg2.yml", "    passwordSecretRef: db-credentials"),
        ("json/neg.json", '{"type": "password", "minLength": 8, "required": true}'),
        ("xml/neg.xml", "<password>${env.NEXUS_PASSWORD}</password>"),
        ("env/neg.env", "DB_PASSWORD="),
        ("properties/neg.properties", "spring.datasource.password=${DB_PASSWORD}"),
        ("ini/neg.ini", "password = %(db_password)s"),
        ("markdown/neg.md", "Set the `password` field to your database password."),
        ("http/neg.http", "Authorization: Bearer {{token}}"),
        ("docs/neg.md", "Use `curl -u user:password https://host` with your own values."),
        ("js/neg3.js", 'const passwordPattern = "^(?=.*[A-Z])(?=.*[0-9]).{8,}$";'),
        ("locales/ja.yml", "  secret_key: \u30b7\u30fc\u30af\u30ec\u30c3\u30c8\u30ad\u30fc\u3092\u5165\u529b\u3057\u3066\u304f\u3060\u3055\u3044"),
        ("go/neg3.go", 'cfg.Password = os.Getenv("DB_PASSWORD")'),
        ("yaml/neg3.yml", "  password: !vault |"),
        ("shell/neg3.sh", 'echo "db:5432:app:app_user:$PGPASSWORD" > ~/.pgpass'),
        ("docker/pgpass.conf", "# hostname:port:database:username:password"),
        ("bat/neg.bat", "net user svc_backup * /add"),
        ("bat/neg2.bat", "net user %SVC_USER% %SVC_PASSWORD% /add"),
    ]
    for path, line in negatives:
        entry("noise", "neg/" + path, [line], [(1, "F")])


def write():
    files_dir = os.path.join(HERE, "files")
    if os.path.isdir(files_dir):
        shutil.rmtree(files_dir)
    rows = []
    for category, path, lines, labels in ENTRIES:
        full = os.path.join(files_dir, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        for line, label in labels:
            rows.append("%s\t%d\t%s\t%s" % (path, line, label, category))
    with open(os.path.join(HERE, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("# path\tline\tlabel (T credential, F not one)\tcategory\n")
        f.write("\n".join(sorted(rows)) + "\n")
    return len(rows)


def main():
    passwords()
    auth_headers()
    urls()
    formats()
    false_positives()
    harder()
    n = write()
    print("%d labelled lines in %d files" % (n, len(ENTRIES)), file=sys.stderr)


if __name__ == "__main__":
    main()
