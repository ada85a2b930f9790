// Filters by severity, rule and file; the URL fragment may preset them
// (#severity=error,warning&rule=ID&file=TEXT), so a link can share a view.
(function () {
  "use strict";
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var severities = Array.prototype.slice.call(document.querySelectorAll("input[name=sev]"));
  var rule = document.getElementById("rule");
  var file = document.getElementById("file");
  var shown = document.getElementById("shown");

  function apply() {
    var on = severities.filter(function (c) { return c.checked; }).map(function (c) { return c.value; });
    var wantRule = rule.value;
    var wantFile = file.value.toLowerCase();
    var n = 0;
    findings.forEach(function (a) {
      var show = on.indexOf(a.dataset.severity) >= 0 &&
        (!wantRule || a.dataset.rule === wantRule) &&
        (!wantFile || a.dataset.file.toLowerCase().indexOf(wantFile) >= 0);
      a.hidden = !show;
      if (show) n++;
    });
    document.querySelectorAll("section.rule, section.file").forEach(function (s) {
      s.hidden = !s.querySelector("article.finding:not([hidden])");
    });
    shown.textContent = n + " of " + findings.length + " findings shown";
  }

  var preset = new URLSearchParams(location.hash.slice(1));
  if (preset.has("severity")) {
    var want = preset.get("severity").split(",");
    severities.forEach(function (c) { c.checked = want.indexOf(c.value) >= 0; });
  }
  if (preset.has("rule")) rule.value = preset.get("rule");
  if (preset.has("file")) file.value = preset.get("file");
  severities.forEach(function (c) { c.addEventListener("change", apply); });
  rule.addEventListener("change", apply);
  file.addEventListener("input", apply);
  apply();
})();
