"""What heads do (/interventions): switch heads off (zero- or mean-ablation) and watch the output change,
rank every head by its effect, block one token from another, rollout and flow, and four attributions
side by side with what attention weights can and cannot tell."""

import numpy as np
import streamlit as st

from attention_core import predict
from attention_core.attribution import NotAvailable
from attention_core.head_ranking import ranked
from attention_core.interventions import parse_heads
from attention_core.limits import MAX_TEXT_CHARS
from attention_core.models.registry import DEFAULT_MODEL
from attention_core.tokens import InputError
from attention_core.viz.bars import token_bars
from attention_core.viz.matrices import Panel
from attention_core.viz.model_view import model_view_figure
from pages.ui import compute, controls, frame, show, url
from pages.ui.i18n import Ours, plain, t

frame.enter()

show.intro(t("effects.intro"))
name = show.model_choice(DEFAULT_MODEL)
sentence = controls.sentence()
clean = frame.computed(lambda: compute.model_trace(name, sentence))
runner, tokens = compute.model(name), clean.tokens
config, labels = runner.config, list(clean.tokens.labels)
show.cap_notes(tokens, model=name)
is_lm = predict.is_language_model(runner)
last = len(labels) - 1
if st.session_state.get("effects_position") == st.session_state.get("_effects_last", -1):
    st.session_state["effects_position"] = last  # it was the last token: it follows a new sentence's last
st.session_state["_effects_last"] = last
position = controls.token_choice(t("effects.position"), labels, "effects_position", last) if is_lm else None
views = {v: t(f"effects.view.{v}") for v in ("ablate", "rank", "knockout", "rollout", "attribution")}
view = controls.url_choice(t("effects.view"), views, "effects_view")
HEAD_NAMES = [f"{layer}.{head}" for layer in range(config.n_layers) for head in range(config.n_heads)]


def method_name(method: str) -> str:
    """An attribution method's name in this language (attention_core/attribution.py's METHODS)."""
    return t(f"effects.method.{method}")


def refused(error: InputError) -> None:
    """Work beyond a ceiling of attention_core/limits.py: say so, and what to do instead."""
    st.warning(plain(str(error)), icon=":material/block:", title=t("effects.refused"))


def show_change(result) -> None:
    """Before and after an intervention: the top-10 next tokens with Δ and the Δ log-prob of every token
    (language model), or the embedding's change and the cosine to a second sentence (encoder); then how
    much every head's pattern changed."""
    if is_lm:
        st.metric(t("effects.kl"), f"{result.effect:.4f}")
        st.caption(t("effects.top"))
        before = {p.token_id: p for p in predict.top_predictions(runner, result.before, 10)}
        after = {p.token_id: p for p in predict.top_predictions(runner, result.after, 10)}
        ids = list(before) + [i for i in after if i not in before]
        p_before, p_after = np.exp(result.before.log_probs), np.exp(result.after.log_probs)  # [d_vocab] each
        st.dataframe(
            {
                t("effects.token"): [(before.get(i) or after[i]).label for i in ids],
                t("effects.before"): [float(p_before[i]) for i in ids],
                t("effects.after"): [float(p_after[i]) for i in ids],
                t("effects.delta"): [float(p_after[i] - p_before[i]) for i in ids],
            },
            column_config={c: st.column_config.NumberColumn(format="%.4f") for c in (
                t("effects.before"), t("effects.after"), t("effects.delta"))},
            hide_index=True, key="effects_top",
        )  # fmt: skip
        delta = predict.sentence_log_probs(result.trace) - predict.sentence_log_probs(result.clean)  # [pos-1]
        series = {
            t("effects.logprob"): predict.sentence_log_probs(result.clean),
            t("effects.logprob.delta"): delta,
        }
        show.figure(
            token_bars(labels[1:], series, show.style()), key="effects_logprob", alt=t("effects.logprob")
        )
    else:
        st.metric(t("effects.cos"), f"{result.effect:.5f}")
        other = url.bound("effects_other", url.Text("A cat slept by the window."))
        other = st.text_input(t("effects.other"), other, key="effects_other")[:MAX_TEXT_CHARS]
        if other.strip():
            reference = predict.output_of_trace(
                runner, compute.model_trace(name, other)
            ).embedding  # [d_model]
            st.markdown(t("effects.cosine", before=float(predict.cosine(result.before.embedding, reference)),
                          after=float(predict.cosine(result.after.embedding, reference))))  # fmt: skip
    st.caption(t("effects.changed"))
    changed = np.abs(result.trace.pattern - result.clean.pattern)  # [layer, head, q, k]
    grid = model_view_figure(changed, selected=None, axis_titles=(t("explorer.head"), t("explorer.layer")),
                             hover=t("explorer.selected", layer=Ours("%{customdata[0]}"),
                                     head=Ours("%{customdata[1]}")), style=show.style())  # fmt: skip
    show.figure(grid, key="effects_changed", alt=t("effects.changed"))


