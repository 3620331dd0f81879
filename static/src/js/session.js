// Warn two minutes before an idle session ends; any request (autosave included) restarts the clock.
export function startSessionWarning(body) {
  const seconds = Number(body.dataset.sessionSeconds || 0);
  const dialog = document.getElementById("session-warning");
  if (!seconds || !dialog) return;
  const warnBefore = Math.min(120, seconds / 4);
  let warnTimer;
  let endTimer;

  function csrfToken() {
    const headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    dialog.hidden = true;
    warnTimer = setTimeout(() => {
      dialog.hidden = false;
      dialog.querySelector("[data-session-stay]").focus();
    }, (seconds - warnBefore) * 1000);
    endTimer = setTimeout(() => {
      const next = encodeURIComponent(location.pathname);
      location.assign(`${body.dataset.signInUrl}?next=${next}`);
    }, seconds * 1000);
  }

  dialog.querySelector("[data-session-stay]").addEventListener("click", async () => {
    await fetch(body.dataset.keepaliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    restart();
  });
  body.addEventListener("htmx:afterRequest", restart);
  restart();
}
