"""How pages put things on screen: figures, downloads, tokens and messages, the same way everywhere."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from attention_core.config import ConfigError
from attention_core.export import npz_bytes
from attention_core.limits import MAX_PATTERN_NUMBERS, MAX_TEXT_CHARS
from attention_core.models.base import ModelError
from attention_core.models.own_lm import NAME as BUNDLED_MODEL
from attention_core.tokens import InputError, Tokens
from attention_core.viz.lesson_html import lesson_html
from attention_core.viz.matrices import WINDOW, Panel, matrix_panels
from attention_core.viz.patterns import IMAGE_ABOVE_TOKENS, pattern_grid
from attention_core.viz.style import PRESENTATION, Style
from pages.ui import compute, controls, width
from pages.ui.i18n import STRINGS, Ours, language, plain, t


class PageHalted(Exception):
    """Raised by :func:`halt`: the page stops here and app.py finishes the run (notices, URL)."""


def halt() -> None:
    """Stop the page after its message. (Not ``st.stop()``: after that nothing more can be drawn, and
    app.py still lists the URL corrections and writes the URL.)"""
    raise PageHalted


def intro(text: str) -> None:
    """A page's opening paragraph; in presentation mode folded away (the screen is for the step)."""
    if st.session_state.get("present"):
        with st.expander(t("present.about"), icon=":material/info:"):
            st.markdown(text)
    else:
        st.markdown(text)


def plotly_config(filename: str) -> dict:
    """Plotly's own modebar: the camera button saves PNG or SVG (sidebar setting); no Plotly logo."""
    image_format = st.session_state.get("img") or "png"
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": image_format, "filename": filename, "scale": 2},
    }


# px a figure in a column leaves free: the gap between columns (16) and a scrollbar that may appear after
# the page measured its width (~15); a figure wider than its column is squeezed and its labels collide.
COLUMN_SLACK = 32


def style(fraction: float = 1.0) -> Style:
    """The figure style for this page: the width the browser measured (times ``fraction`` for a figure
    in a column), and presentation mode's larger type when it is on."""
    fonts = PRESENTATION if st.session_state.get("present") else {}
    palette = st.session_state.get("palette") or "standard"
    return Style(
        width=int(width.page_width() * fraction) - (COLUMN_SLACK if fraction < 1 else 0),
        palette=palette,
        **fonts,
    )


def figure(fig: go.Figure, key: str, alt: str, panels: list[Panel] | None = None) -> None:
    """The figure at the size it was laid out for (never stretched: its text would move). With
    ``panels``, when the figure could not print the numbers in its cells, they follow in a table."""
    st.plotly_chart(fig, key=key, config=plotly_config(key), alt=alt, width="content")
    if panels and not (fig.layout.meta or {}).get("numbers", True):
        numbers_table(panels, key)


def patterns(
    pattern, query_labels, key_labels, titles: list[str], key: str, alt: str, fraction: float = 1.0
) -> None:
    """Heads' attention patterns [head, query_pos, key_pos] as one figure, translated and sized for the
    page (or a ``fraction`` of it)."""
    fig = pattern_grid(
        pattern, query_labels, key_labels, titles, axis_titles=(t("word.key"), t("word.query")),
        colorbar_title=t("word.attention"), style=style(fraction),
    )  # fmt: skip
    figure(fig, key=key, alt=alt)


def matrices(panels: list[Panel], key: str, alt: str) -> None:
    """Matrices side by side, sized for the page; their numbers in a table when the cells are too narrow
    to print them."""
    figure(matrix_panels(panels, style()), key=key, alt=alt, panels=panels)


def numbers_table(panels: list[Panel], key: str) -> None:
    """The numbers of ``panels`` (their first WINDOW rows and columns), one tab each, folded away."""
    with st.expander(t("numbers.title"), icon=":material/table:"):
        tabs = st.tabs([p.title.split("  ")[0] for p in panels])
        for i, (tab, panel) in enumerate(zip(tabs, panels, strict=True)):
            rows, cols = panel.values[:WINDOW, :WINDOW].shape
            table = {
                t("numbers.row"): [f"{r} · {label}" for r, label in enumerate(panel.row_labels[:rows])],
                **{f"{c} · {panel.col_labels[c]}": panel.values[:rows, c].astype(float) for c in range(cols)},
            }
            tab.dataframe(table, hide_index=True, key=f"{key}_numbers_{i}")


EXPORT_MAX_BYTES = 64 << 20  # larger traces are exported by the command line, not by the web server


