// Client-side search over the claims written beside the pages (claims.js sets window.TIMELINE_CLAIMS).
// Results are built with textContent only: nothing from the log is ever parsed as HTML.
(function () {
  "use strict";
  var claims = window.TIMELINE_CLAIMS || [];
  var LIMIT = 200;
  var box = document.getElementById("search");
  var status = document.getElementById("status");
  var body = document.querySelector("#results tbody");
  var count = document.getElementById("count");
  var hay = claims.map(function (c) {
    return [c.metric, c.party, c.region || "", c.valid, c.figure, c.unit, c.claimant || "", c.outlet || "",
      c.report || "", c.status, c.quote, c.id].join(" ").toLowerCase();
  });

  function keep(c) {
    var s = status.value;
    if (s === "chosen") return c.chosen;
    if (s === "lost") return !c.chosen && c.status === "active";
    if (s === "withdrawn") return c.status === "retracted" || c.status === "corrected";
    return true;
  }

  function cell(tr, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
    return td;
  }

  function show() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var found = [];
    for (var i = 0; i < claims.length; i++) {
      if (!keep(claims[i])) continue;
      var h = hay[i], ok = true;
      for (var w = 0; w < words.length && ok; w++) ok = h.indexOf(words[w]) >= 0;
      if (ok) found.push(claims[i]);
    }
    while (body.firstChild) body.removeChild(body.firstChild);
    found.slice(0, LIMIT).forEach(function (c) {
      var tr = document.createElement("tr");
      tr.className = "result";
      cell(tr, c.metric + " " + c.party + " " + (c.region || "-"), c.page);
      cell(tr, c.valid);
      cell(tr, c.figure + " " + c.unit).className = "num";
      cell(tr, c.claimant || "-");
      cell(tr, c.outlet || "-");
      cell(tr, c.chosen ? "chosen" : c.status === "active" ? "not chosen" : c.status);
      cell(tr, c.quote);
      body.appendChild(tr);
    });
    count.textContent = found.length + " of " + claims.length + " claims" +
      (found.length > LIMIT ? " (the first " + LIMIT + " shown)" : "");
  }

  box.addEventListener("input", show);
  status.addEventListener("change", show);
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); show(); });
  show();
})();
