"""Every page under hostile links (issue 14), through AppTest. Each case opens one view of a page (the
overview, the interventions' knockout view, the atlas over a text, …) with *every* URL parameter the app
knows set to one hostile value at once, then checks each parameter the page read:

- no exception, no traceback on the page;
- the value the page uses is valid for the parameter (pages/ui/url.py's spec);
- when that differs from what the link said, a visible notice names the parameter;
- the URL is rewritten to a valid value (or left out);
- text reaches Markdown only escaped.
"""

from __future__ import annotations

import re

import pytest

from pages.ui import url
from tests.apptest_helpers import open_page
from tests.hostile_cases import MARKUP
from tests.test_security_app import raw_markdown

# Every query parameter a link may carry (pages/ui/controls.py, the pages, pages/ui/compute.py).
PARAMETERS = (
    "lang", "present", "step", "palette", "img", "d_model", "heads", "d_k", "d_v", "seed", "causal",
    "positional", "temperature", "model", "from_model", "from_layer", "layer", "head", "self_head",
    "self_query", "attention_head", "multi_qkv_head", "explorer_hide_special", "explorer_view",
    "effects_view", "effects_position", "knock_query", "knock_key", "knock_scope", "ablate", "ablate_mean",
    "atlas_scope", "training_step",
)  # fmt: skip
TEXTS = ("sentence", "sentence2", "source", "effects_other")  # free text: kept, shown escaped

# The views of each page: the parameters that open it (they are not made hostile in that case).
VIEWS = {
    "/": [{}, {"present": "1"}],
    "/lesson": [{}],
    "/attention": [{}, {"present": "1"}],
    "/self_attention": [{}, {"from_model": "ko-en-lm"}],
    "/multi_head": [{}],
    "/model_explorer": [{"explorer_view": v} for v in ("model", "head", "neuron", "compare")],
    "/interventions": [{"effects_view": v} for v in ("ablate", "rank", "knockout", "rollout", "attribution")],
    "/head_atlas": [{"atlas_scope": s} for s in ("sentence", "builtin", "text")],
    "/training": [{}],
}

VALUES = {
    "inf": "inf",
    "nan": "nan",
    "1e999": "1e999",
    "negative": "-1",
    "5,000 digits": "9" * 5000,
    "fullwidth digit": "３",
    "script": "<script>alert(1)</script>",
    "path": "../../../etc/passwd",
    "repeated": ["1", "99"],
}

CASES = [
    pytest.param(path, view, name, id=f"{path}{'?' + '&'.join(view) if view else ''}-{name}")
    for path, views in VIEWS.items()
    for view in views
    for name in VALUES
]


def unescaped(payload: str, markdown: str) -> bool:
    """True when the start of ``payload`` reaches the Markdown outside inline code (where it would be read
    as Markdown; ten characters, so that "[CLS]" in the page's own text is not mistaken for a link)."""
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    return payload[:10] in outside_code


def notices(at) -> str:
    return "\n".join(w.value for w in at.warning)


def check_parameter(at, key: str, spec: url.Spec, given: str | list[str], view: dict) -> None:
    """The value in use is valid; a notice names ``key`` when it is not what the link said; the URL holds
    a valid value or nothing."""
    if isinstance(spec, url.Text):
        return
    last = given[-1] if isinstance(given, list) else given
    if key in at.session_state:
        used = at.session_state[key]
        spec.check(used)  # raises BadValue if the page went on with an invalid value
        if spec.text(used) != last or isinstance(given, list):
            assert f"`{key}`" in notices(at), (key, given, used, notices(at))
    elif key == "from_model" or (key == "from_layer" and "from_model" in view):  # read without a widget
        assert f"`{key}`" in notices(at), (key, notices(at))  # (without a model, no layer is read)
    shown = at.query_params.get(key)
    if shown is not None:
        spec.parse(shown[-1] if isinstance(shown, list) else shown)


@pytest.mark.parametrize(("path", "view", "name"), CASES)
def test_every_parameter_at_a_hostile_value(path, view, name):
    value = VALUES[name]
    query = {key: value for key in PARAMETERS if key not in view} | view
    at = open_page(path, **query)
    assert not at.exception, at.exception
    assert not any("Traceback" in e.value for e in at.error)
    bound = at.session_state["_url"]["specs"]
    assert bound, "the page bound no parameter"
    for key, spec in bound.items():
        if key in query and key not in view:
            check_parameter(at, key, spec, value, view)


@pytest.mark.parametrize("payload", MARKUP.values(), ids=MARKUP.keys())
@pytest.mark.parametrize("path", list(VIEWS))
def test_markup_in_every_text_parameter_reaches_markdown_escaped(path, payload):
    """The same markup in every parameter, free text included: shown as text or corrected, never read."""
    query = {key: payload for key in PARAMETERS + TEXTS}
    at = open_page(path, **query)
    assert not at.exception, at.exception
    markdown = raw_markdown(at)
    assert not unescaped(payload, markdown), markdown


@pytest.mark.parametrize(
    ("key", "values", "used"),
    [("temperature", ["1", "2.5"], 2.5), ("causal", ["true", "false"], False), ("d_k", ["8", ""], None)],
)
def test_a_repeated_key_names_the_value_it_uses(key, values, used):
    """The notice of a repeated key shows the last value as the page reads it (a repeated decimal once
    crashed the page: the notice formatted the raw text as a number)."""
    at = open_page("/", **{key: values})
    assert not at.exception, at.exception
    assert at.session_state[key] == used
    shown = url.Flag().text(used) if isinstance(used, bool) else "" if used is None else f"{used:g}"
    assert f"`{key}` appears `2×` in the link" in notices(at)
    assert f"`{shown}`" in notices(at) or used is None, notices(at)
