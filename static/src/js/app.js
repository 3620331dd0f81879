// Start the GOV.UK Frontend components (details, error summary, ...) on every page.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
