"""The controls every page shares, drawn by app.py on every run so their values survive page switches.

Each widget's value is kept in the URL by ``pages.ui.url`` (its key is the query parameter), so a copied
link reopens the same sentence, settings and language; a bad value in a link is corrected with a notice.
Page-specific widgets live in their page and are prefixed with the page's name.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import streamlit as st

from attention_core.config import AttentionConfig
from attention_core.limits import MAX_TEXT_CHARS
from attention_core.presets import SEED_EXAMPLE
from pages.ui import url
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
MAX_HEADS_SLIDER = 16
MAX_WIDTH_BOX = 512  # d_k and d_v boxes; limits.MAX_TRACE_NUMBERS decides what a sentence can afford

# The URL parameters of the shared controls, with what each accepts (pages/ui/url.py checks them).
LANG = url.Choice(tuple(LANGUAGES), "en")
SENTENCE = url.Text(DEFAULT_SENTENCE)
SETTINGS = {
    "d_model": url.Choice(D_MODEL_CHOICES, DEFAULTS.d_model),
    "heads": url.Whole(1, MAX_HEADS_SLIDER, DEFAULTS.n_heads),
    "d_k": url.Whole(1, MAX_WIDTH_BOX, None, optional=True),
    "d_v": url.Whole(1, MAX_WIDTH_BOX, None, optional=True),
    "seed": url.Whole(0, 2**32 - 1, 0),
    "causal": url.Flag(False),
    "positional": url.Flag(True),
    "temperature": url.Decimal(0.1, 5.0, 0.1, 1.0),
}
IMAGE_FORMAT = url.Choice(("png", "svg"), "png")
PRESENT = url.Flag(False, digits=True)
PALETTE = url.Choice(("standard", "colourblind"), "standard")
HERE = Path(__file__).parent


def page_look(title: str) -> None:
    """The page's title, presentation mode (``?present=1``: no sidebar, large type, one walkthrough step
    per screen, with a way out beside the title) and the print styles."""
    present = url.bound("present", PRESENT)
    st.html(f"<style>{(HERE / 'print.css').read_text()}</style>")  # style alone: takes no room on the page
    st.sidebar.toggle(t("present.toggle"), present, help=t("present.toggle.help"), key="present")
    if not present:
        st.title(title)
        return
    st.html(f"<style>{(HERE / 'present.css').read_text()}</style>")
    with st.container(horizontal=True, vertical_alignment="center", key="present_title"):
        st.title(title, width="stretch")
        st.button(t("present.leave"), on_click=_leave_presentation, icon=":material/close_fullscreen:",
                  key="present_leave")  # fmt: skip


def _leave_presentation() -> None:
    st.session_state["present"] = False


def palette_choice() -> None:
    """Standard or colour-blind-safe colours for every figure (kept in ``?palette=``)."""
    palette = url.bound("palette", PALETTE)
    st.sidebar.segmented_control(
        t("palette.label"), list(PALETTE.options), default=palette, required=True,
        format_func=lambda p: t(f"palette.{p}"), help=t("palette.help"), key="palette",
    )  # fmt: skip


def language_switch() -> None:
    """English / 한국어, kept in ``?lang=``."""
    lang = url.bound("lang", LANG)
    st.sidebar.segmented_control(
        "Language / 언어",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        default=lang,
        required=True,
        key="lang",
    )


def _use_example() -> None:
    """Copy the clicked example into the sentence box, then clear the chip (callbacks run before the
    page reruns, so both changes show at once)."""
    st.session_state["sentence"] = st.session_state["examples"]
    st.session_state["examples"] = None


def sentence_box() -> None:
    """The sentence box (label "Sentence" / "문장"), with example sentences one click away. Read what it
    holds with :func:`sentence`."""
    text = url.bound("sentence", SENTENCE)
    st.text_input(t("sentence.label"), text, placeholder=t("sentence.placeholder"), key="sentence")
    if not st.session_state.get("present"):  # a projected screen is for the step; the examples wait
        st.pills(t("sentence.examples"), EXAMPLES, key="examples", on_change=_use_example)
    if url.too_long_for_url("sentence"):
        st.caption(t("sentence.not_in_url", n=url.MAX_URL_TEXT))


def sentence() -> str:
    """The text to compute: the sentence box, at most MAX_TEXT_CHARS characters (the page says when it
    is cut: :func:`pages.ui.show.cap_notes`)."""
    return (st.session_state.get("sentence") or "")[:MAX_TEXT_CHARS]


def text_cut() -> int | None:
    """How many characters the sentence box holds when that is more than MAX_TEXT_CHARS, else None."""
    n = len(st.session_state.get("sentence") or "")
    return n if n > MAX_TEXT_CHARS else None


def teaching_settings(expanded: bool) -> None:
    """The teaching layer's sizes and switches, in the sidebar. Read them with :func:`teaching_config`."""
    value = {key: url.bound(key, spec) for key, spec in SETTINGS.items()}
    with st.sidebar.expander(t("settings.title"), expanded=expanded):
        st.select_slider(t("settings.d_model"), D_MODEL_CHOICES, value["d_model"], key="d_model")
        st.slider(t("settings.heads"), 1, MAX_HEADS_SLIDER, value["heads"], key="heads")
        for name in ("d_k", "d_v"):
            st.number_input(
                t(f"settings.{name}"), 1, MAX_WIDTH_BOX, value[name], placeholder=t("settings.auto"),
                help=t("settings.auto.help"), key=name,
            )  # fmt: skip
        st.number_input(t("settings.seed"), 0, 2**32 - 1, value["seed"], key="seed")
        st.toggle(t("settings.causal"), value["causal"], help=t("settings.causal.help"), key="causal")
        help_text = t("settings.positional.help")
        st.toggle(t("settings.positional"), value["positional"], help=help_text, key="positional")
        help_text = t("settings.temperature.help")
        st.slider(
            t("settings.temperature"), 0.1, 5.0, value["temperature"], 0.1, help=help_text, key="temperature"
        )
        st.caption(t("settings.weights_note"))


