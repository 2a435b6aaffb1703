/* kg canvas renderer for large graphs: the part of vis-network's Network interface the page
 * uses (events, fit, moveTo, focus, selection, positions, tooltips, clicks), drawn with a few
 * batched canvas calls per frame: one path per edge style and one per node colour, labels
 * only when zoomed in on a few hundred nodes; while the view moves, a large graph's frame is
 * the last still frame moved and scaled, redrawn once it stops. Measured in headless chromium with software
 * rendering (scripts/bench_render.py), a frame of 20,000 nodes takes a fraction of what
 * vis-network (one path per item) or sigma.js (WebGL on SwiftShader) need.
 * Text reaches the page only through fillText and textContent. */
(function () {
  "use strict";
  const FONT = 13;

  function KgCanvasNetwork(container, data, options) {
    this.container = container;
    this.options = options || {};
    this.groups = this.options.groups || {};
    this.handlers = new Map();
    this.view = { x: 0, y: 0, scale: 1 };
    this.selected = new Set();
    this.physics = { options: { enabled: false } };
    this.body = { data: { nodes: data.nodes, edges: data.edges }, nodes: {}, nodeIndices: [] };
    this.frame = null;
    this.dirty = true;
    const root = document.createElement("div");
    root.className = "vis-network";
    root.style.cssText = "position:relative;width:100%;height:100%;overflow:hidden";
    this.canvas = document.createElement("canvas");
    this.canvas.style.cssText = "display:block;width:100%;height:100%";
    this.tooltip = document.createElement("div");
    this.tooltip.className = "vis-tooltip";
    root.append(this.canvas, this.tooltip);
    container.append(root);
    this.ctx = this.canvas.getContext("2d");
    const mark = () => { this.dirty = true; this.redraw(); };
    for (const set of [data.nodes, data.edges]) {
      for (const ev of ["add", "remove", "update"]) set.on(ev, mark);
    }
    this._listen();
    this._resize();
    this.rebuild();
    this.fit();
  }
  const P = KgCanvasNetwork.prototype;

  /* ---- events, as vis-network's ---- */
  P.on = function (name, fn) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(fn);
  };
  P.once = function (name, fn) {
    const wrapped = (params) => { this.off(name, wrapped); fn(params); };
    this.on(name, wrapped);
  };
  P.off = function (name, fn) {
    const list = this.handlers.get(name) || [];
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  };
  P.emit = function (name, params) {
    for (const fn of (this.handlers.get(name) || []).slice()) fn(params);
  };
  P.setOptions = function () {}; // physics and the like: the canvas has none

  /* ---- the drawn items, rebuilt when the data views change ---- */
  P.rebuild = function () {
    const nodes = this.body.data.nodes.get();
    const n = nodes.length;
    this.ids = nodes.map((d) => d.id);
    this.index = new Map(this.ids.map((id, i) => [id, i]));
    this.X = new Float64Array(n);
    this.Y = new Float64Array(n);
    this.R = new Float32Array(n);
    this.items = nodes;
    const byColour = new Map();
    const ctx = this.ctx;
    ctx.font = FONT + "px system-ui, sans-serif";
    const bodies = {};
    nodes.forEach((d, i) => {
      const group = this.groups[d.group] || {};
      const colour = (d.color && d.color.background) || (group.color && group.color.background) || "#888";
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(i);
      this.X[i] = d.x || 0;
      this.Y[i] = d.y || 0;
      this.R[i] = d.size || group.size || 10;
      const old = this.body.nodes[d.id];
      bodies[d.id] = old && old.item === d ? old : this._body(d, i);
      bodies[d.id].x = this.X[i];
      bodies[d.id].y = this.Y[i];
    });
    this.body.nodes = bodies;
    this.body.nodeIndices = this.ids.slice();
    this.nodeBuckets = Array.from(byColour, ([colour, list]) => ({ colour, list: Uint32Array.from(list) }));
    const edges = this.body.data.edges.get();
    this.edgeItems = edges;
    const byStyle = new Map();
    const ends = new Int32Array(edges.length * 2);
    edges.forEach((e, k) => {
      ends[2 * k] = this.index.has(e.from) ? this.index.get(e.from) : -1;
      ends[2 * k + 1] = this.index.has(e.to) ? this.index.get(e.to) : -1;
      const colour = (e.color && e.color.color) || "#999";
      const dashes = Array.isArray(e.dashes) ? e.dashes : e.dashes ? [5, 5] : [];
      const key = colour + "|" + dashes.join(",");
      if (!byStyle.has(key)) byStyle.set(key, { colour, dashes, list: [] });
      byStyle.get(key).list.push(k);
    });
    this.ends = ends;
    this.edgeBuckets = Array.from(byStyle.values());
    this.dirty = false;
  };
  // A node body as vis keeps one: position and boxes (shape and first label line), so that
  // the page's layouts and the tests' measures read both renderers alike.
  P._body = function (d, i) {
    const r = this.R[i];
    const text = String(d.label || "").split("\n")[0];
    const width = text ? this.ctx.measureText(text).width : 0;
    const x = this.X[i], y = this.Y[i];
    const self = {
      id: d.id, item: d, x, y, options: d,
      shape: { boundingBox: null },
      labelModule: { size: null },
    };
    Object.defineProperty(self.shape, "boundingBox", {
      get: () => ({ left: self.x - r, right: self.x + r, top: self.y - r, bottom: self.y + r }),
    });
    Object.defineProperty(self.labelModule, "size", {
      get: () => (width ? { left: self.x - width / 2, top: self.y + r + 2, width, height: FONT + 2 } : null),
    });
    return self;
  };

  /* ---- the view ---- */
  P._resize = function () {
    const w = this.container.clientWidth || 300, h = this.container.clientHeight || 300;
    this.width = w; this.height = h;
    this.canvas.width = w; this.canvas.height = h;
  };
  P.getScale = function () { return this.view.scale; };
  P.getViewPosition = function () { return { x: this.view.x, y: this.view.y }; };
  // While the view moves, a frame with many edges leaves them out (as vis-network's
  // hideEdgesOnDrag/hideEdgesOnZoom do); the still frame after the move draws them all.
  const MOVING_MAX_EDGES = 4000;
  const STILL_AFTER_MS = 300;
  P.moveTo = function (o) {
    if (o.position) { this.view.x = o.position.x; this.view.y = o.position.y; }
    if (o.scale) this.view.scale = o.scale;
    this.moving = true;
    clearTimeout(this.stillTimer);
    this.stillTimer = setTimeout(() => { this.moving = false; this.redraw(); }, STILL_AFTER_MS);
    this.redraw();
  };
  P.fit = function (o) {
    if (this.dirty) this.rebuild();
    const ids = o && o.nodes ? o.nodes : this.ids;
    let l = Infinity, r = -Infinity, t = Infinity, b = -Infinity;
    for (const id of ids) {
      const i = this.index.get(id);
      if (i === undefined) continue;
      l = Math.min(l, this.X[i] - this.R[i]); r = Math.max(r, this.X[i] + this.R[i]);
      t = Math.min(t, this.Y[i] - this.R[i]); b = Math.max(b, this.Y[i] + this.R[i] + FONT);
    }
    if (!(r >= l)) return;
    const max = (o && o.maxZoomLevel) || 2;
    const scale = Math.min(max, (0.95 * this.width) / Math.max(r - l, 1), (0.95 * this.height) / Math.max(b - t, 1));
    this.moveTo({ position: { x: (l + r) / 2, y: (t + b) / 2 }, scale });
  };
  P.focus = function (id, o) {
    const i = this.index.get(id);
    if (i === undefined) return;
    this.moveTo({ position: { x: this.X[i], y: this.Y[i] }, scale: (o && o.scale) || this.view.scale });
  };
  P.getPositions = function (ids) {
    if (this.dirty) this.rebuild();
    const out = {};
    for (const id of ids === undefined ? this.ids : [].concat(ids)) {
      const i = this.index.get(id);
      if (i !== undefined) out[id] = { x: this.X[i], y: this.Y[i] };
    }
    return out;
  };
  P.moveNode = function (id, x, y) { this.body.data.nodes.getDataSet().update({ id, x, y }); };
  P.canvasToDOM = function (p) {
    return { x: (p.x - this.view.x) * this.view.scale + this.width / 2,
      y: (p.y - this.view.y) * this.view.scale + this.height / 2 };
  };
  P.DOMtoCanvas = function (p) {
    return { x: (p.x - this.width / 2) / this.view.scale + this.view.x,
      y: (p.y - this.height / 2) / this.view.scale + this.view.y };
  };
  P.selectNodes = function (ids) { this.selected = new Set(ids); this.snapshot = null; this.redraw(); };
  P.getSelectedNodes = function () { return Array.from(this.selected); };
  P.redraw = function () {
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  };

  /* ---- drawing: a handful of canvas calls per frame ---- */
  // Above this many nodes a moving frame is the last still frame, moved and scaled (as map
  // viewers do); the graph is drawn afresh once the view stops (STILL_AFTER_MS).
  const SNAPSHOT_MIN_NODES = 5000;
  P._drawSnapshot = function () {
    const snap = this.snapshot, s = this.view.scale, W = this.width, H = this.height;
    const k = s / snap.scale;
    const dx = (snap.x - W / (2 * snap.scale) - this.view.x) * s + W / 2;
    const dy = (snap.y - H / (2 * snap.scale) - this.view.y) * s + H / 2;
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.drawImage(snap.canvas, dx, dy, W * k, H * k);
    this.emit("afterDrawing", ctx);
  };
  P._takeSnapshot = function () {
    const copy = this.snapshot && this.snapshot.canvas.width === this.width
      ? this.snapshot.canvas : document.createElement("canvas");
    copy.width = this.width;
    copy.height = this.height;
    copy.getContext("2d").drawImage(this.canvas, 0, 0);
    this.snapshot = { canvas: copy, x: this.view.x, y: this.view.y, scale: this.view.scale };
  };
  P.draw = function () {
    if (this.dirty) { this.rebuild(); this.snapshot = null; }
    if (this.moving && this.snapshot && this.ids.length >= SNAPSHOT_MIN_NODES) {
      this._drawSnapshot();
      return;
    }
    const ctx = this.ctx, s = this.view.scale, W = this.width, H = this.height;
    const ox = W / 2 - this.view.x * s, oy = H / 2 - this.view.y * s;
    const X = this.X, Y = this.Y, R = this.R, ends = this.ends;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.lineWidth = 1;
    const skipEdges = this.moving && this.edgeItems.length > MOVING_MAX_EDGES;
    // Dashes cost the rasteriser dearly: only on a view of a few thousand edges.
    const dashed = (this.edgesOnScreen || 0) <= 3000;
    let edgesOnScreen = 0;
    for (const bucket of skipEdges ? [] : this.edgeBuckets) {
      ctx.beginPath();
      for (const k of bucket.list) {
        const a = ends[2 * k], b = ends[2 * k + 1];
        if (a < 0 || b < 0) continue;
        const x1 = X[a] * s + ox, y1 = Y[a] * s + oy, x2 = X[b] * s + ox, y2 = Y[b] * s + oy;
        if ((x1 < 0 && x2 < 0) || (y1 < 0 && y2 < 0) || (x1 > W && x2 > W) || (y1 > H && y2 > H)) continue;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
        edgesOnScreen++;
      }
      ctx.strokeStyle = bucket.colour;
      ctx.setLineDash(dashed ? bucket.dashes : []);
      ctx.stroke();
    }
    if (!skipEdges) this.edgesOnScreen = edgesOnScreen;
    ctx.setLineDash([]);
    let onScreen = 0;
    const drawnIds = [];
    // Nodes no larger than the room each has on screen: a dense view stays a map, not a blot.
    const room = Math.max(2, Math.sqrt((W * H) / Math.max(1, this.ids.length)) / 3);
    for (const bucket of this.nodeBuckets) {
      ctx.beginPath();
      for (const i of bucket.list) {
        const x = X[i] * s + ox, y = Y[i] * s + oy;
        const r = Math.max(1.5, Math.min(R[i] * s, 28, room));
        if (x < -r || y < -r || x > W + r || y > H + r) continue;
        ctx.rect(x - r, y - r, 2 * r, 2 * r);
        onScreen++;
        if (drawnIds.length <= 400) drawnIds.push(i);
      }
      ctx.fillStyle = bucket.colour;
      ctx.fill();
    }
    if (this.selected.size) {
      ctx.beginPath();
      for (const id of this.selected) {
        const i = this.index.get(id);
        if (i === undefined) continue;
        const r = Math.max(4, Math.min(R[i] * s, 28)) + 3;
        ctx.rect(X[i] * s + ox - r, Y[i] * s + oy - r, 2 * r, 2 * r);
      }
      ctx.strokeStyle = "#222";
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    // Labels once they can be read and are few enough not to cover each other.
    if (onScreen <= 400 && FONT * s >= 8) {
      ctx.font = Math.min(16, FONT * s) + "px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      ctx.fillStyle = "#222";
      for (const i of drawnIds) {
        const text = String(this.items[i].label || "").split("\n")[0];
        ctx.fillText(text, X[i] * s + ox, Y[i] * s + oy + Math.min(R[i] * s, 28) + 2);
      }
    }
    if (!this.moving && this.ids.length >= SNAPSHOT_MIN_NODES) this._takeSnapshot();
    this.emit("afterDrawing", ctx);
  };

  /* ---- pointer: pan, zoom, click, hover ---- */
  P.hit = function (px, py) {
    const s = this.view.scale, ox = this.width / 2 - this.view.x * s, oy = this.height / 2 - this.view.y * s;
    let best = -1, bestD = Infinity;
    for (let i = 0; i < this.ids.length; i++) {
      const dx = this.X[i] * s + ox - px, dy = this.Y[i] * s + oy - py;
      const r = Math.max(4, Math.min(this.R[i] * s, 28)) + 2;
      const d = dx * dx + dy * dy;
      if (d <= r * r && d < bestD) { best = i; bestD = d; }
    }
    if (best >= 0) return { nodes: [this.ids[best]], edges: [] };
    const ends = this.ends;
    for (let k = 0; k < this.edgeItems.length; k++) {
      const a = ends[2 * k], b = ends[2 * k + 1];
      if (a < 0 || b < 0) continue;
      const x1 = this.X[a] * s + ox, y1 = this.Y[a] * s + oy, x2 = this.X[b] * s + ox, y2 = this.Y[b] * s + oy;
      const L2 = (x2 - x1) ** 2 + (y2 - y1) ** 2;
      const t = L2 ? Math.max(0, Math.min(1, ((px - x1) * (x2 - x1) + (py - y1) * (y2 - y1)) / L2)) : 0;
      if ((x1 + t * (x2 - x1) - px) ** 2 + (y1 + t * (y2 - y1) - py) ** 2 <= 16) {
        return { nodes: [], edges: [this.edgeItems[k].id] };
      }
    }
    return { nodes: [], edges: [] };
  };
  P._showTip = function (hit, px, py) {
    const item = hit.nodes.length ? this.body.data.nodes.get(hit.nodes[0])
      : hit.edges.length ? this.body.data.edges.get(hit.edges[0]) : null;
    const tip = this.tooltip;
    if (!item || !item.title) { tip.style.visibility = "hidden"; return; }
    if (typeof item.title === "string") tip.textContent = item.title;
    else tip.replaceChildren(item.title);
    tip.style.left = px + 12 + "px";
    tip.style.top = py + 12 + "px";
    tip.style.visibility = "visible";
  };
  P._listen = function () {
    const c = this.canvas;
    let drag = null, hoverTimer = null;
    const at = (ev) => { const r = c.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; };
    c.addEventListener("mousedown", (ev) => {
      const [x, y] = at(ev);
      drag = { x, y, vx: this.view.x, vy: this.view.y, moved: false };
    });
    window.addEventListener("mouseup", (ev) => {
      if (!drag) return;
      const moved = drag.moved;
      drag = null;
      if (moved) return;
      const [x, y] = at(ev);
      const hit = this.hit(x, y);
      if (hit.nodes.length) this.selectNodes(hit.nodes);
      this.emit("click", hit);
    });
    c.addEventListener("mousemove", (ev) => {
      const [x, y] = at(ev);
      if (drag) {
        if (Math.abs(x - drag.x) + Math.abs(y - drag.y) > 3) drag.moved = true;
        this.moveTo({ position: { x: drag.vx - (x - drag.x) / this.view.scale, y: drag.vy - (y - drag.y) / this.view.scale } });
        return;
      }
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(() => this._showTip(this.hit(x, y), x, y), this.options.interaction ? this.options.interaction.tooltipDelay || 150 : 150);
    });
    c.addEventListener("mouseleave", () => { clearTimeout(hoverTimer); this.tooltip.style.visibility = "hidden"; });
    c.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const [x, y] = at(ev);
      const before = this.DOMtoCanvas({ x, y });
      const scale = this.view.scale * (ev.deltaY < 0 ? 1.15 : 1 / 1.15);
      this.view.scale = scale;
      const after = this.DOMtoCanvas({ x, y });
      this.moveTo({ position: { x: this.view.x + before.x - after.x, y: this.view.y + before.y - after.y }, scale });
    }, { passive: false });
    window.addEventListener("resize", () => { this._resize(); this.redraw(); });
  };

  window.KgCanvasNetwork = KgCanvasNetwork;
})();
