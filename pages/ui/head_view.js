// Head view: lines from each token (left) to the tokens it attends to (right), one colour per head.
// Hover a token to see only its lines; click it to keep that view (click again to let go).
// Click a coloured head chip to show or hide that head. Text is set with textContent: tokens stay text.
const SVG = "http://www.w3.org/2000/svg";

function element(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  parent.appendChild(node);
  return node;
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector("#head-view");
  root.replaceChildren();
  if (!data || !data.tokens) return;

  const { tokens, colors, links, heads, labels } = data;
  const rowHeight = 20, columnWidth = 150, gapWidth = 260, top = 10;
  const width = 2 * columnWidth + gapWidth;
  const height = top + tokens.length * rowHeight + 10;
  const shown = new Set(heads.map((_, h) => h));
  let focus = null, locked = null;

  const chips = document.createElement("div");
  chips.className = "chips";
  heads.forEach((name, h) => {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip on";
    chip.style.setProperty("--head-colour", colors[h]);
    chip.textContent = name;
    chip.dataset.head = String(h);
    chip.onclick = () => {
      if (shown.has(h)) shown.delete(h); else shown.add(h);
      chip.classList.toggle("on", shown.has(h));
      draw();
    };
    chips.appendChild(chip);
  });
  root.appendChild(chips);

  const status = document.createElement("div");
  status.className = "status";
  root.appendChild(status);

  const svg = element("svg", { width, height, viewBox: `0 0 ${width} ${height}` }, root);
  const lineLayer = element("g", {}, svg);
  const left = [], right = [];
  tokens.forEach((token, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const l = element("text", { x: columnWidth - 6, y, "text-anchor": "end", class: "token" }, svg);
    l.textContent = token;
    const r = element("text", { x: columnWidth + gapWidth + 6, y, class: "token" }, svg);
    r.textContent = token;
    for (const [node, side] of [[l, "query"], [r, "key"]]) {
      node.addEventListener("mouseenter", () => { if (locked === null) { focus = { side, i }; draw(); } });
      node.addEventListener("mouseleave", () => { if (locked === null) { focus = null; draw(); } });
      node.addEventListener("click", () => {
        locked = locked && locked.side === side && locked.i === i ? null : { side, i };
        focus = locked;
        draw();
      });
    }
    left.push(l);
    right.push(r);
  });

  function draw() {
    lineLayer.replaceChildren();
    for (const [h, i, j, w] of links) {
      if (!shown.has(h)) continue;
      if (focus && (focus.side === "query" ? i !== focus.i : j !== focus.i)) continue;
      element("line", {
        x1: columnWidth, y1: top + i * rowHeight + rowHeight / 2,
        x2: columnWidth + gapWidth, y2: top + j * rowHeight + rowHeight / 2,
        stroke: colors[h], "stroke-width": 2, "stroke-opacity": (w / 1000).toFixed(3),
      }, lineLayer);
    }
    left.forEach((node, i) => node.classList.toggle("focused", !!focus && focus.side === "query" && focus.i === i));
    right.forEach((node, i) => node.classList.toggle("focused", !!focus && focus.side === "key" && focus.i === i));
    status.textContent = locked ? labels.locked : labels.hint;
  }
  draw();
}
