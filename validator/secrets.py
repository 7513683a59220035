"""Finding credentials in the free text of a case file (rule A004, secret-in-case).

Case files live in git, so a password pasted into ``notes`` or into a comment stays in the
history for good. The operator writes in Japanese and English, tersely, and the policy's own
vocabulary is full of the very words a naive scanner keys on (パスワード, API署名, password
reset...). So every pattern below fires on the *value* of a credential, never on the word
alone, and each value is checked against what people write instead of a secret:
placeholders (``********``, ``xxxx``, ``<password>``, ``(削除済み)``), states (変更済み,
``changed``, ``YES`` in MySQL's "using password: YES"), prose, dates, paths, URLs, e-mail
addresses, host names and version numbers.

The families, and why each exists:

``password`` (and ``secret``)
    A credential word followed by its value: ``パスワード: ...``, ``パスワードは ...``,
    ``PW: ...``, ``pw=...``, ``pass=...``, ``password is ...``, ``define('DB_PASSWORD', '...')``,
    ``mysql -u shop -p...``, the ``host / user / password`` triple of an FTP or admin-screen
    login and the ``ID/PW: user / password`` pair. After a strong separator (``:``, ``=``, a
    quote) a password may be any word that is not a placeholder; after a weak one (a space,
    は/を/が, "is") it must look made up (letters with digits or symbols), because there a word
    is usually prose ("password reset", "パスワードは変更済み"). Words for tokens and keys
    (``secret``, ``token``, ``api_key``, トークン, APIキー, 暗号...) give the kind ``secret``, and
    their values must always look made up: tokens are never dictionary words.
``url-credentials``
    ``scheme://user:password@host``: connection strings pasted from a config file
    (``ftp://``, ``mysql://``, ``https://``...). The match is the password part.
``paypal-api-username``, ``paypal-api-password``, ``paypal-api-signature``
    The three parts of a PayPal API signature credential (policy note 2: the customer removes
    it before the work; it must not land in a case file instead). The user name has PayPal's
    own shape (``shop_api1.example.jp``); the signature is 56 characters of mixed case, digits,
    ``.`` and ``-``, and needs no context. The 16-character API password (capitals and
    digits) needs the word API or パスワード/password nearby, so transaction ids (17
    characters), invoice numbers and licence numbers stay quiet.
``private-key``
    A PEM private-key block (``-----BEGIN ... PRIVATE KEY-----``), from the header to its
    ``END`` line; when the block is cut, the header and the key lines that follow it.
``cloud-key``
    Vendor keys recognisable by their prefix: AWS access key ids (``AKIA``...), Google API
    keys (``AIza``), GitHub tokens (``ghp_``, ``github_pat_``...), Slack tokens (``xox.-``) and
    webhooks, Stripe secret keys (``sk_live_``/``rk_live_``, test keys too), SendGrid and
    OpenAI keys. Publishable keys (``pk_live_``) are not secrets.

``label`` is the YAML key the text sits under. A key name never fires by itself; under a
credential-like key (``password``, ``ftp_pw``, ``api_key``, ``パスワード``, ``暗号``...) the
value's first word is read as that credential's value, with the same checks as above.

Every function is pure. Each family first checks a cheap keyword or character so that
ordinary notes cost a few microseconds, and each pattern is compiled on its first use
(``validator/lazy_pattern.py``): one case file's text reaches a handful of them.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from validator.lazy_pattern import lazy_compile

__all__ = ["SecretMatch", "find_secrets", "hide_secrets", "mask"]


@dataclass(frozen=True)
class SecretMatch:
    """One credential found in a text: where its value stands, and what it is."""

    start: int  # offset of the secret's first character in the text
    end: int  # offset just past its last character
    kind: str  # a stable id, e.g. "password", "url-credentials", "cloud-key"


def hide_secrets(text: str) -> str:
    """``text`` with every credential ``find_secrets`` sees replaced by ``mask``: what a
    message, an excerpt or a mail draft may show of user text."""
    for found in reversed(find_secrets(text)):
        text = text[:found.start] + mask(text[found.start:found.end]) + text[found.end:]
    return text


def mask(secret: str) -> str:
    """A stand-in for a secret in messages and drafts: nothing of it, not even its first
    character or its length (the position in the file says what to delete).

    >>> mask("Tk7#pQ92xLm")
    '***'
    """
    return "***"


# --- the words that introduce a credential ------------------------------------------------

_H = r"[ \t\u3000]"  # horizontal white space, the ideographic space included

# Password words. English ones may carry a prefix (db_password, FTP_PASS, admin-pw) and
# must stand as a word of their own ("passed", "bypass", "password_reset" are not them);
# Japanese ones need no word boundary (FTPパスワード, 管理画面PW). パス alone is only
# a password when it is not part of a longer katakana word (パスタ, バイパス).
_PASSWORD_WORDS = (
    r"(?<![A-Za-z0-9_-])(?:[A-Za-z0-9]+[_-])*?(?:password|passwd|passphrase|passcode|pass|pwd|pw|p/w)"
    r"(?![A-Za-z0-9_-])"
    r"|パスワード|パスフレーズ|ﾊﾟｽﾜｰﾄﾞ|(?<![ァ-ヶー])パス(?![ァ-ヶー])|暗証番号|暗号(?!化|キー|鍵)"
)
# Token and key words: their values are random by nature.
_SECRET_WORDS = (
    r"(?<![A-Za-z0-9_-])(?:[A-Za-z0-9]+[_-])*?(?:secret(?:[_-]?access)?(?:[_-]?key)?|token|"
    r"api[ _-]?key|apikey|access[ _-]?key|private[ _-]?key|signature)(?![A-Za-z0-9_-])"
    r"|(?:アクセス)?トークン|API(?:キー|鍵)|アクセスキー|シークレット(?:キー)?|秘密鍵|"
    r"暗号(?:化)?(?:キー|鍵)|API署名|シグネチャ"
)
_KEYWORD = lazy_compile(rf"(?P<password>{_PASSWORD_WORDS})|(?P<secret>{_SECRET_WORDS})", re.IGNORECASE)

# Cheap first look: without one of these fragments no keyword can match.
# Tested with `in` on the lower-cased text (a fast substring search; a case-insensitive
# alternation costs far more on long text).
_KEYWORD_HINTS = ("pass", "pw", "p/w", "パス", "ﾊﾟｽ", "暗", "secret", "token", "key", "signature", "トークン",
                  "キー", "鍵", "シークレット", "署名", "シグネチャ")
_API_OR_PASSWORD_HINTS = ("api", "pass", "pw", "パスワード")

# "ID/PW: user / password", "ユーザー名・パスワード: ...": the first value is the user name.
_PAIR_PREFIX = lazy_compile(r"(?:\bID|\buser(?:name)?|\blogin|ユーザー?(?:名|ID)?|ログイン(?:ID|名)?|アカウント(?:名)?)"
                          rf"{_H}*[/／・,、&]{_H}*$", re.IGNORECASE)
_PAIR = lazy_compile(
    rf"{_H}*(?:[(（][^)）\n]{{1,8}}[)）])?{_H}*[:：=]{_H}*(?P<user>[^\s/／]+){_H}*[/／]{_H}*(?P<value>[^\s/／]+)")

# What may stand between the word and its value. A short qualifier may come first:
# "パスワード(仮): ...", "PW（新）：...", "password for mail.example.jp: ...".
_QUALIFIER = rf"(?:{_H}*[(（][^)）\n]{{1,8}}[)）]|{_H}+(?:for|of){_H}+[^\s:：=]{{1,40}})?"
_STRONG_SEPARATOR = lazy_compile(
    rf"{_QUALIFIER}{_H}*(?:['\"]?{_H}*(?:=>|->|→|[:：=＝])|['\"]{_H}*,){_H}*|{_QUALIFIER}{_H}*(?=[「『\"'`])")
_WEAK_SEPARATOR = lazy_compile(
    rf"{_H}*(?:は|を|が|も|[(（]){_H}*"
    rf"|{_H}+(?:(?:is|was|has{_H}+been|is{_H}+now|now){_H}+)?(?:(?:set|changed|reset|updated){_H}+to{_H}+|to{_H}+)?",
    re.IGNORECASE)

_QUOTES = {"「": "」", "『": "』", '"': '"', "'": "'", "`": "`"}
# Bounded: a value longer than 200 characters is rejected anyway, and an unbounded run
# from every credential word would make the scan quadratic on hostile text.
_ASCII_TOKEN = lazy_compile(r"[!-~]{1,256}")
_QUERY_CONTINUES = lazy_compile(r"&[A-Za-z_]+=")
_PROSE_CONTINUES = lazy_compile(r"[ \t]+[A-Za-z(]|[\u3040-\u30ff\u3400-\u9fff]")

# --- values that are not secrets ----------------------------------------------------------

_STOP_WORDS = frozenset(["yes", "no", "none", "null", "nil", "true", "false", "empty", "blank", "na", "n/a", "tbd", "tbc", "unknown", "same", "unchanged", "changed", "change", "reset", "removed", "deleted", "updated", "set", "unset", "required", "optional", "hidden", "masked", "redacted", "omitted", "secret", "password", "passwd", "pass", "pw", "pwd", "token", "key", "ok", "done", "sent", "given", "provided", "expired", "invalid", "incorrect", "wrong", "temporary", "temp", "default", "see", "ask", "customer", "example", "sample", "dummy", "test", "hoge", "fuga", "piyo", "hogehoge", "foo", "bar", "baz", "your_password", "yourpassword", "your-password", "password_here", "changeme_later", "same_as_ftp", "as_above", "above", "below", "separately", "later"])

_PLACEHOLDER = lazy_compile(
    r"[*＊●•・xX×_.…?？\-]+"  # ********, xxxx, ●●●●, ----
    r"|<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_]+%"  # <password>, ${DB_PASS}
    r"|[xX*]{3,}.{0,4}|.{0,4}[xX*]{3,}"  # partly masked: ab****, xxxx1234
    r"|.*(?:\*\*\*|●●|••|\.\.\.|…).*")
_DATE_OR_NUMBER = lazy_compile(
    r"\d{2,4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?(?:[T ]?\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?|[¥$]?\d{1,3}(?:,\d{3})+(?:円|yen)?|\d+\.\d+|\d+[%円]")
_URL_OR_PATH = lazy_compile(r"[A-Za-z][A-Za-z0-9+.-]*://.*|www\..*|[~.]?/.*|[A-Za-z]:\\.*|\\\\.*")
_EMAIL = lazy_compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HOST = lazy_compile(r"(?:[A-Za-z0-9-]+\.)+(?:jp|com|net|org|info|biz|io|co|local|localhost|dev|app)\.?"
                   r"|(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?|localhost")
_VERSION = lazy_compile(r"[A-Za-z]{0,8}[-_ ]?v?\d+(?:\.\d+)+[a-z]?|v\d+")
_FILE_NAME = lazy_compile(r".+\.(?:php|html?|js|css|txt|log|zip|sql|csv|ya?ml|json|jpe?g|png|gif|pdf|cgi|pl|py|"
                        r"ini|conf|htaccess|bak|tar|gz|tgz|xml|md)", re.IGNORECASE)
_CIPHER = lazy_compile(r"(?:AES|RSA|DES|3DES|SHA|MD5|TLS|SSL|ECDSA|ED25519|HMAC|BCRYPT)[\w.-]*", re.IGNORECASE)
_REFERENCE = lazy_compile(r"[A-Z]{1,5}-\d{3,}(?:-\d+)*")  # L-88231, C-0192, INV-2026-0042
_JAPANESE = lazy_compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

# --- the value-shaped families --------------------------------------------------------------

_URL_CREDENTIALS = lazy_compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://(?P<user>[^\s:/@]*):(?P<value>[^\s@/]+)@[^\s@/]+")

_PAYPAL_USERNAME = lazy_compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*_api\d\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.ASCII)
_PAYPAL_SIGNATURE = lazy_compile(r"(?<![\w.\-/=+])[A-Za-z0-9.\-]{56}(?![\w.\-/=+])")
_PAYPAL_PASSWORD = lazy_compile(r"(?<![A-Za-z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])")
_API = lazy_compile(r"api", re.IGNORECASE)
_PAYPAL_PASSWORD_CONTEXT = lazy_compile(r"api|パスワード|password|pwd|\bpw\b|\bpass\b", re.IGNORECASE)
_IDENTIFIER_CONTEXT = lazy_compile(
    r"(?:\bID|番号|\bNo\.?|#|invoice|order|取引|請求|注文|transaction|txn|ライセンス|license)[^\n]{0,3}$",
    re.IGNORECASE)

_PRIVATE_KEY = lazy_compile(
    r"-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----"
    # A block ends at its END line, never past the next BEGIN: each header's scan stops
    # there, so many headers cost linear time, not quadratic.
    r"(?:(?:(?!-----BEGIN).)*?-----END[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----|(?:\r?\n[\t A-Za-z0-9+/=:,\-]*[A-Za-z0-9+/=])*)",
    re.DOTALL)

_CLOUD_KEY = lazy_compile(
    r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])"  # AWS access key id
    r"|(?<![\w-])AIza[0-9A-Za-z_\-]{35}(?![\w-])"  # Google API key
    r"|(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"  # GitHub tokens
    r"|(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}"
    r"|(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,}"  # Slack tokens
    r"|https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"  # Slack webhook
    r"|(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{16,}"  # Stripe secret / restricted keys
    r"|(?<![A-Za-z0-9_])SG\.[\w-]{22}\.[\w-]{43}"  # SendGrid
    r"|(?<![A-Za-z0-9_-])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}"  # OpenAI, Anthropic
    # Further services by the prefixes their documentation gives their tokens:
    r"|(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|imt|soat|oas|ft|agent|wt)-[A-Za-z0-9_-]{20,}"  # GitLab
    r"|(?<![A-Za-z0-9_-])GR1348941[A-Za-z0-9_-]{20,}"  # GitLab runner registration
    r"|(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"  # npm
    r"|(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{16,}"  # PyPI
    r"|(?<![A-Za-z0-9_])shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}(?![A-Za-z0-9])"  # Shopify
    r"|(?<![A-Za-z0-9_])do[por]_v1_[a-f0-9]{64}(?![A-Za-z0-9])"  # DigitalOcean
    r"|(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}"  # Hugging Face
    r"|(?<![A-Za-z0-9_])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])"  # Twilio API key
    r"|(?<![A-Za-z0-9_-])key-[0-9a-zA-Z]{32}(?![A-Za-z0-9])"  # Mailgun
    r"|(?<![A-Za-z0-9_-])sq0(?:atp|csp)-[0-9A-Za-z_-]{22,}"  # Square
    r"|(?<![A-Za-z0-9_-])ATATT3[A-Za-z0-9_=-]{50,}"  # Atlassian
    r"|(?<![A-Za-z0-9_-])PMAK-[a-f0-9]{24}-[a-f0-9]{34}"  # Postman
    r"|(?<![A-Za-z0-9_-])hv[sb]\.[A-Za-z0-9_-]{24,}"  # HashiCorp Vault
    r"|(?<![A-Za-z0-9_])gl(?:sa|c)_[A-Za-z0-9+/_=]{32,}"  # Grafana
    r"|(?<![A-Za-z0-9_])sntr[ysu]_[A-Za-z0-9+/=_-]{40,}"  # Sentry
    r"|(?<![A-Za-z0-9_-])NRAK-[A-Z0-9]{27}"  # New Relic
    r"|(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}"  # Linear
    r"|(?<![A-Za-z0-9_])figd_[A-Za-z0-9_-]{40,}"  # Figma
    r"|(?<![A-Za-z0-9_])dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,}"  # Doppler
    r"|(?<![A-Za-z0-9_])(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,})(?![A-Za-z0-9])"  # Notion
    r"|(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{32,}"  # Stripe webhook signing secret
    r"|(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}"  # Google OAuth client secret
    r"|(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_-]{30,}"  # Google OAuth access token
    r"|(?<![A-Za-z0-9_-])HRKU-[A-Za-z0-9_-]{40,}"  # Heroku
    r"|(?<![A-Za-z0-9])(?:LTAI[A-Za-z0-9]{12,20}|AKID[A-Za-z0-9]{32})(?![A-Za-z0-9])"  # Alibaba, Tencent
    r"|(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])"  # Telegram bot
    r"|https://discord(?:app)?\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{40,}"  # Discord webhook
    r"|(?<=AccountKey=)[A-Za-z0-9+/]{80,}={0,2}")  # Azure storage connection string
# Literal prefixes, tested with `in` (a fast substring search): a regular expression of
# forty alternatives would try each of them at every character of a long text.
_CLOUD_KEY_PREFIXES = (
    "AKIA", "ASIA", "ABIA", "ACCA", "AIza", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox",
    "hooks.slack", "k_live_", "k_test_", "SG.", "sk-", "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glimt-",
    "glsoat-", "gloas-", "glft-", "glagent-", "glwt-", "GR1348941", "npm_", "pypi-", "shpat_", "shpss_", "shpca_",
    "shppa_", "_v1_", "hf_", "SK", "key-", "sq0", "ATATT3", "PMAK-", "hvs.", "hvb.", "glsa_", "glc_", "sntr",
    "NRAK-", "lin_api_", "figd_", "dp.", "secret_", "ntn_", "whsec_", "GOCSPX-", "ya29.", "HRKU-", "LTAI", "AKID",
    ":AA", "discord", "AccountKey=")


def _may_hold_cloud_key(text: str) -> bool:
    return any(prefix in text for prefix in _CLOUD_KEY_PREFIXES)

_SLASH_CONTEXT = lazy_compile(
    r"ftp|ssh|sftp|管理|admin|login|ログイン|cpanel|サーバ|server|\bdb\b|mysql|データベース|database|"
    r"アカウント|account|wordpress|\bID\b|ユーザ|user|接続", re.IGNORECASE)
# host / user / password, user / password: the last part is the password.
_SLASH_CHAIN = lazy_compile(r"(?<![^\s:：])[^\s/／]+(?:[ \t]*[/／][ \t]*[^\s/／]+){1,3}")
_SLASH_SPLIT = lazy_compile(r"[ \t]*[/／][ \t]*")
_URL_ANYWHERE = lazy_compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*|(?<!\S)[~.]?/[^\s/]\S*")

# Passwords on a pasted command line: mysql -pSECRET, sshpass -p SECRET, curl -u user:SECRET.
_COMMAND_LINE = lazy_compile(
    r"\bmysql(?:dump|admin)?\b[^\n]*?(?<=\s)-p(?P<mysql>[^\s-]\S*)"
    r"|\bsshpass[ \t]+-p[ \t]*(?P<sshpass>\S+)"
    r"|\bcurl\b[^\n]*?(?<=\s)(?:-u|--user)[ \t]*['\"]?[^\s:'\"]+:(?P<curl>[^\s'\"]+)")
_COMMAND_HINT = lazy_compile(r"mysql|sshpass|curl")

# Bearer tokens and JSON Web Tokens pasted from a request or a log.
_BEARER = lazy_compile(r"(?<![A-Za-z0-9])Bearer[ \t]+(?P<value>[A-Za-z0-9._~+/=-]{16,})"
                     r"|(?<![\w-])(?P<jwt>eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,})")

# --- label context -------------------------------------------------------------------------

_PASSWORD_LABEL = lazy_compile(
    r"(?:.*[_\-\s.])?(?:password|passwd|passphrase|passcode|pass|pwd|pw)"
    r"|.*(?:パスワード|(?<![ァ-ヶー])パス|暗証番号|暗号)",
    re.IGNORECASE)
_SECRET_LABEL = lazy_compile(
    r"(?:.*[_\-\s.])?(?:secret|secret[_-]?key|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|"
    r"signature|credentials?)|.*(?:トークン|API(?:キー|鍵)|アクセスキー|シークレット(?:キー)?|秘密鍵|暗号(?:化)?(?:キー|鍵)|"
    r"署名|シグネチャ|認証情報)",
    re.IGNORECASE)

_KIND_ORDER = {"private-key": 0, "cloud-key": 1, "paypal-api-signature": 2, "paypal-api-username": 2,
               "paypal-api-password": 2, "url-credentials": 3, "password": 4, "secret": 5}


def find_secrets(text: str, *, label: str | None = None) -> list[SecretMatch]:
    """Every credential value in ``text``, in order, with offsets into ``text``.

    ``label`` is the YAML key the text is the value of (context only: under a
    credential-like key the value's first word is read as that credential).
    """
    if not text:
        return []
    if len(text) > _MEMO_MAX_LENGTH:
        return _find_secrets(text, label)
    return list(_find_secrets_memo(text, label))


# Case files repeat most of their values (dates, states, product ids, methods): the
# profile of 10,000 cases showed the scan a seventh of the time, mostly on repeats.
_MEMO_MAX_LENGTH = 200


@functools.lru_cache(maxsize=8192)
def _find_secrets_memo(text: str, label: str | None) -> tuple[SecretMatch, ...]:
    return tuple(_find_secrets(text, label))


# Full-width letters, digits and signs (ＰＷ：Ｋｘ７！...) and the ideographic space, as NFKC
# maps them: one character for one, so every offset found in the folded text is one of the
# original text. (Half-width katakana, which NFKC would merge, are matched as they are.)
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HAS_FULLWIDTH = lazy_compile("[\uff01-\uff5e\u3000]")


def _find_secrets(text: str, label: str | None) -> list[SecretMatch]:
    if _HAS_FULLWIDTH.search(text):
        text = text.translate(_FULLWIDTH)
    found: list[SecretMatch] = []
    if "PRIVATE KEY" in text:
        found += [SecretMatch(m.start(), m.end(), "private-key") for m in _PRIVATE_KEY.finditer(text)]
    if _may_hold_cloud_key(text):
        found += [SecretMatch(m.start(), m.end(), "cloud-key") for m in _CLOUD_KEY.finditer(text)]
    if "://" in text and "@" in text:
        found += _url_credentials(text)
    if "_api" in text:
        found += [SecretMatch(m.start(), m.end(), "paypal-api-username") for m in _PAYPAL_USERNAME.finditer(text)]
    if len(text) >= 56 and not text.islower() and not text.isupper():  # a signature mixes cases
        found += [SecretMatch(m.start(), m.end(), "paypal-api-signature")
                  for m in _PAYPAL_SIGNATURE.finditer(text) if _is_paypal_signature(m.group())]
    label_kind = _label_kind(label)
    if label_kind is not None:
        found += _labelled_value(text, label_kind, label or "")
    lowered = text.lower()
    if any(hint in lowered for hint in _KEYWORD_HINTS):
        found += _keyword_values(text)
    label_says_api = label_kind is not None and _PAYPAL_PASSWORD_CONTEXT.search(label or "") is not None
    if label_says_api or (any(hint in lowered for hint in _API_OR_PASSWORD_HINTS)
                          and _PAYPAL_PASSWORD_CONTEXT.search(text)):
        found += _paypal_passwords(text, from_label=label_says_api)
    if "/" in text or "／" in text:
        found += _slash_logins(text)
    if _COMMAND_HINT.search(text):
        found += _command_line_passwords(text)
    if "Bearer" in text or "eyJ" in text:
        found += _bearer_tokens(text)
    if ":" in text:
        found += _bare_pairs(text)
    if "asic" in text or "ASIC" in text:
        found += _basic_authorization(text)
    if "define" in text:
        found += _php_defines(text)
    if "@" in text:
        found += _address_passwords(text)
    return _without_overlaps(found)


def _without_overlaps(found: list[SecretMatch]) -> list[SecretMatch]:
    """One match per stretch of text: the most specific kind wins, then the longest."""
    if len(found) < 2:
        return found
    kept: list[SecretMatch] = []  # sorted by start, never overlapping
    for match in sorted(set(found), key=lambda m: (_KIND_ORDER[m.kind], m.start - m.end, m.start)):
        index = bisect.bisect_left(kept, match.start, key=lambda m: m.start)
        if index > 0 and kept[index - 1].end > match.start:
            continue
        if index < len(kept) and kept[index].start < match.end:
            continue
        kept.insert(index, match)
    return kept


# --- values after a word -------------------------------------------------------------------

def _keyword_values(text: str) -> list[SecretMatch]:
    """The value after each credential word: after ``ID/PW:``, the second of the pair;
    after a strong separator any non-placeholder word for a password; after a weak one,
    or for a token or key, only a made-up one."""
    found: list[SecretMatch] = []
    for keyword in _KEYWORD.finditer(text):
        kind = "password" if keyword.group("password") else "secret"
        end = keyword.end()
        if _PAIR_PREFIX.search(text, max(0, keyword.start() - 24), keyword.start()):
            pair = _PAIR.match(text, end)
            if pair and _acceptable(pair.group("value"), strong=False, lenient=False):
                found.append(_refined(text, pair.start("value"), pair.end("value"), kind))
            continue
        separator = _STRONG_SEPARATOR.match(text, end)
        strong = separator is not None
        if separator is None:
            separator = _WEAK_SEPARATOR.match(text, end)
            if separator is None or separator.end() == end:
                found += _later_in_sentence(text, end, kind)
                continue
        span = _value_at(text, separator.end())
        if span is None:
            found += _later_in_sentence(text, end, kind)
            continue
        start, stop, quoted = span
        value = text[start:stop]
        lenient = kind == "password" and (strong or quoted)
        if not _acceptable(value, strong=strong or quoted, lenient=lenient) or (
                lenient and not quoted and value.isalpha() and _continues_as_prose(text, stop)):
            if not strong:
                found += _later_in_sentence(text, end, kind)
            continue
        found.append(_refined(text, start, stop, kind))
    return found


# "管理画面にログインするためのパスワードとして Tk92!mxqL を...", "the password the customer
# uses for the shop admin screen is Zr7!pk2mW": the sentence says what the password is for,
# then gives it. Within the rest of the sentence, a word standing apart (after a space or a
# quote) that is clearly made up is the password.
_SENTENCE_END = lazy_compile(r"[。！？\n]|[.!?;](?:\s|$)")  # `!` inside a password ends nothing
_SENTENCE_REACH = 80
_LATER_WORD = lazy_compile(r"(?:(?<=[\s「『\"'`:=])|(?<=として)|(?<=は))(?P<value>[!-~]{8,64})")


def _later_in_sentence(text: str, end: int, kind: str) -> list[SecretMatch]:
    reach = min(len(text), end + _SENTENCE_REACH)
    stop = _SENTENCE_END.search(text, end, reach)
    limit = stop.start() if stop else reach
    for word in _LATER_WORD.finditer(text, end, limit):
        start, stop_at = word.span("value")
        while start < stop_at and text[start] in "'\"`(":
            start += 1
        while stop_at > start and text[stop_at - 1] in ".,;:'\"`)」』":
            stop_at -= 1
        value = text[start:stop_at]
        if value.startswith("#") or not _clearly_made_up(value):
            continue
        if _acceptable(value, strong=False, lenient=False):
            return [_refined(text, start, stop_at, kind)]
    return []


def _value_at(text: str, position: int) -> tuple[int, int, bool] | None:
    """The value that starts at ``position``: inside quotes when quoted, else the run of
    printable ASCII characters there, without trailing punctuation or unbalanced brackets."""
    if position >= len(text):
        return None
    opening = text[position]
    if opening in _QUOTES:
        closing = text.find(_QUOTES[opening], position + 1)
        newline = text.find("\n", position + 1)
        if closing > position + 1 and (newline < 0 or closing < newline):
            value = text[position + 1:closing]
            if not any(c.isspace() for c in value):
                return position + 1, closing, True
        if opening in "「『":
            return None
        position += 1
    token = _ASCII_TOKEN.match(text, position)
    if token is None:
        return None
    start, stop = token.span()
    query = _QUERY_CONTINUES.search(text, start, stop)  # pwd=...&signature=...: the value ends at "&"
    if query:
        stop = query.start()
    while stop > start and text[stop - 1] in ".,;:'\"`":
        stop -= 1
    while stop > start and text[stop - 1] in "([{<":
        stop -= 1
    for opener, closer in ("()", "[]", "{}", "<>"):
        if stop > start and text[stop - 1] == closer and text.count(opener, start, stop) < text.count(closer, start, stop):
            stop -= 1
        if stop > start and text[start] == opener and text.count(closer, start, stop) < text.count(opener, start, stop):
            start += 1
    if stop > start + 1 and text[start] == "(" and text[stop - 1] == ")":
        start, stop = start + 1, stop - 1
    return (start, stop, False) if stop > start else None


def _continues_as_prose(text: str, stop: int) -> bool:
    """A plain word followed by more words or by Japanese ("password: changed back",
    "PW: adminと同じ") is a sentence, not a password."""
    return bool(_PROSE_CONTINUES.match(text, stop))


def _acceptable(value: str, *, strong: bool, lenient: bool) -> bool:
    """Whether ``value`` can be a secret. ``lenient``: a password after an explicit
    separator, which may be any word; otherwise it must look made up."""
    # _JAPANESE holds no ASCII character: an ASCII value (most) needs no compiled class.
    if len(value) < (4 if strong else 6) or len(value) > 200 or (not value.isascii() and _JAPANESE.search(value)):
        return False
    folded = value.casefold()
    if folded in _STOP_WORDS or folded.strip("()[]") in _STOP_WORDS:
        return False
    for pattern in (_PLACEHOLDER, _DATE_OR_NUMBER, _URL_OR_PATH, _EMAIL, _HOST, _VERSION, _FILE_NAME, _CIPHER):
        if pattern.fullmatch(value):
            return False
    if lenient:
        return True
    return _looks_made_up(value) and not _REFERENCE.fullmatch(value)


def _looks_made_up(value: str) -> bool:
    """Letters with digits or symbols, as passwords and keys are; not a plain or
    CamelCase word (WordPress, MySQL, cPanel)."""
    has_lower = any(c.islower() for c in value)
    has_upper = any(c.isupper() for c in value)
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() and c not in ".-_/" for c in value)
    has_letter = has_lower or has_upper
    if _ENGLISH_WORD.fullmatch(value):  # software's, customer's, don't: prose, not a password
        return False
    return has_letter and (has_digit or has_symbol)


_ENGLISH_WORD = lazy_compile(r"[A-Za-z]+(?:'(?:s|t|re|ve|ll|d|m))?[,.;:)]*")


def _refined(text: str, start: int, stop: int, kind: str, *, label: str = "") -> SecretMatch:
    """A password or secret whose value has a PayPal or vendor shape is reported as that
    (a 16-character PayPal API password only where "API" stands before it or in the label)."""
    value = text[start:stop]
    if _PAYPAL_SIGNATURE.fullmatch(value) and _is_paypal_signature(value):
        kind = "paypal-api-signature"
    elif _PAYPAL_PASSWORD.fullmatch(value) and (_API.search(label) or _API.search(text, max(0, start - 80), start)):
        kind = "paypal-api-password"
    elif _PAYPAL_USERNAME.fullmatch(value):
        kind = "paypal-api-username"
    elif _CLOUD_KEY.fullmatch(value):
        kind = "cloud-key"
    return SecretMatch(start, stop, kind)


# --- values under a key ---------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def _label_kind(label: str | None) -> str | None:
    """``password`` or ``secret`` when the key names a credential (``ftp_pw``,
    ``パスワード``, ``api_key``...): the key must end with the credential word, so that
    ``api_signature_removed`` or ``credentials_secured`` are not credentials."""
    if not label:
        return None
    if _PASSWORD_LABEL.fullmatch(label):
        return "password"
    if _SECRET_LABEL.fullmatch(label):
        return "secret"
    return None


def _labelled_value(text: str, kind: str, label: str) -> list[SecretMatch]:
    """Under a credential-like key, the value's first word is that credential."""
    position = len(text) - len(text.lstrip())
    span = _value_at(text, position)
    if span is None:
        return []
    start, stop, quoted = span
    value = text[start:stop]
    lenient = kind == "password"
    if not _acceptable(value, strong=True, lenient=lenient):
        return []
    if lenient and not quoted and value.isalpha() and _continues_as_prose(text, stop):
        return []
    return [_refined(text, start, stop, kind, label=label)]


# --- the PayPal shapes ----------------------------------------------------------------------

def _is_paypal_signature(value: str) -> bool:
    """Mixed case and digits, as PayPal's signatures are (hex hashes have no capitals)."""
    return (any(c.isupper() for c in value) and any(c.islower() for c in value)
            and sum(c.isdigit() for c in value) >= 2)


def _paypal_passwords(text: str, *, from_label: bool = False) -> list[SecretMatch]:
    """16 capitals and digits near "API" or a password word (or anywhere under a key such
    as ``api_password``): a PayPal API password."""
    found: list[SecretMatch] = []
    for match in _PAYPAL_PASSWORD.finditer(text):
        value = match.group()
        if value.isdigit() or value.isalpha() or sum(c.isdigit() for c in value) < 2:
            continue
        before = text[max(0, match.start() - 80):match.start()]
        if not from_label and not _PAYPAL_PASSWORD_CONTEXT.search(before):
            continue
        if _IDENTIFIER_CONTEXT.search(before[-12:]):
            continue
        found.append(SecretMatch(match.start(), match.end(), "paypal-api-password"))
    return found


# --- URLs, logins and command lines ---------------------------------------------------------

def _url_credentials(text: str) -> list[SecretMatch]:
    """The password of ``scheme://user:password@host``, unless it is a placeholder."""
    found: list[SecretMatch] = []
    for match in _URL_CREDENTIALS.finditer(text):
        value = match.group("value")
        if _PLACEHOLDER.fullmatch(value) or value.casefold() in _STOP_WORDS:
            continue
        found.append(SecretMatch(match.start("value"), match.end("value"), "url-credentials"))
    return found


def _slash_logins(text: str) -> list[SecretMatch]:
    """``FTP: ftp.example.jp / user1 / s3cr3tPass``, ``管理画面: admin/Adm1n!2026``.

    Only on a line that speaks of a login (FTP, SSH, 管理画面, admin, DB...), with URLs and
    paths blanked out first. Three parts or more need spaces around the last slash (paths
    have none); two parts need a password that is clearly made up."""
    found: list[SecretMatch] = []
    line_start = 0
    for line in text.splitlines(keepends=True):
        if "/" in line or "／" in line:
            context = _SLASH_CONTEXT.search(line) is not None
            blanked = _URL_ANYWHERE.sub(lambda m: " " * len(m.group()), line)
            for chain in _SLASH_CHAIN.finditer(blanked):
                separators = list(_SLASH_SPLIT.finditer(chain.group()))
                last = separators[-1]
                user = _SLASH_SPLIT.split(chain.group())[-2]
                value_start = chain.start() + last.end()
                value = line[value_start:chain.end()].rstrip(".,;:、。)）")
                if _URL_OR_PATH.fullmatch(user) or _DATE_OR_NUMBER.fullmatch(user):
                    continue
                if not context:
                    # No word says "login": only `user / password` standing apart, the user
                    # a name (or an address), the password clearly made up.
                    spaced = last.group() != last.group().strip(" \t")
                    if len(separators) != 1 or not spaced or not _USER_NAME.fullmatch(user) \
                            or not _clearly_made_up(value) or not _acceptable(value, strong=False, lenient=False):
                        continue
                    if not _has_symbol(value) and not _PLAIN_USER.fullmatch(user):
                        continue  # `Windows11 / Chrome120`: two product names, no login
                    found.append(SecretMatch(line_start + value_start, line_start + value_start + len(value), "password"))
                    continue
                if len(separators) >= 2:  # host / user / password
                    spaced = last.group() != last.group().strip(" \t")
                    if not (spaced and _acceptable(value, strong=False, lenient=False)):
                        continue
                elif not (_acceptable(value, strong=False, lenient=False) and _clearly_made_up(value)):
                    continue
                found.append(SecretMatch(line_start + value_start, line_start + value_start + len(value), "password"))
        line_start += len(line)
    return found


_PLAIN_USER = lazy_compile(r"[a-z][a-z._-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?")


def _has_symbol(value: str) -> bool:
    return any(not c.isalnum() and c not in ".-_" for c in value)


def _clearly_made_up(value: str) -> bool:
    """Stricter than ``_looks_made_up``, for ``user / password`` with no host: a symbol
    with letters or digits, or eight characters or more of three classes (so that
    ``user1/user2`` or ``cgi-bin/test123`` are not taken for a login)."""
    has_symbol = any(not c.isalnum() and c not in ".-_" for c in value)
    classes = (any(c.islower() for c in value) + any(c.isupper() for c in value)
               + any(c.isdigit() for c in value) + has_symbol)
    return (len(value) >= 8 and classes >= 3) or (classes >= 2 and has_symbol)


def _command_line_passwords(text: str) -> list[SecretMatch]:
    """``mysql -pSECRET``, ``sshpass -p SECRET``, ``curl -u user:SECRET``."""
    found: list[SecretMatch] = []
    for match in _COMMAND_LINE.finditer(text):
        group = match.lastgroup or ""
        start, stop, _ = _value_at(text, match.start(group)) or (0, 0, False)
        if stop > start and _acceptable(text[start:stop], strong=True, lenient=True):
            found.append(SecretMatch(start, stop, "password"))
    return found


def _bearer_tokens(text: str) -> list[SecretMatch]:
    """``Authorization: Bearer ...`` and JSON Web Tokens (``eyJ...``)."""
    found: list[SecretMatch] = []
    for match in _BEARER.finditer(text):
        group = match.lastgroup or ""
        if group == "jwt" or _looks_made_up(match.group(group)):
            found.append(SecretMatch(match.start(group), match.end(group), "secret"))
    return found


# --- pairs, headers, PHP constants and mail accounts -----------------------------------------

# `shopadmin:Qw8#zLp2`, `support@example.jp:Hv6#qp3Zk`: a user name (or an address), a colon
# with no space, and a made-up password, standing apart from other words.
_USER_NAME = lazy_compile(r"[A-Za-z][A-Za-z0-9._+-]{1,39}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?")
_BARE_PAIR = lazy_compile(
    r"(?<![!-~])(?P<user>[A-Za-z][A-Za-z0-9._+-]{1,39}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
    r":(?P<value>[!-~]{6,128})")
# Words written `word:value` that are labels, not user names.
_LABEL_WORDS = frozenset(["error", "err", "code", "status", "tel", "fax", "phone", "mail", "mailto", "re", "fw", "fwd", "sha1", "sha256", "sha512", "md5", "hash", "http", "https", "ftp", "sftp", "ssh", "ref", "id", "no", "order", "ticket", "ver", "version", "build", "key", "value", "timeout", "note", "memo", "urn", "isbn", "doi", "tag", "type", "host", "port", "path", "file", "commit", "rev", "revision", "sha", "branch", "issue", "pr", "job", "run", "task", "line", "col", "row", "page", "date", "time", "day", "price", "amount", "total", "size", "count", "name", "title", "subject", "from", "to", "cc", "bcc", "url", "uri", "link", "license", "invoice", "case", "item", "step", "rule", "level", "mode", "state", "user", "users", "group", "role", "class", "method", "kind", "exit", "return", "ie", "chrome", "edge", "safari", "firefox", "windows", "mac", "ios", "android", "php", "mysql", "wordpress", "localhost", "lang", "charset", "encoding", "utf"])
_HEXADECIMAL = lazy_compile(r"0x[0-9a-fA-F]+|[0-9a-fA-F]{12,}")  # error codes, hashes


def _bare_pairs(text: str) -> list[SecretMatch]:
    found: list[SecretMatch] = []
    for pair in _BARE_PAIR.finditer(text):
        user, start = pair.group("user"), pair.start("value")
        stop = pair.end("value")
        while stop > start and text[stop - 1] in ".,;'\"`)]}、。":
            stop -= 1
        value = text[start:stop]
        if user.casefold() in _LABEL_WORDS or user.casefold() in _STOP_WORDS or ":" in value:
            continue
        if text[pair.end("user") + 1:pair.end("user") + 3] == "//" or _HEXADECIMAL.fullmatch(value):
            continue
        if not any(c.islower() for c in value) and not any(not c.isalnum() and c not in ".-_/" for c in value):
            continue  # ORDER:A12345, E1234: references, not passwords
        if _acceptable(value, strong=False, lenient=False):
            found.append(SecretMatch(start, stop, "password"))
    return found


# `Authorization: Basic c2hvcDAxOlRr...`: base64 of `user:password`, which is what proves it.
_BASIC = lazy_compile(r"(?<![A-Za-z])basic(?:[ \t]+auth(?:entication|orization)?)?(?:[ \t]*[:=])?[ \t]*"
                    r"(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])", re.IGNORECASE)


def _basic_authorization(text: str) -> list[SecretMatch]:
    import base64
    import binascii

    found: list[SecretMatch] = []
    for match in _BASIC.finditer(text):
        value = match.group("value")
        try:
            decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        user, colon, password = decoded.partition(":")
        if colon and user and password and decoded.isprintable():
            found.append(SecretMatch(match.start("value"), match.end("value"), "password"))
    return found


# PHP constants that hold keys and salts: `define('AUTH_KEY', '...')` (WordPress's eight
# keys and salts may hold any character but the quote, spaces included).
_PHP_DEFINE = lazy_compile(
    r"define[ \t]*\([ \t]*(?P<q1>['\"])[A-Za-z0-9_]*(?:KEY|SALT|SECRET|TOKEN|NONCE)(?P=q1)[ \t]*,[ \t]*"
    r"(?P<q>['\"])(?P<value>[^'\"\n]{8,200})(?P=q)[ \t]*\)", re.IGNORECASE)
_WORDPRESS_PLACEHOLDER = "put your unique phrase here"


def _php_defines(text: str) -> list[SecretMatch]:
    found: list[SecretMatch] = []
    for match in _PHP_DEFINE.finditer(text):
        value = match.group("value")
        if value.strip().casefold() == _WORDPRESS_PLACEHOLDER or _PLACEHOLDER.fullmatch(value) \
                or value.casefold() in _STOP_WORDS or (" " in value.strip() and not _looks_made_up(value)):
            continue
        found.append(SecretMatch(match.start("value"), match.end("value"), "secret"))
    return found


# Mail accounts: `SMTP送信: info@shop.example.jp Mq8#xk2Pa` — an address and, beside it, a
# clearly made-up word, on a line that speaks of mail.
_MAIL_CONTEXT = lazy_compile(r"smtp|pop3?|imap|mail|メール|送信|受信|認証|auth", re.IGNORECASE)
_ADDRESS_THEN_WORD = lazy_compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+[ \t]*(?:[ \t]|[/／:：,、])[ \t]*(?P<value>[!-~]{6,128})")


def _address_passwords(text: str) -> list[SecretMatch]:
    found: list[SecretMatch] = []
    for line in _lines_with_offsets(text):
        offset, content = line
        if "@" not in content or not _MAIL_CONTEXT.search(content):
            continue
        for match in _ADDRESS_THEN_WORD.finditer(content):
            start, stop = match.span("value")
            while stop > start and content[stop - 1] in ".,;'\"`)]}、。":
                stop -= 1
            value = content[start:stop]
            if _clearly_made_up(value) and _acceptable(value, strong=False, lenient=False):
                found.append(SecretMatch(offset + start, offset + stop, "password"))
    return found


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((offset, line))
        offset += len(line)
    return lines
