// The list of a folder's partnerships (`iopkit serve KATALOG`): the register's rows from
// /api/katalog, sortable; each name opens the editor on that file (/avtal/<fil>); the
// register's files are downloaded from /api/katalog/hamta, made by `iopkit oversikt`'s
// own code. Every text from a file is set with textContent, never as markup.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const state = { rows: [], sortKey: null, ascending: true, date: "", days: 90 };

  // The access key, as in the editor's page: from the address on the first load (then
  // removed from the address bar), kept in this tab's sessionStorage, where the editor
  // pages opened from the list find it too.
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
      return new Response(JSON.stringify({ fel: "Webbredigeraren svarar inte. Kör `iopkit serve` fortfarande? Starta den igen och ladda om sidan." }),
        { status: 503, headers: { "content-type": "application/json; charset=utf-8" } });
    }
  }

  async function answerOf(response) {
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    return body;
  }

  function say(text) { $("status").textContent = text; }

  function count(number, one, many) { return `${number} ${number === 1 ? one : many}`; }

  const KRONOR = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });
  function kronor(value) { return value === null || value === undefined ? "" : `${KRONOR.format(value)} kr`; }
  function euro(value) { return `${KRONOR.format(value)} euro`; }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function query() {
    const params = new URLSearchParams();
    if (state.date) params.set("datum", state.date);
    params.set("dagar", String(state.days));
    return params.toString();
  }

  function editorAddress(file) {
    return "/avtal/" + file.split("/").map(encodeURIComponent).join("/");
  }

  // ---- the list ---------------------------------------------------------------------
  async function load() {
    say("Läser partnerskapen …");
    const response = await call(`/api/katalog?${query()}`);
    const body = await answerOf(response);
    if (!response.ok || !body) {
      say((body && body.fel) || "Listan kunde inte läsas.");
      return;
    }
    state.rows = body.partnerskap;
    state.date = body.datum;
    state.days = body.dagar;
    $("datum").value = body.datum;
    $("dagar").value = String(body.dagar);
    $("katalog").textContent = `Katalog: ${body.katalog}`;
    const broken = body.partnerskap.filter((row) => row.fel > 0).length;
    $("sammanfattning").textContent =
      `${body.partnerskap.length} partnerskap` + (broken ? ` (${broken} med fel)` : "") +
      `, ${count(body.frister.length, "frist", "frister")} de närmaste ${body.dagar} dagarna från ${body.datum}` +
      `, ${count(body.varningar.length, "varning", "varningar")} om stöd av mindre betydelse.`;
    kinds(body.typer);
    showRows();
    showDeadlines(body.frister);
    showAid(body.organisationer, body.varningar);
    showOthers(body.uppfoljning, body.olasbara);
    say(`Listan visar läget den ${body.datum}.`);
  }

  function sortValue(row, key) {
    if (key === "parter") return `${row.offentliga} ${row.ideburna}`;
    if (key === "stod") return row.stod.reduce((sum, aid) => sum + aid.kr, 0);
    const value = row[key];
    return value === null || value === undefined ? "" : value;
  }

  function compare(a, b) {
    const x = sortValue(a, state.sortKey), y = sortValue(b, state.sortKey);
    let result;
    if (typeof x === "number" && typeof y === "number") result = x - y;
    else if (x === "" && y !== "") result = 1;  // empty last, whichever way
    else if (y === "" && x !== "") result = -1;
    else result = String(x).localeCompare(String(y), "sv");
    return state.ascending || x === "" || y === "" ? result : -result;
  }

  function showRows() {
    const rows = state.sortKey ? [...state.rows].sort(compare) : state.rows;
    const body = $("lista").tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      tr.dataset.fil = row.fil;

      const name = document.createElement("td");
      const link = element("a", row.namn);
      link.href = editorAddress(row.fil);
      name.append(link, element("span", row.fil + (row.diarienummer ? `, dnr ${row.diarienummer}` : ""), "liten"));
      if (row.forsta_fel) name.append(element("span", `Första felet: ${row.forsta_fel}`, "liten har-fel"));

      const parties = document.createElement("td");
      parties.append(element("span", row.offentliga), element("span", row.organ, "liten"),
                     element("span", row.ideburna), element("span", row.organisationsnummer, "liten"));

      const period = document.createElement("td");
      if (row.start) period.append(element("span", `${row.start} –`, "datum"), " ", element("span", row.slut, "datum"));
      const money = element("td", kronor(row.totalt), "num");
      const years = Object.entries(row.per_ar);
      if (years.length > 1) money.title = years.map(([year, kr]) => `${year}: ${kronor(kr)}`).join(", ");

      const next = element("td", row.nasta_datum ? `${row.nasta_datum}: ${row.nasta_vad}` : "");
      const errors = element("td", String(row.fel), row.fel ? "num har-fel" : "num");
      const warnings = element("td", String(row.varningar), row.varningar ? "num har-varning" : "num");

      const aid = document.createElement("td");
      for (const grant of row.stod) {
        aid.append(element("span", `${grant.mottagare}: ${kronor(grant.kr)} (${euro(grant.euro)})`));
        aid.append(element("span", `tre år: ${euro(grant.tre_ar_euro)}` + (grant.over_taket ? "; ingår i en summa över taket, se varningen" : ""),
                           grant.over_taket ? "liten over-taket" : "liten"));
      }
      tr.append(name, parties, element("td", row.status, row.fel ? "har-fel" : ""), period,
                money, next, errors, warnings, aid);
      body.append(tr);
    }
    $("inga").hidden = state.rows.length > 0;
  }

  function sortable() {
    for (const th of $("lista").tHead.rows[0].cells) {
      const button = element("button", th.textContent);
      button.type = "button";
      th.replaceChildren(button);
      button.addEventListener("click", () => {
        const key = th.dataset.nyckel;
        state.ascending = state.sortKey === key ? !state.ascending : true;
        state.sortKey = key;
        for (const other of th.parentElement.cells) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", state.ascending ? "ascending" : "descending");
        showRows();
      });
    }
  }

  function showDeadlines(deadlines) {
    const body = $("frister").tBodies[0];
    body.replaceChildren();
    for (const deadline of deadlines) {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      const link = element("a", deadline.partnerskap);
      link.href = editorAddress(deadline.fil);
      name.append(link);
      tr.append(element("td", deadline.datum), name, element("td", deadline.vad));
      body.append(tr);
    }
    $("rubrik-frister").textContent = `Frister de närmaste ${state.days} dagarna`;
    $("inga-frister").hidden = deadlines.length > 0;
    $("frister").hidden = deadlines.length === 0;
  }

  function showAid(organisations, warnings) {
    const list = $("varningar");
    list.replaceChildren(...warnings.map((text) => element("li", text)));
    const body = $("organisationer").tBodies[0];
    body.replaceChildren();
    for (const org of organisations) {
      const tr = document.createElement("tr");
      const grants = document.createElement("td");
      for (const grant of org.bidrag) {
        grants.append(element("span", `${grant.partnerskap}: ${kronor(grant.kr)} (${euro(grant.euro)}), ${grant.datum}`, "liten"));
      }
      tr.append(element("td", org.namn), element("td", org.organisationsnummer), grants,
                element("td", euro(org.hogsta_tre_ar_euro), org.varningar.length ? "num over-taket" : "num"));
      body.append(tr);
    }
    $("inga-stod").hidden = organisations.length > 0;
    $("organisationer").hidden = organisations.length === 0;
  }

  function showOthers(followUps, unreadable) {
    const list = $("ovriga");
    list.replaceChildren(
      ...followUps.map((file) => element("li", `${file}: uppföljningsfil (öppnas med iopkit uppfoljning, inte här).`)),
      ...unreadable.map((item) => element("li", `${item.fil}: ${item.fel}`)));
    $("ovrigt").hidden = list.children.length === 0;
  }

  function kinds(choices) {
    const select = $("nytt-typ");
    if (select.options.length) return;
    for (const choice of choices) {
      const option = element("option", `${choice.namn}: ${choice.beskrivning}`);
      option.value = choice.namn;
      select.append(option);
    }
  }

  // ---- downloads, a new partnership ---------------------------------------------------
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

  function fileName(response, fallback) {
    const header = response.headers.get("content-disposition") || "";
    const match = /filename\*=UTF-8''([^;]+)/.exec(header);
    return match ? decodeURIComponent(match[1]) : fallback;
  }

  async function download(choice) {
    say("Skapar översikten …");
    const response = await call(`/api/katalog/hamta?format=${encodeURIComponent(choice)}&${query()}`);
    if (!response.ok) {
      const body = await answerOf(response);
      say((body && body.fel) || "Översikten kunde inte skapas.");
      return;
    }
    const name = fileName(response, `oversikt.${choice}`);
    offer(await response.blob(), name);
    say(`${name} är nedladdad.`);
  }

  async function create(event) {
    event.preventDefault();
    const status = $("nytt-status");
    status.textContent = "";
    const response = await call("/api/katalog/nytt", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ namn: $("nytt-namn").value, typ: $("nytt-typ").value }),
    });
    const body = await answerOf(response);
    if (!response.ok || !body) {
      status.textContent = (body && body.fel) || "Partnerskapet kunde inte skapas.";
      $("nytt-namn").focus();
      return;
    }
    window.location.assign(body.adress);
  }

  document.addEventListener("DOMContentLoaded", () => {
    sortable();
    for (const button of document.querySelectorAll("[data-hamta]")) {
      button.addEventListener("click", () => download(button.dataset.hamta));
    }
    $("urval").addEventListener("submit", (event) => {
      event.preventDefault();
      state.date = $("datum").value;
      state.days = Number($("dagar").value);
      load();
    });
    $("nytt").addEventListener("submit", create);
    load();
  });
})();
