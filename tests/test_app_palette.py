"""AppTest: the colour-blind-safe palette reaches every kind of figure, and is kept in the URL."""

from tests.apptest_helpers import figure, heatmaps, open_page

CIVIDIS_LIGHT, BLUES_LIGHT = "rgb(254,232,56)", "rgb(247,251,255)"  # the colour of weight 0 in each scale


def weight_scale(fig: dict) -> list:
    return fig["layout"]["coloraxis"]["colorscale"]


def test_weights_are_drawn_in_cividis_with_the_colour_blind_palette():
    assert weight_scale(figure(open_page("/"), "overview_heads"))[0][1] == BLUES_LIGHT
    at = open_page("/", palette="colourblind")
    assert not at.exception
    assert weight_scale(figure(at, "overview_heads"))[0][1] == CIVIDIS_LIGHT


def test_signed_values_are_blue_to_orange_with_the_colour_blind_palette():
    at = open_page("/self_attention", palette="colourblind", step="2")
    scale = heatmaps(figure(at, "self_qkv"))[0]["colorscale"]
    assert scale[0][1] == "rgb(33,102,172)" and scale[-1][1] == "rgb(179,88,6)"  # blue − … + orange


def test_role_map_and_training_lines_use_okabe_ito():
    at = open_page("/training", palette="colourblind")
    assert not at.exception
    colours = {trace.get("line", {}).get("color") for trace in figure(at, "training_loss")["data"]}
    assert "#0072B2" in colours  # Okabe–Ito blue: the first language line


def test_palette_is_kept_in_the_url():
    at = open_page("/", palette="colourblind")
    at.segmented_control(key="palette").set_value("standard").run()
    assert weight_scale(figure(at, "overview_heads"))[0][1] == BLUES_LIGHT
    assert "palette" not in at.query_params
