// The query editor: YASGUI (served by hrgraph itself) on /sparql, every named query as an
// example tab, a chart of the results, CSV/JSON downloads and an address that follows the query.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || !window.Yasgui) { return; }
  var endpoint = window.location.origin + root.getAttribute("data-endpoint");

  // A bar chart of the first numeric column against the first other column, drawn as SVG.
  function ChartPlugin(yasr) { this.yasr = yasr; }
  ChartPlugin.prototype.priority = 5;
  ChartPlugin.prototype.label = "Chart";
  ChartPlugin.prototype.hideFromSelection = false;
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables) { return null; }
    var vars = results.getVariables() || [], rows = results.getBindings() || [];
    var numeric = vars.find(function (v) {
      return rows.length > 0 && rows.every(function (r) { return r[v] && !isNaN(parseFloat(r[v].value)); });
    });
    if (!numeric) { return null; }
    var label = vars.find(function (v) { return v !== numeric; }) || numeric;
    return { numeric: numeric, label: label, rows: rows };
  };
  ChartPlugin.prototype.canHandleResults = function () { return this.columns() !== null; };
  ChartPlugin.prototype.getIcon = function () {
    var span = document.createElement("span");
    span.textContent = "▮";
    return span;
  };
  ChartPlugin.prototype.draw = function () {
    var c = this.columns();
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var rows = c.rows.slice(0, 60), rowHeight = 20, width = 900, labelWidth = 360;
    var max = Math.max.apply(null, rows.map(function (r) { return parseFloat(r[c.numeric].value); }).concat([1]));
    svg.setAttribute("viewBox", "0 0 " + width + " " + (rows.length * rowHeight + 10));
    svg.setAttribute("role", "img");
    svg.setAttribute("class", "results-chart");
    var title = document.createElementNS(ns, "title");
    title.textContent = c.numeric + " by " + c.label;
    svg.appendChild(title);
    rows.forEach(function (r, i) {
      var value = parseFloat(r[c.numeric].value);
      var name = r[c.label] ? r[c.label].value.replace(/^.*[#\/]/, "") : "";
      var text = document.createElementNS(ns, "text");
      text.setAttribute("x", labelWidth - 6); text.setAttribute("y", i * rowHeight + 15);
      text.setAttribute("text-anchor", "end"); text.setAttribute("font-size", "12");
      text.textContent = name;
      var bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", labelWidth); bar.setAttribute("y", i * rowHeight + 3);
      bar.setAttribute("height", rowHeight - 6); bar.setAttribute("fill", "#0b5cad");
      bar.setAttribute("width", Math.max(1, (width - labelWidth - 60) * value / max));
      var count = document.createElementNS(ns, "text");
      count.setAttribute("x", labelWidth + Math.max(1, (width - labelWidth - 60) * value / max) + 4);
      count.setAttribute("y", i * rowHeight + 15); count.setAttribute("font-size", "12");
      count.textContent = String(value);
      svg.appendChild(text); svg.appendChild(bar); svg.appendChild(count);
    });
    this.yasr.resultsEl.appendChild(svg);
  };
  window.Yasgui.Yasr.registerPlugin("chart", ChartPlugin);

  // Literals read as values: a typed literal shows its value and, small, its datatype's short
  // name (2010-01-01 xsd:date), not "2010-01-01"^^<http://www.w3.org/2001/XMLSchema#date>.
  var prefixes = JSON.parse(root.getAttribute("data-prefixes") || "{}");
  function shortIri(iri) {
    for (var prefix in prefixes) {
      if (iri.indexOf(prefixes[prefix]) === 0 && iri.length > prefixes[prefix].length) {
        return prefix + ":" + iri.substring(prefixes[prefix].length);
      }
    }
    return iri;
  }
  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  var Table = window.Yasgui.Yasr.plugins && window.Yasgui.Yasr.plugins.table;
  if (Table && Table.prototype.formatLiteral) {
    Table.prototype.formatLiteral = function (literal) {
      var value = escapeHtml(literal.value);
      if (literal["xml:lang"]) {
        return value + ' <sup class="literal-kind">@' + escapeHtml(literal["xml:lang"]) + "</sup>";
      }
      var datatype = literal.datatype;
      if (datatype && datatype !== "http://www.w3.org/2001/XMLSchema#string") {
        return value + ' <sup class="literal-kind" title="' + escapeHtml(datatype) + '">' +
          escapeHtml(shortIri(datatype)) + "</sup>";
      }
      return value;
    };
  }

  var yasgui = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["variables"], resizeable: true },
    yasr: { pluginOrder: ["table", "chart", "response"], prefixes: prefixes },
    persistenceId: "hrgraph-query-editor"
  });

  function currentQuery() { var tab = yasgui.getTab(); return tab ? tab.getQuery() : ""; }

  // The address follows the query: reloading or bookmarking it opens the same query.
  yasgui.on("query", function () {
    var url = window.location.pathname + "?query=" + encodeURIComponent(currentQuery());
    window.history.replaceState(null, "", url);
  });

  fetch(root.getAttribute("data-examples")).then(function (r) { return r.json(); }).then(function (examples) {
    examples.forEach(function (example) {
      var id = "example-" + example.name;
      if (yasgui.getTab(id)) { return; }
      yasgui.addTab(false, { id: id, name: example.name, yasqe: { value: example.query },
                             requestConfig: { endpoint: endpoint } });
    });
    root.setAttribute("data-examples-loaded", String(examples.length));
  });

  function download(accept, extension) {
    var body = new URLSearchParams({ query: currentQuery() });
    fetch(endpoint, { method: "POST", body: body, headers: { Accept: accept } })
      .then(function (r) { return r.blob(); })
      .then(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "hrgraph-results." + extension;
        document.body.appendChild(a); a.click(); a.remove();
      });
  }
  document.getElementById("download-csv").addEventListener("click", function () { download("text/csv", "csv"); });
  document.getElementById("download-json").addEventListener("click", function () {
    download("application/sparql-results+json", "json");
  });
  window.hrgraphYasgui = yasgui;
}());
