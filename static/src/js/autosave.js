// Show the state of each answer's autosave (htmx) beside the answer.
function statusOf(event) {
  const element = event.detail && event.detail.elt;
  return element && element.querySelector ? element.querySelector(".app-save-status") : null;
}

function show(status, text, isProblem) {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("govuk-error-message", Boolean(isProblem));
}

export function startAutosaveStates(body) {
  body.addEventListener("htmx:beforeRequest", (event) => show(statusOf(event), "Saving…", false));
  body.addEventListener("htmx:sendError", (event) =>
    show(statusOf(event), "Not saved: no connection. Your answer is still on this page; change it or press Save to try again.", true));
  body.addEventListener("htmx:responseError", (event) =>
    show(statusOf(event), "Not saved: the server had a problem. Press Save to try again.", true));
  body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.includes(body.dataset.signInUrl || "/sign-in/")) {
      show(statusOf(event), "Not saved: you have been signed out. Sign in again and re-enter this answer.", true);
    }
  });
}