def download_trace(recipe: compute.Recipe, file_name: str, key: str) -> None:
    """A download button for the trace ``recipe`` describes; the .npz is built only when someone clicks.
    Traces over EXPORT_MAX_BYTES get the command that writes them instead."""
    size = compute.export_bytes(recipe)
    if size > EXPORT_MAX_BYTES:
        st.caption(t("download.too_big", mb=size / 1e6, limit=EXPORT_MAX_BYTES / 1e6))
        return
    st.download_button(
        t("download.trace"),
        data=lambda: npz_bytes(compute.trace_arrays(recipe)),
        file_name=file_name,
        mime="application/octet-stream",
        help=t("download.help"),
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def model_choice(default: str) -> str:
    """The model picker of a model page; without any model installed, the page says so and stops."""
    names = compute.models()
    if not names:
        st.info(t("model.none"))
        halt()
    return controls.model_picker(names, default)


def download_lesson() -> None:
    """In the sidebar of every page: the guided lesson on this sentence as one HTML file that works
    offline (built only when clicked; the button keeps just the few values that say what to build)."""
    sentence, lang = controls.sentence(), language()
    name = st.session_state.get("model")
    name = name if name in compute.models() else BUNDLED_MODEL
    try:
        config = controls.teaching_config()
    except ConfigError:
        config = None  # the page itself says what is wrong with the settings
    ready = config is not None and bool(sentence.strip())
    st.sidebar.download_button(
        t("lesson.download"),
        data=lambda: lesson_html(compute.lesson(sentence, config, name), lang).encode(),
        file_name="attention_lesson.html",
        mime="text/html",
        help=t("lesson.download.help"),
        icon=":material/school:",
        disabled=not ready,
        key="lesson_download",
        on_click="ignore",
    )


def token_strip(tokens: Tokens) -> None:
    """The tokens in a row, each as it is (inline code), so the way the text was cut shows at a glance."""
    st.markdown(" ".join(plain(label) for label in tokens.labels))


def token_table(tokens: Tokens, key: str) -> None:
    """Position, readable token and id, one row per token (st.dataframe shows text exactly as text)."""
    st.dataframe(
        {
            t("word.position"): list(range(len(tokens))),
            t("word.token"): list(tokens.labels),
            t("word.id"): list(tokens.ids),
        },
        hide_index=True,
        height=min(400, 38 + 35 * len(tokens)),
        key=key,
    )


def _back_to_teaching() -> None:
    for name in ("from_model", "from_layer"):
        st.query_params.pop(name, None)


def url_notices(box, notices) -> None:
    """List what was corrected in the URL or the settings, in ``box`` at the top of the page."""
    if notices:
        lines = [
            t(f"url.{n.reason}", name=n.key, given=n.given, used=n.used or Ours(t("url.empty")))
            for n in notices
        ]
        box.warning("\n".join(f"- {line}" for line in lines), icon=":material/build:")


def real_layer_banner(model: str | None, layer: int | None) -> None:
    """When a page shows a real model's layer, say so, with the way back to the teaching layer."""
    if model is None:
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.info(t("real.banner", model=model, layer=layer), icon=":material/model_training:")
        st.button(t("real.back"), on_click=_back_to_teaching, key="real_back", icon=":material/undo:")


def explain_error(error: Exception) -> None:
    """A clear message in the current language for bad input or impossible settings."""
    if isinstance(error, ModelError):
        st.error(plain(str(error)), title=t("model.error"))
    elif isinstance(error, InputError):
        st.info(t("msg.empty"), icon=":material/edit:")
    elif isinstance(error, ConfigError) and f"msg.{error.code}" in STRINGS:
        st.error(t(f"msg.{error.code}", **error.params), title=t("msg.bad_settings"))
    else:
        st.error(plain(str(error)), title=t("msg.bad_settings"))


def cap_notes(tokens: Tokens, source: Tokens | None = None, model: str | None = None) -> None:
    """Say so when the text was longer than the character or token cap (for a ``model``: its own cap,
    and why), and when heatmaps become images."""
    n_chars = controls.text_cut()
    if n_chars is not None:
        st.warning(t("msg.chars_cut", n_total=n_chars, n=MAX_TEXT_CHARS), icon=":material/content_cut:")
    if tokens.truncated:
        note = t("msg.capped", n=len(tokens), n_total=tokens.n_total)
        if model is not None:
            c = compute.model(model).config
            note += " " + t("msg.model_cap", n=len(tokens), n_layers=c.n_layers, n_heads=c.n_heads,
                            limit=MAX_PATTERN_NUMBERS / 1e6, n_ctx=c.n_ctx)  # fmt: skip
        st.warning(note, icon=":material/content_cut:")
    if source is not None and source.truncated:
        st.warning(
            t("msg.source_capped", n=len(source), n_total=source.n_total), icon=":material/content_cut:"
        )
    if max(len(tokens), len(source or ())) > IMAGE_ABOVE_TOKENS:
        st.caption(t("msg.images", n=IMAGE_ABOVE_TOKENS))
