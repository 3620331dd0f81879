// Start the GOV.UK Frontend components, then the case form's autosave states
// and the warning before an idle session ends.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { startAutosaveStates } from "./autosave.js";
import { startSessionWarning } from "./session.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
startAutosaveStates(document.body);
startSessionWarning(document.body);
