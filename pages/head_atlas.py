"""Head atlas (/head_atlas): what every head of a trained model does — metrics, roles, and all heads of a
role side by side — on the sentence, on built-in sentences, or on a text of the visitor's own."""

import streamlit as st

from attention_core.atlas import BUILTIN_SENTENCES
from attention_core.heads import MIXED, ROLES, HeadMetrics, head_roles, metrics_table
from attention_core.limits import MAX_ATLAS_TOKENS
from attention_core.models.registry import DEFAULT_MODEL
from attention_core.text_atlas import metrics_csv
from attention_core.tokens import InputError
from attention_core.viz.roles import role_map_figure
from pages.ui import compute, controls, frame, show
from pages.ui.i18n import Ours, plain, t

frame.enter()

show.intro(t("atlas.intro"))
name = show.model_choice(DEFAULT_MODEL)
scopes = {s: t(f"atlas.scope.{s}", n=len(BUILTIN_SENTENCES)) for s in ("sentence", "builtin", "text")}
scope = controls.url_choice(t("atlas.scope"), scopes, "atlas_scope")
sentence = controls.sentence()
trace = frame.computed(lambda: compute.model_trace(name, sentence))
show.cap_notes(trace.tokens, model=name)


def own_text_metrics() -> HeadMetrics:
    """The metrics over the visitor's text (upload or paste), with a progress bar; the page stops with a
    message when there is none or it cannot be read."""
    uploaded = st.file_uploader(t("atlas.upload"), type=["txt"], key="atlas_upload")
    pasted = st.text_area(t("atlas.paste"), key="atlas_text", height=140)
    data = uploaded.getvalue() if uploaded is not None else pasted
    if not data or (isinstance(data, str) and not data.strip()):
        st.info(t("atlas.text.none"), icon=":material/upload_file:")
        show.halt()
    bar = st.progress(0.0)
    try:
        found = compute.text_metrics(
            name,
            data,
            lambda done, total: bar.progress(done / total, t("atlas.text.progress", done=done, total=total)),
        )
    except InputError as error:
        st.error(plain(str(error)))
        show.halt()
    bar.empty()
    st.caption(t("atlas.text.summary", n=found.n_sentences, tokens=found.n_tokens, cut=found.n_cut))
    if found.n_unread:
        st.warning(t("atlas.text.unread", n=found.n_sentences, unread=found.n_unread, limit=MAX_ATLAS_TOKENS))
    csv = metrics_csv(found.metrics)
    st.download_button(t("atlas.csv"), csv, file_name=f"{name}_heads.csv", mime="text/csv",
                       icon=":material/download:", key="atlas_csv", on_click="ignore")  # fmt: skip
    return found.metrics


if scope == "text":
    metrics = own_text_metrics()
else:
    metrics = frame.computed(
        lambda: (
            compute.sentence_metrics(name, sentence) if scope == "sentence" else compute.builtin_metrics(name)
        )
    )

role_order = [role.name for role in ROLES] + [MIXED]
shown_names = {role: t(f"role.{role}") for role in role_order}
roles = head_roles(metrics)  # [layer, head]

st.subheader(t("atlas.map"))
rules = Ours("; ".join(f"{shown_names[r.name]}: `{r.metric}` ≥ {r.threshold}" for r in ROLES))
st.caption(t("atlas.rules", rules=rules))
axes = (t("explorer.head"), t("explorer.layer"))
role_map = role_map_figure(roles, role_order, shown_names, axes, show.style())
show.figure(role_map, key="atlas_roles", alt=t("atlas.map"))

st.subheader(t("atlas.table"))
table = metrics_table(metrics)
for row in table:
    row["role"] = shown_names[row["role"]]
columns = {name: t(f"atlas.column.{name}") for name in table[0]}  # headers in the page's language
table = [{columns[name]: value for name, value in row.items()} for row in table]
st.dataframe(table, hide_index=True, height=420, key="atlas_table")

st.subheader(t("atlas.role_pick"))
present = [role for role in role_order if (roles == role).any()]
role = controls.labelled_choice(
    t("atlas.role_pick"), present, [shown_names[r] for r in present], "atlas_role", present[0]
)
chosen = [(int(layer), int(head)) for layer, head in zip(*(roles == role).nonzero(), strict=True)]
if not chosen:
    st.caption(t("atlas.role_none"))
else:
    st.caption(t("atlas.role_heads", n=len(chosen)))
    labels = list(trace.tokens.labels)
    heads = trace.pattern[tuple(zip(*chosen, strict=True))]  # [chosen, q, k]
    titles = [t("explorer.selected", layer=layer, head=head) for layer, head in chosen]
    show.patterns(heads, labels, labels, titles, key="atlas_role_heads", alt=t("atlas.role_pick"))
