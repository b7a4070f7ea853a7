// Progressive enhancement only: every page works without this script.
// GOV.UK Frontend's modules add the mobile menu toggle and focus the skip link's target.
import { initAll } from "../../govuk/govuk-frontend.min.js";
import { initRecorder } from "./recorder.js";
import { initShownWhen } from "./shown-when.js";

if (document.body.classList.contains("govuk-frontend-supported")) {
  initAll();
  initShownWhen();
  initRecorder();
}
