"""Token labels for Plotly: escaping, shortening, and the margins sized for them without a browser."""

from attention_core.viz.labels import MAX_TICK_CHARS, label_margin, shorten, text_width, tick_labels


def test_labels_are_escaped_and_shortened():
    assert tick_labels(["<b>x</b>", "&"]) == ["&lt;b&gt;x&lt;/b&gt;", "&amp;"]
    long = "supercalifragilistic"
    assert shorten(long) == long[: MAX_TICK_CHARS - 1] + "…" and len(shorten(long)) == MAX_TICK_CHARS


def test_character_widths_err_on_the_wide_side():
    assert text_width("abcde", 10) == 5 * 6
    assert text_width("MWm", 10) == 3 * 9  # capitals and m, w are wider than 0.6 em
    assert text_width("고양이", 10) == 3 * 10
    assert text_width("▁…", 10) == 2 * 10  # outside ASCII: a full em
    assert text_width("😀a", 10) == 13 + 6  # colour emoji are wider than an em
    assert text_width("", 10) == 0


def test_margin_fits_the_longest_label_as_shown():
    assert label_margin(["a", "고양이"], 10) == 30 + 36
    shown = "x" * (MAX_TICK_CHARS - 1) + "…"  # how a 50-character token is shown
    assert label_margin(["x" * 50], 10) == label_margin([shown], 10) > label_margin(["x" * 13], 10)
    assert label_margin([], 10) == 36


def test_slanted_labels_need_less_room_and_labels_along_the_axis_one_line():
    labels = ["▁supercalifr"]
    straight, slanted, along = (label_margin(labels, 10, slant=a) for a in (0, 45, 90))
    assert straight > slanted > along == 36 + 12  # one 10 px line (1.2 × font size)
