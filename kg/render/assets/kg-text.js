/* kg page text helpers: elements, safe links, dates, statuses, tooltips.
 * Text from the data reaches the page only through textContent, plain-text tooltips and
 * validated href properties: never innerHTML. */
(function () {
  "use strict";
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
  const localName = (iri) => String(iri).replace(/^.*[#/]/, "") || String(iri);
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

  /* ---- the same rules as kg.views.timefilter (module doc there), applied to the page's
   * items: strings compared as ISO dates, a partial date standing for its first day ---- */
  const TIMED = new Set(["event", "statement", "opinion", "fact"]);
  function holds(start, end, asOf) {
    if (asOf === null) return true;
    if (start && String(start) > asOf) return false;
    return !(end && String(end) <= asOf);
  }
  function statusAt(status, since, asOf) {
    if (!status || asOf === null || !since || since <= asOf) return status || null;
    return "active";
  }
  function edgeStatus(e, asOf) {
    let since = e.status_date;
    if (!since && e.status === "ended") since = e.end;
    return statusAt(e.status, since, asOf);
  }
  function edgeHolds(e, asOf) {
    if (asOf === null) return true; // "all dates": timefilter cuts nothing without a date
    return holds(e.start, e.end, asOf) && edgeStatus(e, asOf) !== "ended";
  }
  function nodeHolds(n, asOf) {
    if (asOf === null) return true;
    if (TIMED.has(n.group)) return holds(n.start || n.date, null, asOf);
    if (n.group === "agreement") return n.status !== "neverConcluded" && holds(n.start, n.end, asOf);
    return true;
  }

  window.kgText = {
    el, safeUrl, wikidataUrl, link, localName, dateText, cut, tip,
    holds, statusAt, edgeStatus, edgeHolds, nodeHolds,
  };
})();
