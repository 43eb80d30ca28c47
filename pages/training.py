"""Training (/training): our bilingual model's heads through training — a slider over its snapshots, the
loss curve, the chosen head on the user's sentence at that moment, and head metrics across training."""

import streamlit as st

from attention_core.viz.model_view import model_view_figure
from attention_core.viz.training import induction_figure, loss_figure, metric_figure
from pages.ui import compute, controls, frame, show, url
from pages.ui.i18n import t

frame.enter()

record = compute.training_record()
if record is None:
    st.info(t("training.none"))
    show.halt()
steps = [int(s) for s in record.snapshot_steps]
final = compute.snapshot_model(steps[-1]).config
st.markdown(t("training.intro", n_layers=final.n_layers, n_heads=final.n_heads, d_model=final.d_model))

heads = record.final["heads"]
phase = record.phase  # None when no induction head formed
best = heads["best_previous_token_head"]
with st.expander(t("training.findings"), expanded=True):
    st.markdown(
        t("training.findings.previous", layer=best["layer"], head=best["head"], share=best["to_previous"],
          uniform=heads["uniform_to_previous"], times=best["times_uniform"])
    )  # fmt: skip
    if phase is None:
        st.markdown(
            t("training.findings.induction", induction=max(max(row) for row in heads["induction"]),
              repeat=heads["loss_repeat"], first=heads["loss_first_copy"])
        )  # fmt: skip
    else:
        sentences = record.final.get("sentence_repeat", {})
        st.markdown(
            t("training.findings.induction_formed", layer=phase["head"][0], head=phase["head"][1],
              score=max(max(row) for row in heads["induction"]), repeat=heads["loss_repeat"],
              first=heads["loss_first_copy"],
              **{f"{lang}_{copy}": (sentences.get(lang) or {}).get(copy, float("nan"))
                 for lang in ("ko", "en") for copy in ("first", "repeat")})
        )  # fmt: skip

step = url.bound("training_step", url.Choice(tuple(steps), steps[-1]))
step = st.select_slider(t("training.step"), steps, step, key="training_step")
index = steps.index(step)
loss_at = {lang: float(losses[index]) for lang, losses in record.snapshot_loss.items()}
st.caption(t("training.step.caption", step=step, tokens=int(record.snapshot_tokens[index]), **loss_at))

legend = ("train", "ko", "en", "bigram", "unigram", "step", "loss", "phase", "score", "first", "repeat")
names = {key: t(f"training.legend.{key}") for key in legend}
band = None if phase is None else (phase["start"], phase["end"])
if phase is not None:
    st.subheader(t("training.phase"))
    st.markdown(
        t("training.phase.intro", start=phase["start"], end=phase["end"], before=phase["score_before"],
          after=phase["score_after"])
    )  # fmt: skip
    curves = induction_figure(record.probe, band, step, names, show.style())
    show.figure(curves, key="training_phase", alt=t("training.phase"))
losses = loss_figure(
    record.train_steps, record.train_loss, record.eval_steps, record.eval_loss, record.baselines, step, names,
    show.style(), phase=band,
)  # fmt: skip
st.subheader(t("training.loss"))
show.figure(losses, key="training_loss", alt=t("training.loss"))

trace = frame.computed(lambda: compute.snapshot_trace(step, controls.sentence()))
show.cap_notes(trace.tokens)
layer, head = controls.layer_and_head(final.n_layers, final.n_heads)
labels = list(trace.tokens.labels)
# One under the other, not side by side: beside the all-heads view the chosen head had 300 px at 1024 px,
# too little for the names of whole words.
st.subheader(t("training.pattern"))
title = f"{t('explorer.selected', layer=layer, head=head)} · {t('training.at_step', step=step)}"
show.patterns(
    trace.pattern[layer, head][None], labels, labels, [title], key="training_pattern",
    alt=t("training.pattern"), fraction=0.7,
)  # fmt: skip
st.subheader(t("training.all_heads"))
overview = model_view_figure(
    trace.pattern, selected=(layer, head), axis_titles=(t("explorer.head"), t("explorer.layer")),
    style=show.style(0.5),
)  # fmt: skip
show.figure(overview, key="training_heads", alt=t("training.all_heads"))

if phase is not None:
    st.subheader(t("training.copy"))
    sentence = controls.sentence()
    twice = frame.computed(lambda: compute.snapshot_trace(step, f"{sentence} {sentence}"))
    show.cap_notes(twice.tokens)
    copy_layer, copy_head = phase["head"]
    words = list(twice.tokens.labels)
    title = f"{t('explorer.selected', layer=copy_layer, head=copy_head)} · {t('training.at_step', step=step)}"
    show.patterns(
        twice.pattern[copy_layer, copy_head][None], words, words, [title], key="training_copy",
        alt=t("training.copy"), fraction=0.7,
    )  # fmt: skip
    st.caption(t("training.copy.caption", layer=copy_layer, head=copy_head))

st.subheader(t("training.metrics"))
for metric in ("to_previous", "induction", "normalized_entropy"):
    if metric not in record.head_metrics:
        continue
    baseline = record.uniform_to_previous if metric == "to_previous" else None
    curves = metric_figure(
        record.snapshot_steps, record.head_metrics[metric], step, t(f"training.metric.{metric}"),
        names["step"], baseline=baseline, baseline_name=t("training.uniform"), style=show.style(),
    )  # fmt: skip
    show.figure(curves, key=f"training_{metric}", alt=t(f"training.metric.{metric}"))
