// Reports the width of the page's main column, so the figures can be laid out for it in Python: tick
// labels thinned where cells are narrow, panels per row, numbers in cells only where they fit. Rounded
// down to 20 px and debounced, so a window resize makes one rerun, not a hundred. A narrower column is
// always reported (the figures would not fit); a wider one only when it is more than GROW px wider, or a
// scroll bar that comes and goes with the page's height would make the page rerun back and forth. When
// the figures were laid out for this column, <body data-layout-settled="true"> says so (tests wait for it).
// Streamlit calls this function again, without cleaning up the last call, whenever Python sends new data:
// the last call's observer is stopped first, or it would report against the width it was told before
// (an extra rerun after every page load; a click made during it could be lost, a flaky test in CI).
const GROW = 40;
let stopLast = () => {};
export default function (component) {
  const { data, setStateValue, parentElement } = component;
  stopLast();
  const main = document.querySelector('[data-testid="stMainBlockContainer"]') || parentElement.host || parentElement;
  let timer = null;
  const measure = () => {
    const style = getComputedStyle(main);
    const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return Math.max(320, Math.floor(inner / 20) * 20);
  };
  const report = () => {
    const width = measure();
    const used = data && data.used;
    const stale = !used || width < used || width > used + GROW;
    document.body.dataset.layoutSettled = String(!stale);
    if (stale) setStateValue("width", width);
  };
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(report, 150);
  });
  observer.observe(main);
  report();
  stopLast = () => { observer.disconnect(); clearTimeout(timer); };
  return stopLast;
}
