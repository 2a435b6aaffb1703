/* kg page data: unpacks the JSON island's items for vis-network (edges refer to nodes,
 * relations and sources by index), styles edges by relation and status, indexes nodes and
 * adjacency, and adds the n-ary relations' nodes and half-edges (shown on request). */
(function () {
  "use strict";
  const K = window.kgText;
  const D = window.kgDetails;
  const day = (s) => (s ? String(s).slice(0, 10) : null);

  window.kgUnpack = function (data) {
    const meta = data.meta;
    const nodeItems = data.nodes;
    const edgeItems = data.edges;
    /* ---- unpack, style and index ---- */
    const relations = data.legend.relations;
    const statusStyle = new Map((data.legend.statuses || []).map((s) => [s.status, s]));
    const words = (status) => (statusStyle.has(status) ? statusStyle.get(status).label : status);
    const groupLabel = new Map(data.legend.groups.map((g) => [g.group, g.label]));
    const nodeById = new Map();
    const searchKey = new Map();
    const adjacency = new Map();
    for (const n of nodeItems) {
      if (n.full === undefined) n.full = n.label;
      n.title = K.tip(D.nodeTooltip(n, words));
      n.degree = 0;
      nodeById.set(n.id, n);
      searchKey.set(n.id, (n.full + "\u0000" + K.localName(n.id)).toLowerCase());
      adjacency.set(n.id, []);
    }
    // An edge's look follows its status at the page's date: a frozen or ended membership is
    // drawn in its status's colour and dash, and says so in its label and tooltip.
    function styleEdge(e, asOf) {
      const r = relations[e.r];
      const status = K.edgeStatus(e, asOf);
      const s = status ? statusStyle.get(status) : null;
      const colour = s && s.color ? s.color : r.color;
      e.shownStatus = status;
      e.color = { color: colour, highlight: colour, hover: colour, opacity: 0.85 };
      e.dashes = s && s.dashes ? s.dashes : r.dashes;
      e.width = s && s.color ? 2 : 1.2;
      const suffix = status && s && s.color ? " (" + s.label + ")" : "";
      if (meta.edge_labels) e.label = e.rlabel + suffix;
      e.title = K.tip(D.edgeTooltip(e, asOf, words));
    }
    edgeItems.forEach((e, i) => {
      const r = relations[e.r];
      e.id = i;
      e.from = nodeItems[e.f].id;
      e.to = nodeItems[e.t].id;
      e.rel = r.relation;
      if (e.rlabel === undefined) e.rlabel = r.label;
      if (e.s !== undefined) e.source = data.sources[e.s];
      styleEdge(e, meta.as_of ? day(meta.as_of) : null);
      adjacency.get(e.from).push(i);
      nodeById.get(e.from).degree++;
      if (e.to !== e.from) { adjacency.get(e.to).push(i); nodeById.get(e.to).degree++; }
    });
    // n-ary relations (a membership, participation or signature node, the edge's "via") are
    // drawn as the edge carrying their attributes; "show n-ary nodes" draws each as a small
    // node between two edges that carry the same attributes instead.
    const naryParents = new Set();
    for (const e of edgeItems.slice()) {
      if (!e.via || e.via === e.from || e.via === e.to) continue;
      naryParents.add(e.id);
      if (!nodeById.has(e.via)) {
        const a = nodeById.get(e.from), b = nodeById.get(e.to);
        const full = K.localName(e.via).replace(/_/g, " ");
        const n = {
          id: e.via, label: full, full, group: e.rel === "memberOf" ? "membership" : "other",
          cls: "n-ary relation (" + e.rlabel + ")", nary: true, degree: 0,
          x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2), size: 7,
        };
        if (e.source) n.source = e.source;
        n.title = K.tip(D.nodeTooltip(n, words));
        nodeItems.push(n);
        nodeById.set(n.id, n);
        searchKey.set(n.id, (full + "\u0000" + K.localName(n.id)).toLowerCase());
        adjacency.set(n.id, []);
      }
      for (const [from, to] of [[e.from, e.via], [e.via, e.to]]) {
        const half = { ...e, id: edgeItems.length, from, to, nary: true, parent: e.id };
        delete half.f; delete half.t; delete half.smooth;
        styleEdge(half, meta.as_of ? day(meta.as_of) : null);
        edgeItems.push(half);
        adjacency.get(from).push(half.id);
        adjacency.get(to).push(half.id);
        nodeById.get(from).degree++;
        nodeById.get(to).degree++;
      }
    }

    return {
      relations, statusStyle, words, groupLabel, nodeById, searchKey, adjacency,
      naryParents, styleEdge,
    };
  };
})();
