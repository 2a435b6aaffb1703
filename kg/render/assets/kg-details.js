/* kg page tooltips and details panel: every field shown as text, each element with its
 * status (at the slider's date), its source and its quote. */
(function () {
  "use strict";
  const K = window.kgText;
  const { el, link, safeUrl, wikidataUrl, dateText, cut, localName } = K;

  function statusText(status, since, words) {
    if (!status) return null;
    const w = words(status);
    return since ? w + " since " + since : w;
  }
  // The status a membership edge has at the page's date, with the day it began.
  function edgeStatusText(e, asOf, words) {
    const now = K.edgeStatus(e, asOf);
    if (!now) return null;
    const since = now === e.status ? e.status_date || (now === "ended" ? e.end : null) : null;
    return statusText(now, since, words);
  }
  function sourceText(src) {
    return src ? localName(src) : null;
  }

  function nodeTooltip(n, words) {
    const lines = [n.full];
    const head = [n.cls, dateText(n)].filter(Boolean).join(" · ");
    if (head) lines.push(head);
    if (n.alleged) lines.push("alleged: known only from a claim, not reported as fact");
    if (n.status) lines.push("status: " + words(n.status));
    if (n.kind) lines.push("kind: " + n.kind);
    if (n.wikidata) lines.push("Wikidata: " + n.wikidata);
    if (n.quote) lines.push("“" + cut(n.quote, 400) + "”");
    if (n.source) lines.push("source: " + sourceText(n.source));
    return lines.join("\n");
  }
  function edgeTooltip(e, asOf, words) {
    const lines = [e.rlabel];
    const status = edgeStatusText(e, asOf, words);
    if (status) lines.push("status: " + status);
    const dates = dateText(e);
    if (dates) lines.push(dates);
    if (e.role) lines.push("role: " + e.role);
    if (e.source) lines.push("source: " + sourceText(e.source));
    if (e.quote) lines.push("“" + cut(e.quote, 400) + "”");
    return lines.join("\n");
  }

  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.append(el("dt", name));
    const dd = el("dd");
    dd.append(value instanceof Node ? value : document.createTextNode(String(value)));
    dl.append(dd);
  }
  function sourceLink(src) {
    return link(sourceText(src), safeUrl(src));
  }

  // ctx: { nodeById, edgeItems, adjacency, groupLabel, words, state, select, focusOn }
  function panel(ctx) {
    const box = document.getElementById("kg-details");
    function closeButton() {
      const b = el("button", "×", "kg-close");
      b.type = "button";
      b.title = "Close";
      b.addEventListener("click", () => { box.hidden = true; });
      return b;
    }
    function nodeButton(id) {
      const n = ctx.nodeById.get(id);
      const b = el("button", n ? n.full : id);
      b.type = "button";
      b.addEventListener("click", () => ctx.select(id));
      return b;
    }
    function showNode(id) {
      const n = ctx.nodeById.get(id);
      box.replaceChildren(closeButton(), el("h2", n.full));
      const dl = el("dl");
      row(dl, "Class", n.cls || ctx.groupLabel.get(n.group));
      if (n.alleged) {
        row(dl, "Alleged by", ctx.nodeById.has(n.alleged) ? nodeButton(n.alleged) : n.alleged);
      }
      row(dl, "Status", n.status ? ctx.words(n.status) : null);
      row(dl, "Kind", n.kind);
      row(dl, "Date", dateText(n));
      row(dl, "Words", n.characterization);
      row(dl, "Source", n.source ? sourceLink(n.source) : "none recorded");
      row(dl, "IRI", link(n.id, safeUrl(n.id)));
      if (n.wikidata) row(dl, "Wikidata", link(n.wikidata, wikidataUrl(n.wikidata)));
      box.append(dl);
      if (n.quote) box.append(el("blockquote", n.quote));
      const focus = el("button", "Focus on its neighbourhood");
      focus.type = "button";
      focus.addEventListener("click", () => ctx.focusOn(id));
      box.append(focus);
      const list = el("ul");
      for (const i of (ctx.adjacency.get(id) || []).slice(0, 60)) {
        const e = ctx.edgeItems[i];
        const li = el("li");
        const out = e.from === id;
        const status = K.edgeStatus(e, ctx.state.asOf);
        const label = e.rlabel + (status && status !== "active" ? " (" + ctx.words(status) + ")" : "");
        li.append(document.createTextNode(out ? label + " → " : "← " + label + " · "));
        li.append(nodeButton(out ? e.to : e.from));
        list.append(li);
      }
      if (list.childElementCount) box.append(el("h3", "Relations"), list);
      box.hidden = false;
    }
    function showEdge(e) {
      box.replaceChildren(closeButton(), el("h2", e.rlabel));
      const dl = el("dl");
      row(dl, "From", nodeButton(e.from));
      row(dl, "To", nodeButton(e.to));
      row(dl, "Status", edgeStatusText(e, ctx.state.asOf, ctx.words));
      row(dl, "Date", dateText(e));
      row(dl, "Role", e.role);
      row(dl, "Source", e.source ? sourceLink(e.source) : "none recorded");
      if (e.via) row(dl, "Via", ctx.nodeById.has(e.via) ? nodeButton(e.via) : e.via);
      box.append(dl);
      if (e.quote) box.append(el("blockquote", e.quote));
      box.hidden = false;
    }
    return { showNode, showEdge };
  }

  window.kgDetails = { nodeTooltip, edgeTooltip, panel };
})();
