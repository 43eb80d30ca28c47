"""The pages of the app, in one table: app.py builds the navigation from it, the overview its links, the
tests their list of URLs. A new page is a script in pages/ and a row here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    url_path: str  # "" for the overview, the page's address otherwise (shared in class: never change one)
    script: str  # its file, relative to the project
    name: str  # its key in the string table: "nav.<name>" is its title, "nav.<name>.help" its summary
    teaching: bool  # a teaching page: the teaching layer's settings are opened in the sidebar


PAGES = (
    Page("", "pages/overview.py", "overview", teaching=True),
    Page("lesson", "pages/lesson.py", "lesson", teaching=False),
    Page("attention", "pages/attention.py", "attention", teaching=True),
    Page("self_attention", "pages/self_attention.py", "self_attention", teaching=True),
    Page("multi_head", "pages/multi_head.py", "multi_head", teaching=True),
    Page("model_explorer", "pages/model_explorer.py", "model_explorer", teaching=False),
    Page("interventions", "pages/interventions.py", "interventions", teaching=False),
    Page("head_atlas", "pages/head_atlas.py", "head_atlas", teaching=False),
    Page("training", "pages/training.py", "training", teaching=False),
)
