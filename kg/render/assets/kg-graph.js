/* kg interactive graph page: builds the network from the JSON data island and wires the
 * controls (search, class, relation and status filters, "as of" slider, focus, details).
 * Text from the data reaches the page only through textContent, plain-text tooltips
 * (innerText) and validated href properties: never innerHTML. */
(function () {
  "use strict";
  const K = window.kgText;
  const D = window.kgDetails;
  const L = window.kgLayout;
  const el = K.el;
  const day = (s) => (s ? String(s).slice(0, 10) : null);
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const meta = data.meta;
  const nodeItems = data.nodes;
  const edgeItems = data.edges;
  const $ = (id) => document.getElementById(id);

  /* ---- unpacked, styled and indexed by kg-unpack.js ---- */
  const U = window.kgUnpack(data);
  const { relations, statusStyle, words, groupLabel, nodeById, searchKey, adjacency } = U;
  const { naryParents, styleEdge } = U;

  /* ---- filter state ---- */
  const state = {
    groups: new Set(data.legend.groups.map((g) => g.group)),
    relations: new Set(data.legend.relations.map((r) => r.relation)),
    asOf: meta.as_of ? day(meta.as_of) : null,
    search: "",
    focus: meta.focus && nodeById.has(meta.focus) ? meta.focus : null,
    hops: meta.hops || 1,
    hideOrphans: true,
    nary: false,
  };
  let visible = new Set(nodeItems.map((n) => n.id));
  let matches = [];

  // An n-ary relation shows either as its edge or as its node's two halves, never both.
  const naryOk = (e) => (e.nary ? state.nary : !(state.nary && naryParents.has(e.id)));
  function edgeUsable(e, allowed) {
    return naryOk(e) && state.relations.has(e.rel) && K.edgeHolds(e, state.asOf) &&
      allowed.has(e.from) && allowed.has(e.to);
  }
  function neighbourhood(seeds, hops, allowed) {
    const out = new Set(seeds);
    let frontier = seeds;
    for (let h = 0; h < hops && frontier.length; h++) {
      const next = [];
      for (const id of frontier) {
        for (const i of adjacency.get(id) || []) {
          const e = edgeItems[i];
          if (!edgeUsable(e, allowed)) continue;
          const other = e.from === id ? e.to : e.from;
          if (!out.has(other)) { out.add(other); next.push(other); }
        }
      }
      frontier = next;
    }
    return out;
  }
  const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  // As kg.views.timefilter.prune: what does not hold on the date goes (an obligation with
  // its agreement), and so does a node whose every edge went with the cut. With "hide nodes
  // left without edges", a node whose edges the class or relation filters hid goes too.
  function computeVisible() {
    const asOf = state.asOf;
    const timeOk = new Set();
    for (const n of nodeItems) if (K.nodeHolds(n, asOf)) timeOk.add(n.id);
    if (asOf !== null) {
      for (const e of edgeItems) {
        if (e.rel === "underAgreement" && !timeOk.has(e.to)) timeOk.delete(e.from);
      }
    }
    let keep = new Set();
    for (const n of nodeItems) {
      if ((n.nary ? state.nary : state.groups.has(n.group)) && timeOk.has(n.id)) keep.add(n.id);
    }
    const timeDegree = new Map();
    const shownDegree = new Map();
    for (const e of edgeItems) {
      if (!naryOk(e) || !timeOk.has(e.from) || !timeOk.has(e.to) || !K.edgeHolds(e, asOf)) continue;
      bump(timeDegree, e.from); bump(timeDegree, e.to);
      if (state.relations.has(e.rel) && keep.has(e.from) && keep.has(e.to)) {
        bump(shownDegree, e.from); bump(shownDegree, e.to);
      }
    }
    for (const id of Array.from(keep)) {
      if (!nodeById.get(id).degree) continue;
      if (asOf !== null && !timeDegree.get(id)) keep.delete(id);
      else if (state.hideOrphans && !shownDegree.get(id)) keep.delete(id);
    }
    if (state.focus !== null && keep.has(state.focus)) {
      keep = neighbourhood([state.focus], state.hops, keep);
    }
    matches = [];
    if (state.search) {
      const q = state.search.toLowerCase();
      for (const id of keep) {
        if (id === state.search || searchKey.get(id).includes(q)) matches.push(id);
      }
      keep = neighbourhood(matches, 1, keep);
    }
    return keep;
  }

  /* ---- the network ---- */
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);
  const nodeView = new vis.DataView(nodes, { filter: (n) => visible.has(n.id) });
  const edgeView = new vis.DataView(edges, { filter: (e) => edgeUsable(e, visible) });
  visible = computeVisible();
  nodeView.refresh();
  edgeView.refresh();
  const container = $("kg-graph");
  const Renderer = meta.renderer === "canvas" ? window.KgCanvasNetwork : vis.Network;
  const network = new Renderer(container, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;

  // One draw from now (vis measures labels while drawing: layouts need those boxes).
  const drawn = () => new Promise((resolve) => { network.once("afterDrawing", resolve); network.redraw(); });
  // vis-network re-applies a node's group style on every update that does not name the
  // node's own colour: a moved node keeps its status colour only if the update carries it.
  const setPositions = (list) => {
    if (!list.length) return;
    nodes.update(list.map((p) => {
      const n = nodeById.get(p.id);
      return n && n.color ? { ...p, color: n.color } : p;
    }));
  };
  const small = () => nodeView.length <= (meta.declutter_max || 500);
  let home = null; // positions after the first layout: the global layout, back on "Clear"
  let laidOutFocus = null;
  let laidOutNary = false;
  function fitTo(ids) {
    const list = ids ? Array.from(ids).filter((id) => visible.has(id)) : nodeView.getIds();
    if (!list.length) return;
    // Small graphs: fitted to the boxes vis drew (labels included); large: vis's own fit.
    if (small() && L.fitBoxes(network, list, container.clientWidth, container.clientHeight, 1.0)) return;
    network.fit({ nodes: list.slice(0, 20000), animation: false, maxZoomLevel: 1.3 });
  }
  const shownNeighbours = (id) => (adjacency.get(id) || []).map((i) => edgeItems[i])
    .filter((e) => edgeUsable(e, visible)).map((e) => (e.from === id ? e.to : e.from));
  async function relayout() {
    if (state.focus !== null && visible.has(state.focus)) {
      const key = state.focus + "/" + state.hops;
      if (key !== laidOutFocus && small()) {
        laidOutFocus = key;
        await drawn();
        const ids = Array.from(visible);
        setPositions(L.radial(network, state.focus, ids, shownNeighbours));
        await drawn();
        setPositions(L.declutter(network, ids, 8));
      }
    } else if (laidOutFocus !== null) {
      laidOutFocus = null;
      setPositions(home);
    }
    // n-ary nodes shown or hidden: make room for them (or take it back) without overlaps.
    if (laidOutNary !== state.nary && small() && meta.declutter) {
      laidOutNary = state.nary;
      if (!state.nary) setPositions(home.filter((p) => !nodeById.get(p.id).nary));
      else { await drawn(); setPositions(L.declutter(network, Array.from(visible), 8)); }
    }
  }
  async function settle() {
    if (meta.declutter && small()) {
      await drawn();
      // An entity page is laid out around its entity; other pages keep their layout, made
      // to the viewport's shape.
      setPositions(meta.center && visible.has(meta.center)
        ? L.radial(network, meta.center, Array.from(visible), shownNeighbours)
        : L.stretch(network, null, container.clientWidth / Math.max(1, container.clientHeight)));
      await drawn();
      setPositions(L.declutter(network, null, 8));
    }
    home = nodeItems.map((n) => {
      const p = network.body.nodes[n.id];
      return p ? { id: n.id, x: Math.round(p.x), y: Math.round(p.y) } : { id: n.id, x: n.x, y: n.y };
    });
    await relayout();
    fitTo(state.focus !== null ? visible : null);
    await drawn();
    window.kgSettled = performance.now();
    document.body.setAttribute("data-settled", "1");
  }
  network.once("afterDrawing", () => {
    window.kgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "1");
    if (!data.options.physics.enabled) settle();
  });
  network.once("stabilizationIterationsDone", () => {
    // Stop simulating once settled: the page stays still and idle until asked.
    network.setOptions({ physics: { enabled: false } });
    $("kg-physics").checked = false;
    settle();
  });

  function updateStatus(note) {
    // Totals as the page holds them in the current mode (n-ary nodes shown or not).
    const naryNodes = nodeItems.filter((n) => n.nary).length;
    const halves = 2 * naryParents.size;
    const allNodes = nodeItems.length - (state.nary ? 0 : naryNodes);
    const allEdges = edgeItems.length - (state.nary ? naryParents.size : halves);
    const text = "Showing " + nodeView.length + " of " + allNodes + " nodes, " +
      edgeView.length + " of " + allEdges + " edges" +
      (matches.length || state.search ? " · " + matches.length + " match" +
        (matches.length === 1 ? "" : "es") : "");
    $("kg-status").textContent = note ? text + " · " + note : text;
  }
  let applying = Promise.resolve();
  function apply(note) {
    visible = computeVisible();
    const restyled = [];
    for (const e of edgeItems) {
      if (e.status && K.edgeStatus(e, state.asOf) !== e.shownStatus) {
        styleEdge(e, state.asOf);
        restyled.push(e);
      }
    }
    if (restyled.length) edges.update(restyled);
    nodeView.refresh();
    edgeView.refresh();
    updateStatus(note);
    if (matches.length) network.selectNodes(matches.slice(0, 500));
    else if (state.focus !== null && visible.has(state.focus)) network.selectNodes([state.focus]);
    // Layout and fit wait for the one before: every change ends with the view re-fitted.
    applying = applying.then(async () => {
      await relayout();
      fitTo(matches.length ? neighbourhood(matches, 1, visible) : visible);
      window.kgFitted = (window.kgFitted || 0) + 1;
    });
    return applying;
  }

  /* ---- controls ---- */
  function filterList(box, items, key, swatchFor, chosen) {
    const bar = el("div");
    const all = el("button", "all", "kg-all");
    const none = el("button", "none", "kg-all");
    all.type = none.type = "button";
    bar.append(all, none);
    box.append(bar);
    const boxes = [];
    for (const item of items) {
      const row = el("label", null, "kg-row");
      const check = el("input");
      check.type = "checkbox";
      check.checked = true;
      check.value = item[key];
      check.addEventListener("change", () => {
        if (check.checked) chosen.add(item[key]); else chosen.delete(item[key]);
        apply();
      });
      row.append(check, swatchFor(item), el("span", item.label), el("span", item.count, "kg-count"));
      box.append(row);
      boxes.push(check);
    }
    const setAll = (on) => {
      for (const check of boxes) {
        check.checked = on;
        if (on) chosen.add(check.value); else chosen.delete(check.value);
      }
      apply();
    };
    all.addEventListener("click", () => setAll(true));
    none.addEventListener("click", () => setAll(false));
  }
  function lineSwatch(colour, dashes) {
    const s = el("span", null, dashes ? "kg-line kg-dashed" : "kg-line");
    s.style.borderTopColor = colour;
    if (Array.isArray(dashes) && dashes[0] <= 3) s.style.borderTopStyle = "dotted";
    return s;
  }
  filterList($("kg-classes"), data.legend.groups, "group", (g) => {
    const s = el("span", null, "kg-swatch");
    s.style.backgroundColor = g.color;
    if (g.shape !== "dot") s.style.borderRadius = "2px";
    if (g.group === "statement" || g.group === "opinion") s.style.borderStyle = "dashed";
    return s;
  }, state.groups);
  filterList($("kg-relations"), relations, "relation", (r) => lineSwatch(r.color, r.dashes),
    state.relations);
  // The status legend: what each status looks like and how many items have it now.
  const statusBox = $("kg-statuses");
  if (!statusStyle.size) $("kg-status-legend").hidden = true;
  for (const s of statusStyle.values()) {
    const row = el("div", null, "kg-row");
    row.dataset.status = s.status;
    row.append(s.color ? lineSwatch(s.color, s.dashes) : lineSwatch("#555", false),
      el("span", s.label), el("span", s.count, "kg-count"));
    statusBox.append(row);
  }
  if (!naryParents.size) $("kg-nary-row").hidden = true;
  $("kg-nary").addEventListener("change", (ev) => {
    state.nary = ev.target.checked;
    // The n-ary nodes start between their two ends as they are drawn now.
    if (state.nary) {
      const pos = network.getPositions();
      const placed = [];
      for (const i of naryParents) {
        const e = edgeItems[i], a = pos[e.from], b = pos[e.to];
        const n = nodeById.get(e.via);
        if (n.nary && a && b) placed.push({ id: n.id, x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2) });
      }
      setPositions(placed);
    }
    laidOutNary = null;
    apply();
  });
  $("kg-orphans").checked = state.hideOrphans;
  $("kg-orphans").addEventListener("change", (ev) => { state.hideOrphans = ev.target.checked; apply(); });

  let searchTimer = null;
  $("kg-search").addEventListener("input", (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.search = ev.target.value.trim(); apply(); }, 150);
  });

  // "As of" slider over the dated facts; the last position means "all dates".
  const dates = new Set();
  for (const item of nodeItems.concat(edgeItems)) {
    for (const k of ["start", "end", "date", "status_date"]) if (item[k]) dates.add(day(item[k]));
  }
  if (state.asOf) dates.add(state.asOf);
  const dateList = Array.from(dates).sort();
  const slider = $("kg-asof");
  const sliderLabel = $("kg-asof-label");
  if (!dateList.length) {
    $("kg-time").hidden = true;
  } else {
    slider.min = 0;
    slider.max = dateList.length;
    slider.value = state.asOf ? dateList.indexOf(state.asOf) : dateList.length;
    const showDate = () => {
      const i = Number(slider.value);
      state.asOf = i >= dateList.length ? null : dateList[i];
      sliderLabel.textContent = state.asOf === null ? "all dates" : state.asOf;
    };
    showDate();
    slider.addEventListener("input", () => { showDate(); apply(); });
  }

  function resolve(text) {
    if (nodeById.has(text)) return text;
    const q = text.toLowerCase();
    for (const n of nodeItems) if (n.full.toLowerCase() === q) return n.id;
    for (const n of nodeItems) if (searchKey.get(n.id).includes(q)) return n.id;
    return null;
  }
  function focusOn(id) {
    state.focus = id;
    state.hops = Math.max(1, Math.min(10, Number($("kg-hops").value) || 1));
    $("kg-focus").value = id === null ? "" : nodeById.get(id).full;
    return apply();
  }
  $("kg-hops").value = state.hops;
  if (state.focus !== null) $("kg-focus").value = nodeById.get(state.focus).full;
  $("kg-focus-go").addEventListener("click", () => {
    const text = $("kg-focus").value.trim();
    const id = text ? resolve(text) : null;
    if (text && id === null) { updateStatus("no entity matches this focus"); return; }
    focusOn(id);
  });
  $("kg-focus-clear").addEventListener("click", () => focusOn(null));
  if (nodeItems.length <= 5000) {
    const list = $("kg-labels");
    for (const n of nodeItems) { const o = el("option"); o.value = n.full; list.append(o); }
  }
  $("kg-physics").checked = data.options.physics.enabled;
  $("kg-physics").addEventListener("change", (ev) => {
    network.setOptions({ physics: { enabled: ev.target.checked } });
  });
  $("kg-fit").addEventListener("click", () => fitTo(visible));

  /* ---- details panel ---- */
  function select(id) {
    if (!visible.has(id)) { state.focus = id; apply(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    details.showNode(id);
  }
  const details = D.panel({ nodeById, edgeItems, adjacency, groupLabel, words, state, select, focusOn });
  network.on("click", (params) => {
    if (params.nodes.length) details.showNode(params.nodes[0]);
    else if (params.edges.length) details.showEdge(edges.get(params.edges[0]));
  });

  window.kg = { state, apply, nodes, edges, nodeView, edgeView, focusOn, select, resolve, data };
  updateStatus();
  if (state.focus !== null) network.selectNodes([state.focus]);
})();
