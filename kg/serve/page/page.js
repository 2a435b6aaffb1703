// The query page. Every value from the server (named queries, results, errors) is put
// into the page with textContent or as an element's text, never as HTML, so a hostile
// label cannot become markup or script.
"use strict";

const PREFIXES = [
  ["kgr:", "https://w3id.org/kg-ir/resource/"],
  ["kg:", "https://w3id.org/kg-ir/ontology#"],
  ["kind:", "https://w3id.org/kg-ir/kind/"],
  ["cameo:", "https://w3id.org/kg-ir/cameo/"],
  ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
  ["owl:", "http://www.w3.org/2002/07/owl#"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["xsd:", "http://www.w3.org/2001/XMLSchema#"],
];

const $ = (id) => document.getElementById(id);
const endpoint = "/sparql";

function shorten(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns) && /^[\w.-]+$/.test(iri.slice(ns.length))) {
      return prefix + iri.slice(ns.length);
    }
  }
  return "<" + iri + ">";
}

function setStatus(text) { $("status").textContent = text; }

function showError(text) {
  const box = $("error");
  box.textContent = text;
  box.hidden = false;
}

function clearOutput() {
  $("error").hidden = true;
  $("results").hidden = true;
  $("graph").hidden = true;
  $("results").tHead.replaceChildren();
  $("results").tBodies[0].replaceChildren();
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.className = "iri";
    td.textContent = shorten(term.value);
    td.title = term.value;
  } else if (term.type === "bnode") {
    td.textContent = "_:" + term.value;
  } else {
    td.textContent = term.value;
    const extra = term["xml:lang"] ? "@" + term["xml:lang"]
      : term.datatype ? shorten(term.datatype) : "";
    if (extra) {
      const span = document.createElement("span");
      span.className = term["xml:lang"] ? "lang" : "dt";
      span.textContent = extra;
      td.append(span);
    }
  }
  return td;
}

function showTable(data) {
  const table = $("results");
  const vars = data.head.vars || ["boolean"];
  const head = document.createElement("tr");
  for (const name of vars) {
    const th = document.createElement("th");
    th.textContent = "?" + name;
    head.append(th);
  }
  table.tHead.append(head);
  const rows = "boolean" in data
    ? [{ boolean: { type: "literal", value: String(data.boolean) } }]
    : data.results.bindings;
  const body = table.tBodies[0];
  for (const binding of rows) {
    const tr = document.createElement("tr");
    for (const name of vars) tr.append(cell(binding[name]));
    body.append(tr);
  }
  table.hidden = false;
  return rows.length;
}

async function run() {
  clearOutput();
  setStatus("running…");
  const started = performance.now();
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: new URLSearchParams({ query: $("query").value }),
    });
  } catch (err) {
    setStatus("");
    showError("could not reach the endpoint: " + err);
    return;
  }
  const ms = Math.round(performance.now() - started);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    setStatus("");
    showError(response.status + " " + (await response.text()));
    return;
  }
  let summary;
  if (type.startsWith("application/sparql-results+json")) {
    const n = showTable(await response.json());
    summary = n + (n === 1 ? " row" : " rows");
  } else {
    const pre = $("graph");
    pre.textContent = await response.text();
    pre.hidden = false;
    summary = "graph";
  }
  const cut = response.headers.get("x-sparql-truncated");
  // a named query's first page read from the page kept at load, not computed now
  const kept = response.headers.get("x-kg-first-page") === "kept";
  setStatus(summary + " in " + ms + " ms" + (cut ? " (cut at the row limit)" : "")
    + (kept ? " (first page kept at load)" : ""));
}

async function loadExamples() {
  const select = $("examples");
  let queries = [];
  try {
    const response = await fetch("/queries", { headers: { "Accept": "application/json" } });
    queries = await response.json();
  } catch (err) {
    showError("could not load the named queries: " + err);
  }
  for (const q of queries) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.question ? q.name + " — " + q.question : q.name;
    select.append(option);
  }
  // An example is shown as its first page (its text with LIMIT 100), what a person looks
  // at first: on a store kg load wrote, the server reads it from the page kept at load.
  const shown = (q) => q.page || q.text;
  select.addEventListener("change", () => {
    const q = queries.find((item) => item.name === select.value);
    if (!q) return;
    $("query").value = shown(q);
    $("question").textContent = q.question;
  });
  // Once the text is edited it is no longer that named query: drop its name and question.
  $("query").addEventListener("input", () => {
    const q = queries.find((item) => item.name === select.value);
    if (q && $("query").value !== shown(q)) {
      select.value = "";
      $("question").textContent = "";
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
  });
  loadExamples();
});