# Each setting's widget key (its URL parameter) and the AttentionConfig field it sets.
FIELDS = {"d_model": "d_model", "heads": "n_heads", "d_k": "d_k", "d_v": "d_v", "seed": "seed",
          "causal": "causal", "positional": "positional", "temperature": "temperature"}  # fmt: skip


def teaching_config() -> AttentionConfig:
    """The AttentionConfig the settings describe (raises ConfigError for impossible combinations)."""
    values = {field: st.session_state.get(key, SETTINGS[key].default) for key, field in FIELDS.items()}
    return AttentionConfig(**values)


def export_format() -> None:
    """PNG or SVG for Plotly's own camera button on every figure."""
    image_format = url.bound("img", IMAGE_FORMAT)
    st.sidebar.segmented_control(
        t("settings.export"),
        ["png", "svg"],
        default=image_format,
        format_func=str.upper,
        required=True,
        help=t("settings.export.help"),
        key="img",
    )


def url_choice(label: str, labels: dict[str, str], key: str) -> str:
    """A segmented control over ``labels`` (option → its label in this language), whose choice is kept in
    the URL by its stable option name (``?key=head``), not by its translated label, so a link works in
    either language."""
    options = list(labels)
    value = url.bound(key, url.Choice(tuple(options), options[0]))
    choice = st.segmented_control(
        label, options, format_func=labels.get, default=value, required=True, key=key
    )
    return choice or options[0]


def model_picker(names: list[str], default: str) -> str:
    """The model, by name, among those the server offers (kept in ``?model=``)."""
    name = url.bound("model", url.Choice(tuple(names), default if default in names else names[0]))
    return st.selectbox(t("model.label"), names, names.index(name), key="model")


