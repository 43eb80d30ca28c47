// Every piece of text Plotly drew, per chart: its rendered box (rotation included: the box of the turned
// text), its font size and what kind of text it is. Used by test_legibility_browser.py.
() => {
  const charts = [...document.querySelectorAll(".js-plotly-plot")];
  return charts.map((chart, index) => {
    const key = [...(chart.closest("[class*='st-key-']")?.classList || [])]
      .find((c) => c.startsWith("st-key-")) || `chart-${index}`;
    const texts = [...chart.querySelectorAll("svg text")]
      .filter((t) => t.textContent.trim() !== "")
      .filter((t) => {
        const style = getComputedStyle(t);
        return style.display !== "none" && style.visibility !== "hidden" && Number(style.opacity) > 0;
      })
      .map((t) => {
        const box = t.getBoundingClientRect();
        const group = t.closest("g[class]");
        return {
          text: t.textContent.slice(0, 40),
          kind: t.getAttribute("class") || (group ? group.getAttribute("class") : ""),
          size: parseFloat(getComputedStyle(t).fontSize),
          left: box.left, top: box.top, right: box.right, bottom: box.bottom,
        };
      })
      .filter((t) => t.right - t.left > 0 && t.bottom - t.top > 0);
    const frame = chart.getBoundingClientRect();
    return { key, texts, frame: { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom } };
  });
}
