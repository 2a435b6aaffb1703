/* kg page layouts run in the browser, where vis-network has measured every label:
 * - declutter: label-aware overlap removal (each node's box is its shape and its label, as
 *   vis draws them), moving nodes the least distance that separates the boxes;
 * - radial: a focused subgraph laid out afresh, rings by distance from the focus.
 * Both read the network's node bodies and return new positions [{id, x, y}]; the page
 * writes them into its DataSet (so a node hidden and shown again keeps its place). */
(function () {
  "use strict";

  // A node's box as vis-network drew it: its shape's bounding box joined with its label's
  // (vis's bounding box can stop short of the label's last line), valid after a draw.
  function boxOf(n) {
    const b = n.shape.boundingBox;
    const box = { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
    const s = n.labelModule && n.labelModule.size;
    if (s && s.width > 0) {
      box.left = Math.min(box.left, s.left);
      box.right = Math.max(box.right, s.left + s.width);
      box.top = Math.min(box.top, s.top);
      box.bottom = Math.max(box.bottom, s.top + s.height);
    }
    return box;
  }
  // Label boxes only (what a reader must be able to read), or null for a node without one.
  function labelBoxOf(n) {
    const s = n.labelModule && n.labelModule.size;
    if (!s || !(s.width > 0)) return null;
    return { left: s.left, right: s.left + s.width, top: s.top, bottom: s.top + s.height };
  }
  // Boxes relative to each node's position, with the node's current position.
  function boxesOf(network, ids) {
    const out = [];
    for (const id of ids) {
      const n = network.body.nodes[id];
      if (!n || !n.shape || !n.shape.boundingBox) continue;
      const b = boxOf(n);
      out.push({
        id, x: n.x, y: n.y,
        l: Math.min(b.left - n.x, -4), r: Math.max(b.right - n.x, 4),
        t: Math.min(b.top - n.y, -4), b: Math.max(b.bottom - n.y, 4),
      });
    }
    return out;
  }
  // The readability measure: how many nodes (shape and label) overlap another node's label.
  function labelOverlaps(network) {
    const ids = network.body.nodeIndices;
    const all = ids.map((id) => network.body.nodes[id]).filter((n) => n && n.shape);
    const boxes = all.map((n) => ({ id: n.id, box: boxOf(n), label: labelBoxOf(n) }));
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const bad = boxes.filter((a) => boxes.some((b) => b !== a && b.label && hit(a.box, b.label)));
    return { overlapping: bad.length, nodes: boxes.length, ids: bad.map((b) => b.id) };
  }

  // Sweep along x: only boxes whose x-ranges meet are compared, so a pass costs about
  // n log n on a spread-out layout. Each overlapping pair is pushed apart, half each, along
  // the axis where they overlap least. Returns the number of passes used.
  function separate(items, gap, maxPasses) {
    for (let pass = 0; pass < maxPasses; pass++) {
      let moved = false;
      items.sort((a, c) => a.x + a.l - (c.x + c.l));
      for (let i = 0; i < items.length; i++) {
        const a = items[i];
        for (let j = i + 1; j < items.length; j++) {
          const c = items[j];
          if (c.x + c.l >= a.x + a.r + gap) break;
          const ox = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l) + gap;
          const oy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t) + gap;
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          const dx = c.x + (c.l + c.r) / 2 - (a.x + (a.l + a.r) / 2);
          const dy = c.y + (c.t + c.b) / 2 - (a.y + (a.t + a.b) / 2);
          if (ox < oy) {
            const d = (ox / 2) * (dx < 0 ? -1 : 1);
            a.x -= d; c.x += d;
          } else {
            const d = (oy / 2) * (dy < 0 || (dy === 0 && i % 2) ? -1 : 1);
            a.y -= d; c.y += d;
          }
        }
      }
      if (!moved) return pass;
    }
    return maxPasses;
  }

  const rounded = (items) => items.map((it) => ({ id: it.id, x: Math.round(it.x), y: Math.round(it.y) }));

  function declutter(network, ids, gap) {
    const items = boxesOf(network, ids || network.body.nodeIndices);
    separate(items, gap === undefined ? 6 : gap, 400);
    return rounded(items);
  }

  // Stretch a layout along one axis to the viewport's shape, so that the fit is not held
  // back by one side while the other has room to spare.
  function stretch(network, ids, aspect) {
    const items = boxesOf(network, ids || network.body.nodeIndices);
    if (items.length < 3) return rounded(items);
    const xs = items.map((it) => it.x), ys = items.map((it) => it.y);
    const w = Math.max(...xs) - Math.min(...xs), h = Math.max(...ys) - Math.min(...ys);
    if (!(w > 0 && h > 0)) return rounded(items);
    const f = aspect / (w / h);
    for (const it of items) {
      if (f > 1) it.x *= f; else it.y /= f;
    }
    return rounded(items);
  }

  // Fit the view to the nodes' boxes (shapes and labels), which vis's own fit does not
  // fully count: the scale that shows them all with a small margin, centred.
  function fitBoxes(network, ids, width, height, maxScale) {
    let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
    for (const id of ids) {
      const n = network.body.nodes[id];
      if (!n || !n.shape || !n.shape.boundingBox) continue;
      const b = boxOf(n);
      left = Math.min(left, b.left); right = Math.max(right, b.right);
      top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
    }
    if (!(right > left)) return false;
    const scale = Math.min(maxScale, (0.97 * width) / (right - left), (0.97 * height) / (bottom - top));
    network.moveTo({ position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale, animation: false });
    return true;
  }

  // Rings by hop distance from the focus, each ring wide enough for its nodes' boxes; a
  // node sits near the angle of the neighbour it was reached from, so branches stay apart.
  function radial(network, focus, ids, adjacencyOf) {
    const keep = new Set(ids);
    const depth = new Map([[focus, 0]]);
    const parent = new Map();
    const rings = [[focus]];
    let frontier = [focus];
    while (frontier.length) {
      const next = [];
      for (const id of frontier) {
        for (const other of adjacencyOf(id)) {
          if (!keep.has(other) || depth.has(other)) continue;
          depth.set(other, depth.get(id) + 1);
          parent.set(other, id);
          next.push(other);
        }
      }
      if (next.length) rings.push(next);
      frontier = next;
    }
    const rest = ids.filter((id) => !depth.has(id));
    if (rest.length) rings.push(rest);
    const boxes = new Map(boxesOf(network, ids).map((b) => [b.id, b]));
    const width = (id) => { const b = boxes.get(id); return b ? b.r - b.l + 12 : 60; };
    const angle = new Map([[focus, 0]]);
    const pos = new Map([[focus, [0, 0]]]);
    let radius = 0;
    for (let k = 1; k < rings.length; k++) {
      const ring = rings[k].slice().sort((a, c) => (angle.get(parent.get(a)) || 0) -
        (angle.get(parent.get(c)) || 0));
      const around = ring.reduce((s, id) => s + width(id), 0);
      radius = Math.max(radius + 170, around / (2 * Math.PI));
      let at = 0;
      for (const id of ring) {
        const w = width(id);
        const theta = ((at + w / 2) / around) * 2 * Math.PI - Math.PI / 2;
        at += w;
        angle.set(id, theta);
        pos.set(id, [radius * Math.cos(theta), radius * Math.sin(theta)]);
      }
    }
    return Array.from(pos, ([id, [x, y]]) => ({ id, x: Math.round(x), y: Math.round(y) }));
  }

  window.kgLayout = { fitBoxes, stretch, boxOf, boxesOf, labelOverlaps, separate, declutter, radial };
})();
