"""Where the project's own files are (the tokenizer, the bundled model, the app): one rule for a checkout
and for an installed package.

In a checkout they sit beside the package, at the top of the project::

    attention_core/    the package (this file is attention_core/paths.py)
    assets/            tokenizer/ko_en_19k.model, model/ko-en-lm/…
    app.py, pages/     the Streamlit app
    .streamlit/        its settings

An installed wheel has no project folder around the package, so the build copies those files *into* the
package, in the same layout, under ``attention_core/bundled/`` (pyproject.toml maps the package
``attention_core.bundled`` to the project's top folder). So:

    ROOT = attention_core/bundled   if that folder exists (an installed package)
           the package's parent     otherwise (a checkout)

and every path below is ROOT / the path in the checkout. Nothing depends on the working directory.
Plain paths, not ``importlib.resources`` handles: a wheel installs as ordinary files, and SentencePiece and
Streamlit want file names.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # …/attention_core
BUNDLED = PACKAGE / "bundled"  # only in an installed package
ROOT = BUNDLED if BUNDLED.is_dir() else PACKAGE.parent

ASSETS = ROOT / "assets"  # tokenizer/, model/<name>/
APP = ROOT / "app.py"  # what `attention-explorer` serves; pages/ is beside it
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
