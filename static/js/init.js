// Progressive enhancement only: every page works without this file.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// Filters folded for phones open by themselves where there is room for them.
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  for (const details of document.querySelectorAll("details[data-open-on-wide]")) {
    details.open = true;
  }
}
