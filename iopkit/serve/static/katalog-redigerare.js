// The editor page opened from the list of a folder (`iopkit serve KATALOG`), at
// /avtal/<fil>. The editor's own scripts call /api/... for the one file a server edits;
// here every such call says which partnership it is about (X-Iopkit-Fil, and the type a
// new file starts from, X-Iopkit-Typ), so the same scripts serve a folder unchanged.
// Loaded before them (they are deferred). Also puts a link back to the list on the page.
"use strict";

(() => {
  const PREFIX = "/avtal/";
  if (!window.location.pathname.startsWith(PREFIX)) return;
  const file = window.location.pathname.slice(PREFIX.length).split("/")
    .map((part) => decodeURIComponent(part)).join("/");
  const kind = new URLSearchParams(window.location.search).get("typ") || "";
  let token = "";
  try { token = sessionStorage.getItem("iopkit-token") || ""; } catch (e) { /* private mode */ }

  const originalFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const address = new URL(typeof input === "string" ? input : input.url, window.location.href);
    if (address.origin !== window.location.origin || !address.pathname.startsWith("/api/")) {
      return originalFetch(input, init);
    }
    const headers = new Headers((init && init.headers) || (typeof input === "string" ? undefined : input.headers));
    headers.set("x-iopkit-fil", encodeURIComponent(file));
    if (kind) headers.set("x-iopkit-typ", encodeURIComponent(kind));
    if (!headers.get("x-iopkit-token") && token) headers.set("x-iopkit-token", token);
    return originalFetch(input, { ...(init || {}), headers });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const back = document.createElement("a");
    back.href = "/";
    back.id = "tillbaka-till-listan";
    back.className = "tillbaka";
    back.textContent = "← Alla partnerskap i katalogen";
    const skip = document.querySelector("body > .hoppa");
    if (skip) skip.after(back); else document.body.prepend(back);
  });
})();
