"""docs/explore.ipynb runs from top to bottom on a real kernel (nbclient + ipykernel, both pinned), so it
never rots: no cell raises, the figures are in its outputs as Plotly figures, and what it prints is what
the core computes."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

import attention_core as ac

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "docs" / "explore.ipynb"
PLOTLY = "application/vnd.plotly.v1+json"  # how a Plotly figure travels in a notebook


def outputs(cell) -> list[dict]:
    return cell.get("outputs", [])


def text(cell) -> str:
    return "".join(o.get("text", "") for o in outputs(cell) if o["output_type"] == "stream")


def test_the_notebook_runs_and_shows_its_figures(tmp_path, monkeypatch):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the kernel imports attention_core from this checkout
    monkeypatch.delenv("PLOTLY_RENDERER", raising=False)  # Plotly's own choice for a Jupyter kernel
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if any cell fails

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert not [o for cell in code for o in outputs(cell) if o["output_type"] == "error"]
    figures = [o["data"][PLOTLY] for cell in code for o in outputs(cell) if PLOTLY in o.get("data", {})]
    assert len(figures) == 3  # the teaching heads, the model view, the previous-token head's layer
    heads, view, layer = (json.loads(f) if isinstance(f, str) else f for f in figures)
    assert [a["text"] for a in heads["layout"]["annotations"]] == [f"head {h}" for h in range(4)]
    assert {trace["type"] for trace in view["data"]} == {"image", "scatter"}

    m = ac.load_model("ko-en-lm")
    scores = ac.atlas_metrics(m).to_previous
    best_layer, best_head = np.unravel_index(np.argmax(scores), scores.shape)
    printed = "".join(text(cell) for cell in code)
    assert f"layer {best_layer}, head {best_head} ({scores[best_layer, best_head]:.2f})" in printed
    assert layer["layout"]["annotations"][0]["text"] == f"head {best_layer}.0"
    kl = ac.ablate(m, m.trace("나는 학교에 갔다. I went to school."), [(best_layer, best_head)]).effect
    assert f"KL = {kl:.3f} nats" in printed
    assert "same pattern / 같은 패턴: True" in printed
    assert "every row sums to 1 / 모든 행의 합은 1: True" in printed
