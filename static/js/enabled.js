// Marks the page as able to run GOV.UK Frontend, before it draws, so enhanced components
// do not flash. A file rather than an inline script, so the security policy can forbid those.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
