// GOV.UK Frontend's pattern: mark the page before it is drawn, so scripts enhance only
// browsers that can run its modules. A file, not inline, so the Content-Security-Policy
// can forbid inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
