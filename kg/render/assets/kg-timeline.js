/* kg entity page: the timeline under the graph, one item per membership, agreement, event
 * and statement, each with its date, status, quote and source; built with textContent. */
(function () {
  "use strict";
  const K = window.kgText;
  const el = K.el;
  const data = window.kg.data;
  const items = data.timeline || [];
  const list = document.getElementById("kg-timeline-items");
  document.body.classList.add("kg-has-timeline");
  const entity = window.kg.nodes.get(data.meta.entity);
  document.getElementById("kg-timeline-title").textContent =
    "Timeline of " + (entity ? entity.full : K.localName(data.meta.entity)) +
    " (" + items.length + ")";
  for (const item of items) {
    const li = el("li", null, "kg-item kg-" + item.kind);
    li.dataset.kind = item.kind;
    const when = item.date ? item.date + (item.end ? " – " + item.end : "") : "date unknown";
    const head = el("div", null, "kg-item-head");
    head.append(el("span", when, "kg-when"), el("span", item.kind, "kg-kind"));
    const title = el("button", item.title, "kg-item-title");
    title.type = "button";
    title.addEventListener("click", () => window.kg.select(item.id));
    head.append(title);
    li.append(head);
    const how = [item.how];
    if (item.by) how.push("by " + item.by);
    if (item.status) how.push("status: " + item.status + (item.status_since ? " since " + item.status_since : ""));
    li.append(el("div", how.filter(Boolean).join(" · "), "kg-how"));
    if (item.quote) li.append(el("blockquote", item.quote));
    const src = el("div", null, "kg-src");
    src.append(document.createTextNode("source: "));
    src.append(item.source ? K.link(K.localName(item.source), K.safeUrl(item.source)) : el("span", "none recorded"));
    li.append(src);
    list.append(li);
  }
  window.kgTimeline = { items: list.childElementCount };
})();
