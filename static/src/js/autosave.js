// Show the state of each answer's autosave (htmx) beside the answer, and send
// any answer still waiting for its pause when the page is hidden or closed.
const pending = new Set();

function statusOf(event) {
  const element = event.detail && event.detail.elt;
  return element && element.querySelector ? element.querySelector(".app-save-status") : null;
}

function show(status, text, isProblem) {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("govuk-error-message", Boolean(isProblem));
}

function flush(body) {
  // keepalive lets the request finish after the page has gone.
  const token = JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  for (const block of pending) {
    const data = new URLSearchParams();
    for (const field of block.querySelectorAll("input, textarea, select")) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      if (field.name) data.append(field.name, field.value);
    }
    fetch(block.getAttribute("hx-post"), {
      method: "POST", body: data, keepalive: true, credentials: "same-origin",
      headers: { "X-CSRFToken": token, "HX-Request": "true" },
    });
  }
  pending.clear();
}

export function startAutosaveStates(body) {
  body.addEventListener("input", (event) => {
    const block = event.target.closest && event.target.closest(".app-answer[hx-post]");
    if (block) pending.add(block);
  });
  // A page's Save button sends every answer itself: nothing is left waiting.
  body.addEventListener("submit", () => pending.clear());
  body.addEventListener("htmx:beforeRequest", (event) => {
    pending.delete(event.detail.elt);
    show(statusOf(event), "Saving…", false);
  });
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
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush(body);
  });
  window.addEventListener("pagehide", () => flush(body));
}
