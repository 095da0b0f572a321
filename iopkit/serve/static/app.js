// The page: loads the file (or a scaffold), shows one step of the form at a time, checks
// every change with /api/check, shows the findings beside the fields and in a summary,
// previews the agreement (/api/render … format=html), downloads and saves.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const CHECK_DELAY_MS = 350;
  const state = {
    steps: [], current: 0, findings: [], version: null, file: null, canSave: false,
    pdf: false, dirty: false, checkSeq: 0, previewSeq: 0, timer: null, scaffold: null,
  };

  // The access key: from the address on the first load (then removed from the address
  // bar and history), kept in this tab's sessionStorage (per port) for reloads. Every
  // API call sends it in a header; no cookie carries it (cookies reach every port).
  const TOKEN = (() => {
    const params = new URLSearchParams(window.location.search);
    const fromAddress = params.get("token");
    if (fromAddress) {
      try { sessionStorage.setItem("iopkit-token", fromAddress); } catch (e) { /* private mode */ }
      history.replaceState(null, "", "/");
      return fromAddress;
    }
    try { return sessionStorage.getItem("iopkit-token") || ""; } catch (e) { return ""; }
  })();

  async function call(url, options = {}) {
    const headers = { ...(options.headers || {}), "x-iopkit-token": TOKEN };
    try {
      return await fetch(url, { credentials: "same-origin", ...options, headers });
    } catch (e) {
      // The server has stopped (Ctrl-C) or the connection broke: say so where the answer
      // would have been shown, like any other refusal.
      return new Response(JSON.stringify({ fel: "Webbredigeraren svarar inte. Kör `iopkit serve` fortfarande? Starta den igen och ladda om sidan; ändringar som inte är sparade finns kvar i formuläret så länge sidan är öppen." }),
        { status: 503, headers: { "content-type": "application/json; charset=utf-8" } });
    }
  }

  async function json(url, options) {
    const response = await call(url, options);
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    return { ok: response.ok, status: response.status, body };
  }

  function yamlText() {
    return IopForm.yaml();
  }

  function post(url, text, headers = {}) {
    return { method: "POST", body: text, headers: { "content-type": "application/yaml; charset=utf-8", ...headers } };
  }

  function say(text) { $("status").textContent = text; }

  // ---- start ------------------------------------------------------------------------
  async function start() {
    const [startInfo, schema] = await Promise.all([json("/api/start"), json("/api/schema")]);
    if (!startInfo.ok || !schema.ok) {
      say((startInfo.body && startInfo.body.fel) || "Webbredigeraren kunde inte starta.");
      return;
    }
    const info = startInfo.body;
    state.version = info.version;
    state.file = info.fil;
    state.canSave = info.kan_spara;
    state.pdf = info.pdf;
    state.scaffold = info.mall || null;
    IopForm.init(schema.body, { onChange: changed, onStructure: structureChanged, onMode: modeChanged });
    $("fil").textContent = info.fil ? `Fil: ${info.fil}` : "Ingen fil: ladda ner YAML-filen när du är klar.";
    $("spara").hidden = !state.canSave;
    if (info.fel) { say(info.fel); return; }
    if (info.data) { open(info.data, info.kommentarer); return; }
    chooseKind(info.typer);
  }

  function chooseKind(kinds) {
    const list = $("typer");
    list.replaceChildren();
    for (const kind of kinds) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "typ";
      button.dataset.typ = kind.namn;
      button.textContent = `${kind.namn}: ${kind.beskrivning}`;
      button.addEventListener("click", async () => {
        const answer = await json(`/api/mall?typ=${encodeURIComponent(kind.namn)}`);
        if (!answer.ok) { say(answer.body ? answer.body.fel : "Typen kunde inte hämtas."); return; }
        $("valj-typ").hidden = true;
        state.scaffold = kind.namn;
        IopForm.setMode("guide"); // a new partnership starts in the guide, empty
        open(answer.body.data, answer.body.kommentarer, true);
        state.dirty = true;
      });
      const item = document.createElement("li");
      item.append(button);
      list.append(item);
    }
    $("valj-typ").hidden = false;
    $("arbete").hidden = true;
    list.querySelector("button").focus();
  }

  function open(data, comments, fresh = false) {
    IopForm.setData(data, comments || []);
    if (fresh) IopForm.emptyPlaceholders();
    state.steps = IopForm.steps();
    $("arbete").hidden = false;
    buildNav();
    show(0, false);
    scheduleCheck(0);
  }

  // ---- steps ------------------------------------------------------------------------
  function buildNav() {
    const list = $("steglista");
    list.replaceChildren();
    state.steps.forEach((key, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.steg = key;
      button.addEventListener("click", () => show(index, true));
      const name = document.createElement("span");
      name.textContent = `${index + 1}. ${IopForm.label(key)}`;
      const badge = document.createElement("span");
      badge.className = "antal";
      button.append(name, badge);
      const item = document.createElement("li");
      item.append(button);
      list.append(item);
    });
  }

  function show(index, focus, focusPath) {
    state.current = Math.max(0, Math.min(index, state.steps.length - 1));
    const section = IopForm.renderStep($("steginnehall"), state.steps[state.current]);
    document.querySelectorAll("#steglista button").forEach((button, i) => {
      if (i === state.current) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    });
    $("foregaende").disabled = state.current === 0;
    $("nasta").disabled = state.current === state.steps.length - 1;
    placeFindings();
    if (focusPath) focusField(focusPath);
    else if (focus) section.querySelector("h2").focus();
  }

  function focusField(path) {
    const target = closest(path);
    if (!target) return;
    const control = target.matches("input, select, textarea") ? target
      : target.querySelector("input, select, textarea, button");
    (control || target).focus();
  }

  function modeChanged() {
    state.steps = IopForm.steps();
    buildNav();
    show(0, true);
    scheduleCheck(0);
  }

  function changed() {
    state.dirty = true;
    scheduleCheck(CHECK_DELAY_MS);
  }

  /** A list item was added or removed; a removal can be undone once. */
  function structureChanged(focusPath, removal) {
    state.dirty = true;
    const undo = $("angra");
    undo.hidden = !removal;
    state.undo = removal ? removal.undo : null;
    if (removal) say(removal.text);
    show(state.current, false, focusPath);
    scheduleCheck(0);
  }

  function undoRemoval() {
    if (!state.undo) return;
    const restored = state.undo();
    $("angra").hidden = true;
    state.undo = null;
    say("Borttagningen är ångrad.");
    show(state.current, false, restored);
    scheduleCheck(0);
  }

  // ---- checking and findings ----------------------------------------------------------
  function scheduleCheck(delay) {
    clearTimeout(state.timer);
    $("kontrollstatus").textContent = "Kontrollerar …";
    state.timer = setTimeout(runCheck, delay);
  }

  async function runCheck() {
    const seq = ++state.checkSeq;
    const text = yamlText();
    const answer = await json("/api/check", post("/api/check", text));
    if (seq !== state.checkSeq) return; // a newer change is on its way
    if (!answer.ok) { $("kontrollstatus").textContent = answer.body ? answer.body.fel : "Kontrollen misslyckades."; return; }
    const steady = IopForm.steadyFindings(answer.body.findings.filter((f) => !f.silenced));
    state.findings = steady.findings;
    const summary = answer.body.summary;
    const n = (severity) => state.findings.filter((f) => f.severity === severity).length;
    $("kontrollstatus").textContent = steady.earlier ? "Varningarna är från den senaste fullständiga " +
      "kontrollen: de kontrolleras igen när felen är rättade." : "";
    $("antal").textContent = `${count(summary.errors, "fel", "fel")}, ` +
      `${count(n("varning"), "varning", "varningar")}, ` +
      `${count(n("info"), "upplysning", "upplysningar")}.`;
    placeFindings();
    listFindings();
    if (summary.errors === 0) preview(text);
    else $("forhandsstatus").textContent = "Förhandsvisningen uppdateras när felen är rättade.";
  }

  function count(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

  function stepOf(path) { return IopForm.stepOf(path); }

  function parent(path) { return path.replace(/(\.[^.[]+|\[\d+\])$/, ""); }

  /** The element a finding belongs beside: the field with its path, else the nearest
   * enclosing group that is on the page. */
  function closest(path) {
    let probe = path;
    while (probe) {
      const found = document.querySelector(`#steginnehall [data-path="${CSS.escape(probe)}"]`);
      if (found) return found;
      const up = parent(probe);
      if (up === probe) break;
      probe = up;
    }
    return null;
  }

  const SEVERITY = { fel: "Fel", varning: "Varning", info: "Upplysning" };

  function placeFindings() {
    document.querySelectorAll("#steginnehall .fynd").forEach((node) => node.remove());
    document.querySelectorAll("#steginnehall [aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    document.querySelectorAll("#steginnehall [data-fynd]").forEach((node) => {
      node.setAttribute("aria-describedby", node.dataset.hjalp || "");
      node.removeAttribute("data-fynd");
    });
    const step = state.steps[state.current];
    state.findings.forEach((finding, index) => {
      if (stepOf(finding.path) !== step) return;
      const target = closest(finding.path);
      if (!target) return;
      const slot = target.querySelector(":scope > .fynd-plats") || target;
      const note = document.createElement("p");
      note.className = `fynd ${finding.severity}`;
      note.id = `fynd-${index}`;
      note.textContent = `${SEVERITY[finding.severity] || finding.severity}: ${IopForm.plain(finding.message)} (${finding.code})`;
      slot.append(note);
      const control = target.querySelector(":scope > input, :scope > select, :scope > textarea");
      if (control) {
        if (!control.hasAttribute("data-fynd")) {
          control.dataset.hjalp = control.getAttribute("aria-describedby") || "";
          control.setAttribute("data-fynd", "");
        }
        if (finding.severity === "fel") control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", `${control.getAttribute("aria-describedby") || ""} ${note.id}`.trim());
      }
    });
    // Counts per step in the navigation.
    document.querySelectorAll("#steglista button").forEach((button) => {
      const mine = state.findings.filter((f) => stepOf(f.path) === button.dataset.steg);
      const errors = mine.filter((f) => f.severity === "fel").length;
      const warnings = mine.filter((f) => f.severity === "varning").length;
      const badge = button.querySelector(".antal");
      badge.textContent = errors || warnings ? ` (${[errors ? count(errors, "fel", "fel") : "",
        warnings ? count(warnings, "varning", "varningar") : ""].filter(Boolean).join(", ")})` : "";
      badge.className = `antal${errors ? " har-fel" : ""}`;
    });
  }

  function listFindings() {
    const list = $("fynd");
    list.replaceChildren();
    for (const finding of state.findings) {
      const item = document.createElement("li");
      item.className = finding.severity;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "lank";
      button.textContent = `${SEVERITY[finding.severity] || finding.severity}` +
        (finding.path ? ` i ${IopForm.labelOfPath(finding.path)}` : "") + `: ${IopForm.plain(finding.message)}`;
      button.addEventListener("click", () => {
        const index = state.steps.indexOf(stepOf(finding.path));
        if (index >= 0) show(index, true, finding.path);
      });
      item.append(button);
      list.append(item);
    }
  }

  async function preview(text) {
    const seq = ++state.previewSeq;
    $("forhandsstatus").textContent = "Uppdaterar förhandsvisningen …";
    const response = await call("/api/render?dokument=avtal&format=html", post("", text));
    if (seq !== state.previewSeq) return;
    if (!response.ok) {
      let message = "Förhandsvisningen kunde inte skapas.";
      try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
      $("forhandsstatus").textContent = message;
      return;
    }
    $("forhandsvisning").srcdoc = await response.text();
    $("forhandsstatus").textContent = "";
  }

  // ---- downloads and saving -----------------------------------------------------------
  function baseName() {
    const name = state.file ? state.file.split(/[\\/]/).pop() : "avtal.yaml";
    return name;
  }

  function stem() { return baseName().replace(/\.(ya?ml)$/i, ""); }

  function offer(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function download(kind, format) {
    say(`Skapar ${kind}.${format} …`);
    const response = await call(`/api/render?dokument=${kind}&format=${format}`, post("", yamlText()));
    if (!response.ok) {
      let message = "Dokumentet kunde inte skapas.";
      try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
      say(message);
      return;
    }
    offer(await response.blob(), `${stem()}-${kind}.${format}`);
    say(`${stem()}-${kind}.${format} är nedladdad.`);
  }

  // Saving sends the form's data, not YAML: the server changes only the values that
  // differ from the file, so its comments, order and quoting stay as they are.
  async function save(version) {
    const text = yamlText();
    const body = JSON.stringify({ data: IopForm.toYamlData(), mall: state.scaffold });
    const answer = await json("/api/save", { method: "POST", body, headers: {
      "content-type": "application/json; charset=utf-8", "x-iopkit-version": version } });
    if (answer.status === 409 && answer.body && "disk" in answer.body) {
      conflict(answer.body, text);
      return;
    }
    if (!answer.ok) { say(answer.body ? answer.body.fel : "Filen kunde inte sparas."); return; }
    state.version = answer.body.version;
    state.dirty = false;
    say(`Sparat i ${answer.body.fil}. Den förra versionen finns i ${answer.body.backup}.`);
  }

  function conflict(body, mine) {
    $("konflikt-text").textContent = body.fel;
    $("konflikt-disk").value = body.disk;
    $("konflikt-min").value = mine;
    const dialog = $("konflikt");
    dialog.dataset.version = body.version;
    dialog.showModal();
  }

  async function useDisk() {
    const dialog = $("konflikt");
    const answer = await json("/api/parse", post("", $("konflikt-disk").value));
    dialog.close();
    if (!answer.ok) { say(answer.body ? answer.body.fel : "Filen på disken kunde inte läsas."); return; }
    state.version = dialog.dataset.version;
    state.dirty = false;
    open(answer.body.data, answer.body.kommentarer);
    say("Formuläret visar nu versionen från disken.");
  }

  function wire() {
    $("foregaende").addEventListener("click", () => show(state.current - 1, true));
    $("nasta").addEventListener("click", () => show(state.current + 1, true));
    $("spara").addEventListener("click", () => save(state.version));
    $("ladda-avtal").addEventListener("click", () => download("avtal", "docx"));
    $("ladda-checklista").addEventListener("click", () => download("checklista", "docx"));
    $("ladda-pdf").addEventListener("click", () => download("avtal", "pdf"));
    $("ladda-yaml").addEventListener("click", async () => {
      // The same lossless text a save would write (comments and all), not the page's own.
      const body = JSON.stringify({ data: IopForm.toYamlData(), mall: state.scaffold });
      const response = await call("/api/yaml", { method: "POST", body,
        headers: { "content-type": "application/json; charset=utf-8" } });
      if (!response.ok) {
        let message = "YAML-filen kunde inte skapas.";
        try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
        say(message);
        return;
      }
      offer(await response.blob(), baseName());
      say(`${baseName()} är nedladdad.`);
    });
    $("behall-min").addEventListener("click", () => {
      const version = $("konflikt").dataset.version;
      $("konflikt").close();
      save(version);
    });
    $("anvand-disk").addEventListener("click", useDisk);
    $("angra").addEventListener("click", undoRemoval);
    $("avbryt-konflikt").addEventListener("click", () => $("konflikt").close());
    window.addEventListener("beforeunload", (event) => {
      if (state.dirty && state.canSave) event.preventDefault();
    });
  }

  wire();
  start();
})();