if view == "ablate":
    given = url.bound("ablate", url.Text(""))
    try:
        heads = parse_heads(given, config.n_layers, config.n_heads) if given.strip() else ()
    except InputError as error:  # listed with the link's other corrections, at the top of the page
        url.note("ablate", given, str(error))
        heads = ()
    picked = st.multiselect(
        t("effects.heads"),
        HEAD_NAMES,
        [f"{layer}.{head}" for layer, head in heads],
        key=f"ablate_heads_{name}",
    )
    st.session_state["ablate"] = ",".join(picked)  # kept in the URL as ?ablate=2.5,4.0
    mean = url.bound("ablate_mean", url.Flag(False))
    mean = st.toggle(t("effects.mean"), mean, help=t("effects.mean.help"), key="ablate_mean")
    if not picked:
        st.info(t("effects.pick_heads"), icon=":material/touch_app:")
    else:
        chosen = parse_heads(",".join(picked), config.n_layers, config.n_heads)
        show_change(compute.ablation(name, sentence, chosen, mean, position))

elif view == "rank":
    mean = url.bound("ablate_mean", url.Flag(False))
    mean = st.toggle(t("effects.mean"), mean, help=t("effects.mean.help"), key="ablate_mean")
    effects = compute.head_effects(name, sentence, mean, position)  # [layer, head]
    st.caption(t("effects.rank.caption", measure=Ours(t("effects.kl") if is_lm else t("effects.cos"))))
    panel = Panel(effects, [str(i) for i in range(config.n_layers)], [str(i) for i in range(config.n_heads)],
                  t("effects.rank.map"), decimals=3)  # fmt: skip
    show.matrices([panel], "effects_rank_map", t("effects.rank.map"))
    order = ranked(effects)
    st.session_state["effects_ranked"] = [f"{layer}.{head}" for layer, head, _ in order]
    effect = t("effects.rank.effect")
    st.dataframe(
        {t("explorer.layer"): [row[0] for row in order], t("explorer.head"): [row[1] for row in order],
         effect: [float(row[2]) for row in order]},
        column_config={effect: st.column_config.NumberColumn(format="%.5f")}, hide_index=True,
        on_select=controls.open_ranked_head, selection_mode="single-row", key="effects_ranking",
    )  # fmt: skip

elif view == "knockout":
    left, right = st.columns(2)
    query = controls.token_choice(t("effects.knock.query"), labels, "knock_query", len(labels) - 1, left)
    key = controls.token_choice(t("effects.knock.key"), labels, "knock_key", max(len(labels) - 2, 0), right)
    scopes = {s: t(f"effects.knock.{s}") for s in ("all", "layer", "head")}
    scope = controls.url_choice(t("effects.knock.scope"), scopes, "knock_scope")
    layer, head = controls.layer_and_head(config.n_layers, config.n_heads) if scope != "all" else (None, None)
    try:
        result = compute.knockout(
            name, sentence, query, key, layer, head if scope == "head" else None, position
        )
    except InputError as error:
        refused(error)
    else:
        show_change(result)

elif view == "rollout":
    st.caption(t("effects.rollout.caption"))
    raw = clean.pattern[-1].mean(axis=0)  # [q, k]  the last layer's heads averaged
    panels, titles = [raw], [t("effects.raw")]
    try:
        rolled, flow = compute.rollout_and_flow(name, sentence)
        panels += [rolled, flow]
        titles += [t("effects.rollout"), t("effects.flow")]
    except InputError as error:
        refused(error)
    show.patterns(
        np.stack(panels), labels, labels, titles, key="effects_rollout", alt=t("effects.view.rollout")
    )

else:
    try:
        found = compute.attribution(name, sentence, position)
    except InputError as error:
        refused(error)
    else:
        target = t("effects.attr.target.lm" if is_lm else "effects.attr.target.encoder")
        st.caption(t("effects.attr.caption", target=Ours(target), value=found.value))
        series = {}
        for method, scores in found.scores.items():
            if isinstance(scores, NotAvailable):
                st.caption(t("effects.attr.missing", method=Ours(method_name(method)), reason=scores.reason))
                series[method_name(method)] = None
            else:
                top = float(np.abs(scores).max()) or 1.0
                series[method_name(method)] = np.abs(scores) / top  # [n]
        show.figure(token_bars(list(found.labels), series, show.style()), key="effects_attribution",
                    alt=t("effects.view.attribution"))  # fmt: skip
        st.caption(t("effects.attr.agreement"))
        st.dataframe(
            {t("effects.attr.pair"): [f"{method_name(a)} ↔ {method_name(b)}" for a, b in found.agreement],
             "ρ": [float(rho) for rho in found.agreement.values()]},
            column_config={"ρ": st.column_config.NumberColumn(format="%.3f")}, hide_index=True,
            key="effects_agreement",
        )  # fmt: skip
    st.markdown(t("effects.caveat"))
