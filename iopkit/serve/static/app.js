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
    offered: null, documents: [],
    // The file opened from the computer in the page (name and text), when there is one.
    opened: null,
    // The draft this page writes to: its id (from the server), whether it belongs to
    // no file of the server (work without a file, or a file opened in the page).
    draft: { id: null, noFile: false, timer: null, first: 0, busy: false, again: false },
    lost: false,
  };
  // How long an answer may take before the page says that it did not come (the server
  // itself stops a check after 30 s and a document after 120 s).
  const SECONDS = { check: 45, render: 150, save: 60, draft: 20, alive: 8 };
  const DRAFT_DELAY_MS = 300;
  const DRAFT_AT_MOST_MS = 1000;
  const ALIVE_EVERY_MS = 5000;

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

  /** fetch with the token and a time limit. A broken connection or no answer in time
   * becomes a 503 with a Swedish message (never an exception), and a broken connection
   * shows the red banner: whatever was on its way was not saved. */
  async function call(url, options = {}, seconds = SECONDS.check) {
    const headers = { ...(options.headers || {}), "x-iopkit-token": TOKEN };
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    try {
      const response = await fetch(url, { credentials: "same-origin", ...options, headers,
        signal: abort.signal });
      connectionBack();
      return response;
    } catch (e) {
      const timedOut = abort.signal.aborted;
      if (!timedOut) connectionLost();
      const text = timedOut
        ? `Webbredigeraren svarade inte inom ${seconds} sekunder. Ingenting har sparats av det anropet; försök igen.`
        : "Webbredigeraren svarar inte. Ingenting har sparats.";
      return new Response(JSON.stringify({ fel: text }),
        { status: 503, headers: { "content-type": "application/json; charset=utf-8" } });
    } finally {
      clearTimeout(timer);
    }
  }

  function restartCommand() {
    const file = state.file ? ` "${state.file}"` : "";
    return `iopkit serve${file}`;
  }

  function connectionLost() {
    if (state.lost) return;
    state.lost = true;
    $("avbrott-text").textContent = "Anslutningen till webbredigeraren är bruten: ingenting " +
      "har sparats sedan dess, varken i filen eller som utkast" +
      (state.draft.savedText ? ` (det senaste utkastet sparades ${state.draft.savedText})` : "") +
      ". Det du har skrivit finns kvar " +
      "på sidan så länge den är öppen. Starta om webbredigeraren i kommandotolken med " +
      `${restartCommand()}, öppna adressen den skriver ut och välj ”Fortsätt där du slutade”. ` +
      "Spara gärna en kopia på datorn först.";
    $("avbrott").hidden = false;
    if (/^Sparat i /.test($("status").textContent)) say("");
  }

  function connectionBack() {
    if (!state.lost) return;
    state.lost = false;
    $("avbrott").hidden = true;
    scheduleDraft();
  }

  /** The page's own YAML text (model.js), made without the server: for the copy saved
   * while the connection is broken. */
  function saveCopy() {
    offer(new Blob([yamlText()], { type: "application/yaml" }), baseName());
    say(`En kopia är nedladdad som ${baseName()} (i webbläsarens mapp för nedladdningar).`);
  }

  async function json(url, options, seconds) {
    const response = await call(url, options, seconds);
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
    showDocuments(info);
    if (info.utkast) offerDraft(info.utkast);
    if (info.fel) { say(info.fel); return; }
    // The mode the file was last saved in from the page wins (the user chose it).
    if (info["läge"]) IopForm.setMode(info["läge"]);
    if (info.data && info.ny) {
      // A new partnership: a file `iopkit new` made with questions left, or a file
      // not written yet (`--typ`, "Nytt partnerskap" in a folder's list). The guide,
      // with the scaffold's FYLL I texts as empty fields that show the example (as a
      // kind chosen here); a save puts the FYLL I text back into every field left empty.
      if (!info["läge"]) IopForm.setMode("guide");
      open(info.data, info.kommentarer, true);
      return;
    }
    if (info.data) { open(info.data, info.kommentarer); return; }
    chooseKind(info.typer);
  }

  function showDocuments(info) {
    const report = Boolean(info.uppfoljningsfil);
    document.querySelector('tr[data-rad="arsrapport"]').hidden = !report;
    $("arsrapport-kalla").hidden = !report;
    if (report) {
      $("arsrapport-kalla").textContent = `Årsrapporten görs av uppföljningsfilen ${info.uppfoljningsfil} ` +
        "och avtalet som det är sparat, för det senaste året i uppföljningsfilen.";
    }
  }

  // ---- drafts -----------------------------------------------------------------------
  function offerDraft(draft) {
    state.offered = draft;
    const where = draft.namn ? ` (filen ${draft.namn}, öppnad från datorn)` : "";
    const page = placeName(draft.plats);
    $("utkast-text").textContent = `Det senaste utkastet${where} sparades ${draft.sparad_text}` +
      (state.file ? ", efter att filen sparades senast" : "") + ". " +
      `Välj ”Fortsätt där du slutade”${page ? ` för att komma tillbaka till ${page}` : ""}, ` +
      "eller släng utkastet" +
      (state.file ? " och arbeta vidare med filen som den är." : " och börja om.");
    $("utkast").hidden = false;
  }

  /** "frågan ”Vad vill ni åstadkomma?”" or "avsnittet ”Ekonomi”": where a draft was left. */
  function placeName(place) {
    if (!place || !place.steg) return "";
    if (place["läge"] === "guide" && IopGuide.isPage(place.steg)) {
      return `frågan ”${IopGuide.question(place.steg)}”`;
    }
    if (place["läge"] === "alla" && !IopGuide.isPage(place.steg)) {
      return `avsnittet ”${IopForm.label(place.steg)}”`;
    }
    return "";
  }

  function continueDraft() {
    const draft = state.offered;
    if (!draft) return;
    state.draft.id = draft.id;
    state.draft.noFile = !draft.fil;
    state.scaffold = draft.mall || null;
    if (draft.namn) {
      openedFromComputer(draft.namn, draft.grund || null);
    } else if (draft.version) {
      // The file's version the work started from: if the file has changed since, saving
      // shows the conflict dialog instead of replacing what is on disk now.
      state.version = draft.version;
    }
    $("utkast").hidden = true;
    $("valj-typ").hidden = true;
    // Back where the user was: the guide or every field, on the same page.
    const place = draft.plats || {};
    IopForm.setMode(place["läge"] === "guide" ? "guide" : "alla");
    open(draft.data, draft.kommentarer, false,
      { exempel: draft.exempel || {}, mallvarden: draft.mallvarden || {}, bekräftade: draft["bekräftade"] || [] });
    const at = state.steps.indexOf(place.steg);
    if (at > 0) show(at, true);
    state.dirty = true;
    say(`Utkastet från ${draft.sparad_text} är öppnat.` +
      (state.canSave ? " Spara när du vill skriva det till filen." : " Ladda ner YAML-filen när du är klar."));
  }

  async function discardDraft() {
    const draft = state.offered;
    if (!draft) return;
    const answer = await json("/api/utkast/slang", jsonPost({ id: draft.id, utan_fil: !draft.fil }), SECONDS.draft);
    if (!answer.ok) { say(answer.body ? answer.body.fel : "Utkastet kunde inte slängas."); return; }
    state.offered = null;
    $("utkast").hidden = true;
    say("Utkastet är slängt.");
  }

  function jsonPost(value, headers = {}) {
    return { method: "POST", body: JSON.stringify(value),
      headers: { "content-type": "application/json; charset=utf-8", ...headers } };
  }

  /** Every change is kept as a draft within a second: at most DRAFT_AT_MOST_MS after
   * the first change of a burst, one request at a time. */
  function scheduleDraft() {
    if (!state.steps.length) return;
    const draft = state.draft;
    if (!draft.first) draft.first = Date.now();
    clearTimeout(draft.timer);
    const wait = Math.max(0, Math.min(DRAFT_DELAY_MS, DRAFT_AT_MOST_MS - (Date.now() - draft.first)));
    draft.timer = setTimeout(saveDraft, wait);
  }

  async function saveDraft() {
    const draft = state.draft;
    if (draft.busy) { draft.again = true; return; }
    draft.busy = true;
    draft.first = 0;
    const answer = await json("/api/utkast", jsonPost({
      id: draft.id, utan_fil: draft.noFile, data: IopForm.toYamlData(), mall: state.scaffold,
      // The notes as they stand, and the ones cleared: a draft reopens as it was left.
      kommentarer: IopForm.commentList(), "bekräftade": IopForm.confirmedPaths(),
      version: state.version,
      plats: { "läge": IopForm.mode(), steg: state.steps[state.current] },
      exempel: IopForm.placeholderList(), mallvarden: IopForm.originalList(),
      namn: state.opened ? state.opened.name : null,
      grund: state.opened ? state.opened.text : null }), SECONDS.draft);
    draft.busy = false;
    if (answer.ok) {
      draft.id = answer.body.id;
      draft.savedText = answer.body.sparad_text;
      $("utkaststatus").textContent = `Utkast sparat ${answer.body.sparad_text.replace(/^den /, "")}.`;
    } else {
      $("utkaststatus").textContent = "Utkastet kunde inte sparas: " +
        (answer.body ? answer.body.fel : "okänt fel.");
    }
    if (draft.again) { draft.again = false; scheduleDraft(); }
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
        scheduleDraft();
      });
      const item = document.createElement("li");
      item.append(button);
      list.append(item);
    }
    $("valj-typ").hidden = false;
    $("arbete").hidden = true;
    list.querySelector("button").focus();
  }

  /** `kept`: what a draft kept of a new partnership, the empty fields' examples and
   * the scaffold values they replace ({exempel, mallvarden}). */
  function open(data, comments, fresh = false, kept = {}) {
    IopForm.setData(data, comments || [], kept["bekräftade"] || []);
    if (fresh) IopForm.emptyPlaceholders();
    else {
      IopForm.setPlaceholders(kept.exempel || {});
      IopForm.setOriginals(kept.mallvarden || {});
    }
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
    // The draft knows where the user is, so that it reopens there.
    if (state.dirty) scheduleDraft();
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
    scheduleDraft();
    scheduleCheck(CHECK_DELAY_MS);
  }

  /** A list item was added or removed; a removal can be undone once. */
  function structureChanged(focusPath, removal) {
    state.dirty = true;
    scheduleDraft();
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
    scheduleDraft();
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
    const answer = await json(`/api/check?${nameParameter().slice(1)}`, post("/api/check", text));
    if (seq !== state.checkSeq) return; // a newer change is on its way
    if (!answer.ok) { $("kontrollstatus").textContent = answer.body ? answer.body.fel : "Kontrollen misslyckades."; return; }
    const steady = IopForm.steadyFindings(answer.body.findings.filter((f) => !f.silenced));
    state.findings = steady.findings;
    const summary = answer.body.summary;
    const n = (severity) => state.findings.filter((f) => f.severity === severity).length;
    $("kontrollstatus").textContent = steady.earlier ? "Varningarna är från den senaste fullständiga " +
      "kontrollen: de kontrolleras igen när felen är rättade." : summary.errors
      ? "Reglerna kontrollerar redan det som är ifyllt; fler varningar kan komma när resten är ifyllt." : "";
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
      note.textContent = `${SEVERITY[finding.severity] || finding.severity}: ${IopForm.plain(IopForm.pageMessage(finding))} (${finding.code})`;
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

  // A label that is itself a question ("Bedömning: är avtalet ett offentligt kontrakt?")
  // is quoted, so the colon before the message does not run into its question mark.
  function placeOf(path) {
    const label = IopForm.labelOfPath(path);
    return /[?:]/.test(label) ? `”${label}”` : label;
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
        (finding.path ? ` i ${placeOf(finding.path)}` : "") + `: ${IopForm.plain(IopForm.pageMessage(finding))}`;
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
    const response = await call(`/api/render?dokument=avtal&format=html${nameParameter()}`,
      post("", text), SECONDS.render);
    if (seq !== state.previewSeq) return;
    if (!response.ok) {
      let message = "Förhandsvisningen kunde inte skapas.";
      try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
      $("forhandsstatus").textContent = message;
      return;
    }
    const html = await response.text();
    if (seq !== state.previewSeq) return;
    showPreview(html);
    $("forhandsstatus").textContent = "";
  }

  /** A new text in the preview at the place the reader was: the scroll position is
   * taken before the new document replaces the old and given back once it is laid out. */
  function showPreview(html) {
    const frame = $("forhandsvisning");
    let position = null;
    try {
      const view = frame.contentWindow;
      if (view && view.document && view.document.documentElement) {
        position = { x: view.scrollX, y: view.scrollY };
      }
    } catch (e) { position = null; }
    if (position && (position.x || position.y)) {
      frame.addEventListener("load", () => {
        try { frame.contentWindow.scrollTo(position.x, position.y); } catch (e) { /* gone */ }
      }, { once: true });
    }
    frame.srcdoc = html;
  }

  // ---- downloads and saving -----------------------------------------------------------
  function baseName() {
    if (state.opened) return state.opened.name;
    return state.file ? state.file.split(/[\\/]/).pop() : "avtal.yaml";
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

  /** `&namn=` for a file opened from the computer: the documents are named after it. */
  function nameParameter() {
    return state.opened ? `&namn=${encodeURIComponent(state.opened.name)}` : "";
  }

  function fileNameOf(response, fallback) {
    const given = response.headers.get("x-iopkit-filnamn");
    try { return given ? decodeURIComponent(given) : fallback; } catch (e) { return fallback; }
  }

  async function download(kind, format) {
    const expected = kind === "kalender" ? `${stem()}-kalender.ics` : `${stem()}-${kind}.${format}`;
    say(`Skapar ${expected} …`);
    const response = await call(`/api/render?dokument=${kind}&format=${format}${nameParameter()}`,
      post("", yamlText()), SECONDS.render);
    if (!response.ok) {
      let message = "Dokumentet kunde inte skapas.";
      try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
      say(message);
      return;
    }
    const name = fileNameOf(response, expected);
    offer(await response.blob(), name);
    say(`${name} är nedladdad (i webbläsarens mapp för nedladdningar).`);
  }

  // Saving sends the form's data, not YAML: the server changes only the values that
  // differ from the file, so its comments, order and quoting stay as they are.
  async function save(version) {
    if (!state.canSave) return;
    const text = yamlText();
    say("Sparar …");  // the old "Sparat i …" never stays on screen while this is under way
    const headers = { "x-iopkit-version": version };
    if (state.draft.id && !state.draft.noFile) headers["x-iopkit-utkast"] = state.draft.id;
    const answer = await json("/api/save", jsonPost({ data: IopForm.toYamlData(true), mall: state.scaffold,
      "bekräftade": IopForm.confirmedPaths(), "läge": IopForm.mode() }, headers), SECONDS.save);
    if (answer.status === 409 && answer.body && "disk" in answer.body) {
      say("Filen har ändrats på disken. Ingenting har sparats ännu: välj version.");
      conflict(answer.body, text);
      return;
    }
    if (!answer.ok) {
      say(`Ingenting har sparats: ${answer.body ? answer.body.fel : "filen kunde inte sparas."}`);
      return;
    }
    state.version = answer.body.version;
    state.dirty = false;
    if (!state.draft.noFile) state.draft.id = null;  // the server removed it: the file has it all
    say(`Sparat i ${answer.body.fil}. Den förra versionen finns i ${answer.body.backup}.`);
  }

  function conflict(body, mine) {
    $("konflikt-text").textContent = body.fel;
    $("konflikt-disk").value = body.disk;
    $("konflikt-min").value = body.min || mine;
    const area = $("konflikt-andringar");
    area.replaceChildren();
    const intro = document.createElement("p");
    if (body["jämförelse"]) {
      intro.textContent = body["jämförelse"];
      area.append(intro);
    } else if (!body["ändringar"] || !body["ändringar"].length) {
      intro.textContent = "De två versionerna säger samma sak i sak; de skiljer sig bara i hur " +
        "texten är skriven i filen.";
      area.append(intro);
    } else {
      intro.textContent = `Din version skiljer sig från den på disken på ${body.antal}. ` +
        "Om du sparar din version blir det så här (om du använder versionen på disken gäller " +
        "i stället det som står där):";
      area.append(intro);
      let section = null;
      let list = null;
      for (const change of body["ändringar"]) {
        if (change.avsnitt !== section) {
          section = change.avsnitt;
          const heading = document.createElement("h3");
          heading.textContent = section;
          list = document.createElement("ul");
          area.append(heading, list);
        }
        const item = document.createElement("li");
        item.textContent = change.mening;
        if (change.tidigare) item.textContent += ` (På disken: ”${change.tidigare}”.)`;
        list.append(item);
      }
    }
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

  // ---- a file from the computer -----------------------------------------------------
  const MAX_OPEN_BYTES = 2 * 1024 * 1024;

  function openedFromComputer(name, text) {
    state.opened = { name, text };
    state.canSave = false;
    state.draft.noFile = true;
    $("spara").hidden = true;
    $("fil").textContent = `Öppnad från datorn: ${name}. Den sparas inte i någon fil förrän du ` +
      "laddar ner den (YAML-fil) och sparar den där du vill; ett utkast sparas hela tiden.";
  }

  async function openFile(file) {
    if (!file) return;
    if (file.size > MAX_OPEN_BYTES) {
      say(`${file.name} är ${(file.size / 1024 / 1024).toFixed(1)} MB. Webbredigeraren läser högst 2 MB; en partnerskapsbeskrivning är normalt några kilobyte.`);
      return;
    }
    if (!/\.ya?ml$/i.test(file.name)) {
      say(`${file.name} är ingen YAML-fil. Välj en partnerskapsbeskrivning som slutar på .yaml.`);
      return;
    }
    say(`Läser ${file.name} …`);
    const bytes = await file.arrayBuffer();
    const answer = await json(`/api/parse?namn=${encodeURIComponent(file.name)}`,
      { method: "POST", body: bytes, headers: { "content-type": "application/yaml" } });
    if (!answer.ok) {
      const where = answer.body && answer.body.findings && answer.body.findings[0];
      const line = where && where.line ? ` (rad ${where.line}${where.column ? `, kolumn ${where.column}` : ""})` : "";
      say(`${file.name} kunde inte öppnas${line}: ${answer.body ? answer.body.fel : "okänt fel."} Ingenting i formuläret har ändrats.`);
      return;
    }
    if (state.draft.timer) { clearTimeout(state.draft.timer); await saveDraft(); }
    state.draft.id = null;  // the work so far stays in its own draft
    openedFromComputer(file.name, new TextDecoder("utf-8").decode(bytes));
    state.scaffold = null;
    $("valj-typ").hidden = true;
    $("utkast").hidden = true;
    open(answer.body.data, answer.body.kommentarer);
    state.dirty = false;
    say(`${file.name} är öppnad. Kontrollen och förhandsvisningen visar den nu.`);
  }

  function wire() {
    $("foregaende").addEventListener("click", () => show(state.current - 1, true));
    $("nasta").addEventListener("click", () => show(state.current + 1, true));
    $("spara").addEventListener("click", () => save(state.version));
    document.querySelectorAll("button[data-dokument]").forEach((button) => {
      button.addEventListener("click", () => download(button.dataset.dokument, button.dataset.format));
    });
    $("oppna").addEventListener("click", () => $("oppna-fil").click());
    $("oppna-fil").addEventListener("change", (event) => {
      const file = event.target.files[0];
      event.target.value = "";
      openFile(file);
    });
    $("fortsatt").addEventListener("click", continueDraft);
    $("slang-utkast").addEventListener("click", discardDraft);
    $("kopia").addEventListener("click", saveCopy);
    $("ladda-yaml").addEventListener("click", async () => {
      // The same lossless text a save would write (comments and all), not the page's own;
      // for a file opened from the computer, merged onto that file's text.
      const request = { data: IopForm.toYamlData(true), mall: state.scaffold,
        "bekräftade": IopForm.confirmedPaths() };
      if (state.opened && state.opened.text !== null) request.grund = state.opened.text;
      const response = await call("/api/yaml", jsonPost(request));
      if (!response.ok) {
        let message = "YAML-filen kunde inte skapas.";
        try { message = (await response.json()).fel || message; } catch (e) { /* keep */ }
        say(message);
        return;
      }
      offer(await response.blob(), baseName());
      if (!state.canSave) state.dirty = false;  // downloading is how this work is kept
      say(`${baseName()} är nedladdad (i webbläsarens mapp för nedladdningar).`);
    });
    $("behall-min").addEventListener("click", () => {
      const version = $("konflikt").dataset.version;
      $("konflikt").close();
      save(version);
    });
    $("anvand-disk").addEventListener("click", useDisk);
    $("angra").addEventListener("click", undoRemoval);
    $("avbryt-konflikt").addEventListener("click", () => {
      $("konflikt").close();
      say("Ingenting har sparats. Spara igen när du har bestämt dig.");
    });
    window.addEventListener("beforeunload", (event) => {
      // Unsaved changes: the browser asks before the page is closed or reloaded (the
      // draft has them too, but the user should not have to know that).
      if (!state.dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    setInterval(async () => {
      if (document.hidden && !state.lost) return;
      await call("/api/puls", {}, SECONDS.alive);
    }, ALIVE_EVERY_MS);
  }

  wire();
  start();
})();