def layer_and_head(n_layers: int, n_heads: int) -> tuple[int, int]:
    """Layer and head pickers side by side (kept in ``?layer=`` and ``?head=``), checked against this
    model's sizes on every run: a layer of the previous model is corrected, with a notice."""
    layer = url.bound("layer", url.Choice(tuple(range(n_layers)), 0))
    head = url.bound("head", url.Choice(tuple(range(n_heads)), 0))
    left, right = st.columns(2)
    layer = left.selectbox(t("explorer.layer"), list(range(n_layers)), layer, key="layer")
    head = right.selectbox(t("explorer.head"), list(range(n_heads)), head, key="head")
    return int(layer or 0), int(head or 0)


def _shown_to_value(key: str, box: str, options: list) -> None:
    """The box of :func:`labelled_choice` changed: keep the option it shows (runs before the rerun)."""
    st.session_state[key] = options[st.session_state[box]]


def labelled_choice(label: str, options: list, labels: list[str], key: str, default, column=st):
    """A choice among ``options`` (positions, role names: what the URL keeps as ``?key=``), shown by
    ``labels`` (tokens, translated words), which may change while the option stays: another sentence,
    another language.

    The option lives in ``key``; the box that shows it is keyed by ``key`` and its labels
    (``key_<crc>``), so new labels make a new box. (A box keyed by ``key`` alone kept showing the previous
    sentence's token: Streamlit's choice box does not redraw its label while its value is unchanged.)"""
    value = url.bound(key, url.Choice(tuple(options), default))
    box = f"{key}_{zlib.crc32(chr(31).join(labels).encode()):08x}"
    column.selectbox(
        label, range(len(options)), options.index(value), format_func=labels.__getitem__, key=box,
        on_change=_shown_to_value, args=(key, box, options),
    )  # fmt: skip
    return value


def token_choice(label: str, labels: list[str], key: str, default: int = 0, column=st) -> int:
    """A token of this sentence, by position (kept in ``?key=``), shown as "3 · ▁cat". Checked against
    the sentence on every run, so a position the new sentence does not have is corrected with a notice.
    """
    n = len(labels)
    shown = [f"{i} · {token}" for i, token in enumerate(labels)]
    return int(labelled_choice(label, list(range(n)), shown, key, min(default, n - 1), column))


def load_seed_example() -> None:
    """Set the shared controls to the source text's example (runs before the page reruns; defined here,
    not in the page, for the reason given at :func:`select_clicked_head`)."""
    for name in ("from_model", "from_layer"):  # the example is on the teaching layer
        st.query_params.pop(name, None)
    st.session_state.update({key: getattr(SEED_EXAMPLE.config, field) for key, field in FIELDS.items()})
    st.session_state.update(sentence=SEED_EXAMPLE.sentence, step=3)  # step 3 of the walkthrough: concat · W_O


def reveal_answer(key: str) -> None:
    """The lesson's Reveal button for question ``key`` (defined here, not in the page: see
    :func:`select_clicked_head`)."""
    st.session_state[f"{key}_shown"] = True


def ask_again(key: str) -> None:
    """The lesson's "Ask again": hide the answer and clear the pick."""
    st.session_state[f"{key}_shown"] = False
    st.session_state[f"{key}_pick"] = None


def open_ranked_head() -> None:
    """A row picked in the ranking of /interventions: switch that head off, in the ablation view."""
    rows = st.session_state["effects_ranking"]["selection"]["rows"]
    if rows:
        head = st.session_state["effects_ranked"][rows[0]]
        st.session_state.update(ablate=head, effects_view="ablate")
        st.session_state[f"ablate_heads_{st.session_state.get('model')}"] = [head]


def select_clicked_head() -> None:
    """A click on a thumbnail of the model view picks that layer and head (runs before the page reruns).

    Defined here, not in the page: Streamlit keeps a chart's callback for as long as the session lives,
    and a function defined in a page script would keep that run's whole page (traces, figures) alive.
    """
    points = st.session_state["explorer_model_view"]["selection"]["points"]
    if points:
        st.session_state["layer"], st.session_state["head"] = (int(v) for v in points[0]["customdata"])
