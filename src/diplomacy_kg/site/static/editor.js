// The SPARQL editor: runs the query on this site's /query endpoint and shows the rows.
// A shared link (#query=… or ?query=…) fills the editor. No library, nothing from the internet.
"use strict";
(function () {
  const BASE = "https://w3id.org/diplomacy-kg/";
  function sharedQuery() {
    const hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    if (hash.has("query")) { return hash.get("query"); }
    const search = new URLSearchParams(window.location.search);
    return search.has("query") ? search.get("query") : null;
  }
  function cell(term) {
    const td = document.createElement("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value.startsWith(BASE) ? "/" + term.value.slice(BASE.length) : term.value;
      a.textContent = term.value.startsWith(BASE) ? "id:" + term.value.slice(BASE.length + 3) : term.value;
      a.title = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }
  function show(data) {
    const results = document.getElementById("results");
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      results.textContent = String(data.boolean);
      return 1;
    }
    const table = document.createElement("table");
    table.className = "results";
    const head = table.createTHead().insertRow();
    for (const name of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const row = body.insertRow();
      for (const name of data.head.vars) { row.appendChild(cell(binding[name])); }
    }
    results.appendChild(table);
    return data.results.bindings.length;
  }
  async function run(event) {
    if (event) { event.preventDefault(); }
    const text = document.getElementById("query").value;
    const status = document.getElementById("status");
    document.getElementById("share").href = "#query=" + encodeURIComponent(text);
    status.textContent = "running…";
    try {
      const response = await fetch("/query", {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
        body: text,
      });
      if (!response.ok) {
        status.textContent = "error " + response.status + ": " + (await response.text()).slice(0, 300);
        return;
      }
      const rows = show(await response.json());
      status.textContent = rows + " row" + (rows === 1 ? "" : "s");
    } catch (error) {
      status.textContent = "the endpoint did not answer: " + error;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const shared = sharedQuery();
    const area = document.getElementById("query");
    if (shared !== null) { area.value = shared; }
    document.getElementById("editor").addEventListener("submit", run);
    document.getElementById("share").href = "#query=" + encodeURIComponent(area.value);
    if (shared !== null) { run(null); }
  });
})();
