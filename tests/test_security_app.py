"""The app under hostile links and folder names (issue 16), through AppTest: every bad URL value is
replaced by a valid one with a visible notice and a corrected URL, never a traceback; text a visitor or a
folder name controls reaches Markdown only escaped."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.apptest_helpers import PAGES, open_page

TINY_GPT2 = Path(__file__).resolve().parent / "fixtures" / "tiny-gpt2"
MINILM = "all-MiniLM-L6-v2"

# (parameter, hostile value, the value the page must use instead)
HOSTILE_SETTINGS = [
    ("d_k", "inf", None),
    ("d_v", "inf", None),
    ("d_k", "1e999", None),
    ("d_k", "nan", None),
    ("seed", "inf", 0),
    ("seed", "9" * 5000, 2**32 - 1),
    ("seed", "-5", 0),
    ("heads", "1000", 16),
    ("heads", "²", 4),
    ("heads", "١٢", 4),
    ("d_model", "17", 16),
    ("temperature", "nan", 1.0),
    ("temperature", "0.1234", 0.1),
    ("causal", "maybe", False),
    ("lang", "xx", "en"),
    ("img", "<script>", "png"),
]


def notices(at) -> str:
    return "\n".join(w.value for w in at.warning)


@pytest.mark.parametrize("path", list(PAGES))
@pytest.mark.parametrize(
    ("key", "value", "used"), HOSTILE_SETTINGS, ids=[f"{k}={v[:8]}" for k, v, _ in HOSTILE_SETTINGS]
)
def test_a_bad_url_value_is_corrected_with_a_notice_on_every_page(path, key, value, used):
    at = open_page(path, **{key: value})
    assert not at.exception, at.exception
    assert at.session_state[key] == used
    assert f"`{key}` = `" in notices(at), notices(at)
    shown = at.query_params.get(key)
    assert shown is None or shown == [str(used)] or shown == str(used)  # the URL says what is shown


def test_repeated_keys_use_the_last_value_and_say_so():
    at = open_page("/", heads=["3", "2"])
    assert not at.exception and at.session_state["heads"] == 2
    assert "`heads` appears `2×` in the link" in notices(at)


@pytest.mark.parametrize("path", ["/self_attention", "/multi_head"])
@pytest.mark.parametrize("layer", ["99", "²", "9" * 5000, "-1", "one"])
def test_a_layer_the_model_does_not_have_falls_back_to_a_real_one_with_a_notice(path, layer):
    """Too large: the last layer; not a number: layer 0. The banner and the URL say the same layer."""
    at = open_page(path, from_model=MINILM, from_layer=layer, sentence="The cat sat.")
    assert not at.exception, at.exception
    assert "`from_layer` = `" in notices(at)
    shown = 5 if layer.isdecimal() and layer.isascii() else 0
    assert f"layer {shown} of" in " ".join(i.value for i in at.info)  # the banner names the layer shown
    assert at.query_params.get("from_layer") in ((None,) if shown == 0 else (str(shown), [str(shown)]))


def test_a_choice_of_another_model_is_corrected_when_the_model_changes():
    at = open_page("/model_explorer", model=MINILM, layer="5", head="11", sentence="The cat sat.")
    assert (at.session_state["layer"], at.session_state["head"]) == (5, 11)
    at.selectbox(key="model").set_value("ko-en-lm").run()
    assert not at.exception
    assert at.session_state["layer"] in range(2) and at.session_state["head"] in range(4)
    assert "`layer` = `5`" in notices(at) and "`head` = `11`" in notices(at)


def test_hiding_special_tokens_when_every_token_is_special():
    at = open_page(
        "/model_explorer", model=MINILM, explorer_hide_special="true", sentence="[CLS] [SEP] [PAD]"
    )
    assert not at.exception, at.exception


PAYLOADS = {
    "image": "![](http://127.0.0.1:9/pixel.png)",
    "link": "[Click here to sign in again](http://127.0.0.1:9/login)",
    "latex": r"$\href{http://127.0.0.1:9/x}{click}$",
    "html": '<img src="http://127.0.0.1:9/i.png">',
    "directive": ":red[big] :material/warning:",
}


def raw_markdown(at) -> str:
    """Every Markdown source the page sent to the browser (before the browser renders it)."""
    kinds = ("markdown", "caption", "info", "warning", "error", "subheader", "title")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def unescaped(payload: str, markdown: str) -> bool:
    """True when the payload reaches the Markdown outside inline code (the app shows text values as code:
    nothing inside a code span is read as Markdown)."""
    outside_code = re.sub(r"(`+).*?\1", "", markdown)
    return payload[:2] in outside_code


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/self_attention", "from_model"),
        ("/multi_head", "from_model"),
        ("/model_explorer", "model"),
        ("/", "heads"),
        ("/", "sentence"),
        ("/attention", "source"),
        ("/self_attention", "self_query"),
        ("/training", "training_step"),
    ],
)
def test_url_text_reaches_markdown_only_escaped(payload, path, key):
    at = open_page(path, **{key: payload})
    assert not at.exception, at.exception
    assert not unescaped(payload, raw_markdown(at)), raw_markdown(at)


@pytest.fixture
def hostile_models(tmp_path, monkeypatch):
    """A models directory whose folder names are Markdown payloads (a folder name cannot hold "/")."""
    names = ["![pixel](pixel.png)", "[sign in](javascript:alert(1))", "$\\href{x}{y}$", ":red[x]"]
    for name in names:
        shutil.copytree(TINY_GPT2, tmp_path / name)
    monkeypatch.setenv("ATTENTION_EXPLORER_MODELS", str(tmp_path))
    return names


@pytest.mark.parametrize("page", ["/model_explorer", "/head_atlas", "/self_attention", "/multi_head"])
def test_model_folder_names_reach_markdown_only_escaped(hostile_models, page):
    for name in hostile_models:
        query = {"model": name} if page in ("/model_explorer", "/head_atlas") else {"from_model": name}
        at = open_page(page, sentence="The cat sat.", **query)
        assert not at.exception, at.exception
        markdown = raw_markdown(at)
        assert not unescaped(name, markdown), markdown
