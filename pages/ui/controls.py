"""The controls every page shares, drawn by app.py on every run so their values survive page switches.

Each widget is bound to the URL (``bind="query-params"``): its key is the query parameter, so a copied
link reopens the same sentence, settings and language. Page-specific widgets live in their page and are
prefixed with the page's name.
"""

from __future__ import annotations

import streamlit as st

from attention_core.config import AttentionConfig
from pages.ui.i18n import LANGUAGES, t

DEFAULT_SENTENCE = "The animal didn't cross the street because it was too tired."
EXAMPLES = (
    "The animal didn't cross the street because it was too tired.",
    "고양이가 창가에서 잠을 잤다.",
    "The cat sat on the mat, and then it slept.",
    "나는 어제 친구와 함께 도서관에 갔다.",
    "Attention is all you need — 어텐션이 전부다!",
)
D_MODEL_CHOICES = (4, 8, 12, 16, 24, 32, 48, 64, 96, 128)
DEFAULTS = AttentionConfig()


def language_switch() -> None:
    """English / 한국어, bound to ``?lang=``. Drawn first, so every string after it is translated."""
    st.sidebar.segmented_control(
        "Language / 언어",
        list(LANGUAGES),  # shown and stored in the URL as "en" / "ko"
        default="en",
        required=True,
        key="lang",
        bind="query-params",
    )


def _use_example() -> None:
    """Copy the clicked example into the sentence box, then clear the chip (callbacks run before the
    page reruns, so both changes show at once)."""
    st.session_state["sentence"] = st.session_state["examples"]
    st.session_state["examples"] = None


def sentence_box() -> str:
    """The sentence box (label "Sentence" / "문장"), with example sentences one click away."""
    sentence = st.text_input(
        t("sentence.label"),
        DEFAULT_SENTENCE,
        placeholder=t("sentence.placeholder"),
        key="sentence",
        bind="query-params",
    )
    st.pills(t("sentence.examples"), EXAMPLES, key="examples", on_change=_use_example)
    return sentence or ""


def teaching_settings(expanded: bool) -> None:
    """The teaching layer's sizes and switches, in the sidebar. Read them with :func:`teaching_config`."""
    with st.sidebar.expander(t("settings.title"), expanded=expanded):
        st.select_slider(
            t("settings.d_model"), D_MODEL_CHOICES, DEFAULTS.d_model, key="d_model", bind="query-params"
        )
        st.slider(t("settings.heads"), 1, 16, DEFAULTS.n_heads, key="heads", bind="query-params")
        st.number_input(
            t("settings.d_k"), 1, 512, None, placeholder=t("settings.auto"), key="d_k", bind="query-params"
        )
        st.number_input(
            t("settings.d_v"), 1, 512, None, placeholder=t("settings.auto"), key="d_v", bind="query-params"
        )
        st.number_input(t("settings.seed"), 0, 2**32 - 1, 0, key="seed", bind="query-params")
        st.toggle(
            t("settings.causal"), False, help=t("settings.causal.help"), key="causal", bind="query-params"
        )
        st.toggle(
            t("settings.positional"),
            True,
            help=t("settings.positional.help"),
            key="positional",
            bind="query-params",
        )
        st.slider(
            t("settings.temperature"),
            0.1,
            5.0,
            1.0,
            0.1,
            help=t("settings.temperature.help"),
            key="temperature",
            bind="query-params",
        )
        st.caption(t("settings.weights_note"))


def teaching_config() -> AttentionConfig:
    """The AttentionConfig the settings describe (raises ConfigError for impossible combinations)."""
    state = st.session_state
    return AttentionConfig(
        d_model=int(state.get("d_model", DEFAULTS.d_model)),
        n_heads=int(state.get("heads", DEFAULTS.n_heads)),
        d_k=None if state.get("d_k") is None else int(state["d_k"]),
        d_v=None if state.get("d_v") is None else int(state["d_v"]),
        seed=int(state.get("seed", 0)),
        causal=bool(state.get("causal", False)),
        positional=bool(state.get("positional", True)),
        temperature=float(state.get("temperature", 1.0)),
    )


def export_format() -> None:
    """PNG or SVG for Plotly's own camera button on every figure."""
    st.sidebar.segmented_control(
        t("settings.export"),
        ["png", "svg"],
        format_func=str.upper,
        default="png",
        required=True,
        help=t("settings.export.help"),
        key="img",
        bind="query-params",
    )


def url_choice(label: str, options: list[str], key: str, format_func) -> str:
    """A segmented control whose choice is kept in the URL by its stable option name (``?key=head``),
    not by its translated label, so a link works in either language."""
    if key not in st.session_state:
        from_url = st.query_params.get(key)
        st.session_state[key] = from_url if from_url in options else options[0]
    choice = (
        st.segmented_control(label, options, format_func=format_func, required=True, key=key) or options[0]
    )
    if choice == options[0]:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = choice
    return choice


def model_picker(names: list[str], default: str) -> str:
    """The model, by name, among those the server offers (bound to ``?model=``)."""
    return st.selectbox(
        t("model.label"),
        names,
        index=names.index(default) if default in names else 0,
        key="model",
        bind="query-params",
    )


def layer_and_head(n_layers: int, n_heads: int) -> tuple[int, int]:
    """Layer and head pickers side by side (bound to ``?layer=`` and ``?head=``)."""
    left, right = st.columns(2)
    layer = left.selectbox(t("explorer.layer"), list(range(n_layers)), key="layer", bind="query-params")
    head = right.selectbox(t("explorer.head"), list(range(n_heads)), key="head", bind="query-params")
    return int(layer or 0), int(head or 0)


def select_clicked_head() -> None:
    """A click on a thumbnail of the model view picks that layer and head (runs before the page reruns).

    Defined here, not in the page: Streamlit keeps a chart's callback for as long as the session lives,
    and a function defined in a page script would keep that run's whole page (traces, figures) alive.
    """
    points = st.session_state["explorer_model_view"]["selection"]["points"]
    if points:
        st.session_state["layer"], st.session_state["head"] = (int(v) for v in points[0]["customdata"])
