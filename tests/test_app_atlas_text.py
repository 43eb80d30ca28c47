"""AppTest: the head atlas on a visitor's own text (pasted), with its CSV, and text it cannot read."""

import numpy as np

from attention_core.atlas import sentence_metrics
from attention_core.models.registry import load_model
from tests.apptest_helpers import open_page, texts

TEXT = "The cat sat on the mat. It was warm there!\n고양이가 창가에서 잠을 잤다. 그리고 일어났다."


def test_pasted_text_is_measured_sentence_by_sentence():
    at = open_page("/head_atlas", model="ko-en-lm", atlas_scope="text")
    assert not at.exception and at.info  # asks for a text first
    at.text_area(key="atlas_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    assert "4 sentences" in texts(at)
    model = load_model("ko-en-lm")
    sentences = [
        "The cat sat on the mat.",
        "It was warm there!",
        "고양이가 창가에서 잠을 잤다.",
        "그리고 일어났다.",
    ]
    per_sentence = [sentence_metrics(model.run(model.tokenize(s))).entropy for s in sentences]
    expected = np.mean(per_sentence, axis=0)  # [layer, head]  each sentence weighs the same
    table = at.dataframe[0].value
    entropy = next(c for c in table.columns if "ntropy" in c)
    np.testing.assert_allclose(table[entropy].to_numpy(dtype=float), expected.ravel(), atol=2e-3)
    csv = at.get("download_button")[0]
    assert csv.proto.label == "The table as CSV"


def test_text_that_is_only_spaces_asks_again():
    at = open_page("/head_atlas", model="ko-en-lm", atlas_scope="text")
    at.text_area(key="atlas_text").set_value("   \n  ").run()
    assert not at.exception and at.info
