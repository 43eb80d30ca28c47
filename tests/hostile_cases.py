"""Hostile input, generated from a few small tables: texts, numbers and paths a visitor or a script might
give the command line or the app. The tests (tests/test_hostile_*.py) combine them with the places that
take them. Curated: each entry is here because it once broke something, or breaks programs like this one.
"""

from __future__ import annotations

# Text that is not UTF-8. Python reads argv bytes that are not UTF-8 as lone surrogates U+DC80..U+DCFF
# ("surrogateescape"), so these are what main(argv) receives from a shell.
NOT_UTF8 = {
    "0xFF byte": "cat \udcff dog",
    "overlong slash": "cat \udcc0\udcaf dog",
    "truncated euro": "cat \udce2\udc82",
    "encoded surrogate": "cat \udced\udca0\udc80 dog",
    "lone high surrogate": "cat \ud800 dog",  # not from a shell, but a caller of main() can pass it
}

# Valid text that is odd: the program must either use it or refuse it in one line, never crash.
ODD_TEXT = {
    "NUL": "cat\0dog",
    "C0 controls": "a" + "".join(chr(i) for i in range(1, 32)) + "b",
    "DEL and C1": "a\x7f\x85\x9b\x9fb",
    "bidi override": "abc \u202eevil\u202c def",
    "bidi isolates": "\u2066a\u2067b\u2068c\u2069",
    "ZWJ emoji": "👩‍👩‍👧‍👦 and 🏳️‍🌈 sat",
    "combining marks": "e" + "\u0301" * 500,
    "BOM and zero widths": "\ufeff\u200b\u200c\u200d",
    "only spaces": "   ",
    "empty": "",
    "newlines": "line one\nline two\r\nthree",
    "Korean": "고양이가 매트 위에 앉았다",
    "script tag": "<script>alert(1)</script>",
    "format strings": "%s %n {0} {__class__} ${HOME}",
    "private use and noncharacter": "\ue000\uffff\U0010fffe",
}

# Every numeric flag is tried with each of these; the ones in NOT_A_NUMBER must be refused.
NUMBERS = {
    "zero": "0",
    "negative": "-1",
    "very negative": "-99999999999999999999",
    "huge": "1" + "0" * 30,
    "2**63": str(2**63),
    "5,000 digits": "9" * 5000,
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "exponent": "1e3",
    "fraction": "1.5",
    "word": "abc",
    "empty": "",
    "hex": "0x10",
    "underscores": "1_000",
    "Arabic-Indic digit": "٣",
    "superscript": "²",
    "padded": " 7 ",
}
NOT_A_NUMBER = {"nan", "inf", "-inf", "exponent", "fraction", "word", "empty", "hex"}

# Text a page shows or passes to Markdown: none of it may be read as Markdown, HTML or LaTeX.
MARKUP = {
    "html image": '<img src="http://127.0.0.1:9/i.png" onerror="alert(1)">',
    "script": "<script>document.title='owned'</script>",
    "javascript link": "[sign in](javascript:alert(1))",
    "markdown image": "![](http://127.0.0.1:9/pixel.png)",
    "markdown link": "[Click here to sign in again](http://127.0.0.1:9/login)",
    "latex href": r"$\href{http://127.0.0.1:9/x}{click}$",
    "streamlit directive": ":red[big] :material/warning:",
    "iframe": '<iframe src="http://127.0.0.1:9/"></iframe>',
}
