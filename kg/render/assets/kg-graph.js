/* kg interactive graph page: builds the vis Network from the JSON data island and wires the
 * controls (search, class and relation filters, "as of" slider, focus, details panel).
 * Text from the data reaches the page only through textContent, plain-text vis tooltips
 * (innerText) and validated href properties: never innerHTML. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const meta = data.meta;
  const nodeItems = data.nodes;
  const edgeItems = data.edges;
  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  // Only http(s) links leave the page; anything else is shown as text.
  function safeUrl(value) {
    if (typeof value !== "string" || !/^https?:\/\//i.test(value)) return null;
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }
  function wikidataUrl(q) {
    return typeof q === "string" && /^Q[1-9][0-9]{0,11}$/.test(q)
      ? "https://www.wikidata.org/wiki/" + q : null;
  }
  function link(text, href) {
    if (!href) return el("span", text);
    const a = el("a", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  const day = (s) => (s ? String(s).slice(0, 10) : null);

  function dateText(item) {
    if (item.date) return item.date;
    if (item.start || item.end) return (item.start || "?") + " – " + (item.end || "");
    return null;
  }
  const cut = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);
  // vis shows string tooltips with innerText; a text that looks like markup is handed over
  // as an element built with textContent instead, so no tooltip string ever holds markup.
  function tip(text) {
    if (!/[<>&]/.test(text)) return text;
    const box = document.createElement("div");
    box.textContent = text;
    return box;
  }
  // Tooltips are plain strings: vis-network shows them with innerText.
  function nodeTooltip(n) {
    const lines = [n.full];
    const head = [n.cls, dateText(n)].filter(Boolean).join(" · ");
    if (head) lines.push(head);
    if (n.kind) lines.push("kind: " + n.kind);
    if (n.wikidata) lines.push("Wikidata: " + n.wikidata);
    if (n.quote) lines.push("“" + cut(n.quote, 400) + "”");
    return lines.join("\n");
  }
  function edgeTooltip(e) {
    const lines = [e.rlabel];
    const dates = dateText(e);
    if (dates) lines.push(dates);
    if (e.source) lines.push("source: " + e.source);
    if (e.quote) lines.push("“" + cut(e.quote, 400) + "”");
    return lines.join("\n");
  }

  /* ---- unpack, style and index ---- */
  const relations = data.legend.relations;
  const groupLabel = new Map(data.legend.groups.map((g) => [g.group, g.label]));
  const nodeById = new Map();
  const searchKey = new Map();
  const adjacency = new Map();
  for (const n of nodeItems) {
    if (n.full === undefined) n.full = n.label;
    n.title = tip(nodeTooltip(n));
    nodeById.set(n.id, n);
    const local = n.id.replace(/^.*[#/]/, "");
    searchKey.set(n.id, (n.full + "\u0000" + local).toLowerCase());
    adjacency.set(n.id, []);
  }
  edgeItems.forEach((e, i) => {
    const r = relations[e.r];
    e.id = i;
    e.from = nodeItems[e.f].id;
    e.to = nodeItems[e.t].id;
    e.rel = r.relation;
    if (e.rlabel === undefined) e.rlabel = r.label;
    if (e.s !== undefined) e.source = data.sources[e.s];
    e.color = { color: r.color, highlight: r.color, hover: r.color, opacity: 0.85 };
    if (r.dashes) e.dashes = true;
    if (meta.edge_labels) e.label = e.rlabel;
    e.title = tip(edgeTooltip(e));
    adjacency.get(e.from).push(i);
    if (e.to !== e.from) adjacency.get(e.to).push(i);
  });

  /* ---- filter state ---- */
  const state = {
    groups: new Set(data.legend.groups.map((g) => g.group)),
    relations: new Set(data.legend.relations.map((r) => r.relation)),
    asOf: meta.as_of ? day(meta.as_of) : null,
    search: "",
    focus: meta.focus && nodeById.has(meta.focus) ? meta.focus : null,
    hops: meta.hops || 1,
  };
  let visible = new Set(nodeItems.map((n) => n.id));
  let matches = [];

  // The same rules as kg.views.timefilter: a fact holds from its start (inclusive) to its
  // end (exclusive); events and claims from their date on; agreements by their dates; other
  // entities always.
  const TIMED = new Set(["event", "statement", "opinion", "fact"]);
  function holds(start, end, asOf) {
    if (start && day(start) > asOf) return false;
    return !(end && day(end) <= asOf);
  }
  function nodeActive(n, asOf) {
    if (asOf === null) return true;
    if (TIMED.has(n.group)) return holds(n.start || n.date, null, asOf);
    if (n.group === "agreement") return n.status !== "neverConcluded" && holds(n.start, n.end, asOf);
    return true;
  }
  function edgeActive(e, asOf) {
    return asOf === null || holds(e.start, e.end, asOf);
  }
  function edgeUsable(e, allowed) {
    return state.relations.has(e.rel) && edgeActive(e, state.asOf) &&
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
  function computeVisible() {
    let keep = new Set();
    for (const n of nodeItems) {
      if (state.groups.has(n.group) && nodeActive(n, state.asOf)) keep.add(n.id);
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
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  network.once("afterDrawing", () => {
    window.kgFirstDraw = performance.now();
    document.body.setAttribute("data-drawn", "1");
    // vis fits node shapes, not the labels under them: leave a margin on small graphs.
    if (nodeItems.length <= 500) network.moveTo({ scale: network.getScale() * 0.9 });
  });
  network.once("stabilizationIterationsDone", () => {
    // Stop simulating once settled: the page stays still and idle until asked.
    network.setOptions({ physics: { enabled: false } });
    $("kg-physics").checked = false;
  });

  function updateStatus(note) {
    const text = "Showing " + nodeView.length + " of " + nodeItems.length + " nodes, " +
      edgeView.length + " of " + edgeItems.length + " edges" +
      (matches.length || state.search ? " · " + matches.length + " match" +
        (matches.length === 1 ? "" : "es") : "");
    $("kg-status").textContent = note ? text + " · " + note : text;
  }
  function apply(note) {
    visible = computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    updateStatus(note);
    if (matches.length) {
      network.selectNodes(matches.slice(0, 500));
      network.fit({ nodes: matches.slice(0, 500), animation: false, maxZoomLevel: 1.5 });
    } else if (state.focus !== null && visible.has(state.focus)) {
      network.selectNodes([state.focus]);
      network.fit({ nodes: Array.from(visible).slice(0, 2000), animation: false });
    }
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
  filterList($("kg-classes"), data.legend.groups, "group", (g) => {
    const s = el("span", null, "kg-swatch");
    s.style.backgroundColor = g.color;
    if (g.shape !== "dot") s.style.borderRadius = "2px";
    return s;
  }, state.groups);
  filterList($("kg-relations"), data.legend.relations, "relation", (r) => {
    const s = el("span", null, r.dashes ? "kg-line kg-dashed" : "kg-line");
    s.style.borderTopColor = r.color;
    return s;
  }, state.relations);

  let searchTimer = null;
  $("kg-search").addEventListener("input", (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.search = ev.target.value.trim(); apply(); }, 150);
  });

  // "As of" slider over the dated facts; the last position means "all dates".
  const dates = new Set();
  for (const item of nodeItems.concat(edgeItems)) {
    for (const k of ["start", "end", "date"]) if (item[k]) dates.add(day(item[k]));
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
    apply();
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
  $("kg-fit").addEventListener("click", () => network.fit({ animation: false }));

  /* ---- details panel ---- */
  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.append(el("dt", name));
    const dd = el("dd");
    dd.append(value instanceof Node ? value : document.createTextNode(String(value)));
    dl.append(dd);
  }
  function nodeButton(id) {
    const n = nodeById.get(id);
    const b = el("button", n ? n.full : id);
    b.type = "button";
    b.addEventListener("click", () => select(id));
    return b;
  }
  function select(id) {
    if (!visible.has(id)) { state.focus = id; apply(); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    showNode(id);
  }
  function closeButton() {
    const b = el("button", "×", "kg-close");
    b.type = "button";
    b.title = "Close";
    b.addEventListener("click", () => { $("kg-details").hidden = true; });
    return b;
  }
  function showNode(id) {
    const n = nodeById.get(id);
    const box = $("kg-details");
    box.replaceChildren(closeButton(), el("h2", n.full));
    const dl = el("dl");
    row(dl, "Class", n.cls || groupLabel.get(n.group));
    row(dl, "Kind", n.kind);
    row(dl, "Date", dateText(n));
    row(dl, "Words", n.characterization);
    row(dl, "IRI", link(n.id, safeUrl(n.id)));
    if (n.wikidata) row(dl, "Wikidata", link(n.wikidata, wikidataUrl(n.wikidata)));
    box.append(dl);
    if (n.quote) box.append(el("blockquote", n.quote));
    const focus = el("button", "Focus on its neighbourhood");
    focus.type = "button";
    focus.addEventListener("click", () => focusOn(id));
    box.append(focus);
    const list = el("ul");
    for (const i of (adjacency.get(id) || []).slice(0, 60)) {
      const e = edgeItems[i];
      const li = el("li");
      const out = e.from === id;
      li.append(document.createTextNode(out ? e.rlabel + " → " : "← " + e.rlabel + " · "));
      li.append(nodeButton(out ? e.to : e.from));
      list.append(li);
    }
    if (list.childElementCount) box.append(el("h3", "Relations"), list);
    box.hidden = false;
  }
  function showEdge(i) {
    const e = edges.get(i);
    const box = $("kg-details");
    box.replaceChildren(closeButton(), el("h2", e.rlabel));
    const dl = el("dl");
    row(dl, "From", nodeButton(e.from));
    row(dl, "To", nodeButton(e.to));
    row(dl, "Date", dateText(e));
    if (e.source) row(dl, "Source", link(e.source, safeUrl(e.source)));
    if (e.via) row(dl, "Via", nodeById.has(e.via) ? nodeButton(e.via) : e.via);
    box.append(dl);
    if (e.quote) box.append(el("blockquote", e.quote));
    box.hidden = false;
  }
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  window.kg = { state, apply, nodes, edges, nodeView, edgeView, focusOn, select, resolve };
  updateStatus();
  if (state.focus !== null) network.selectNodes([state.focus]);
})();
