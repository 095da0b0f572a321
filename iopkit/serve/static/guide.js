// The guide: a new partnership one question at a time, in the order the work is done
// (who you are, the parties, the need you found together, what you want to achieve, who
// does what, what each brings, how long, how you follow up, the legal questions), then a
// summary. Each page shows fields of the same data the full form edits ("Alla fält"), so
// switching between the two loses nothing. The verdict on the legal page is the
// checker's own (/api/check's `blocks_decision`, iopkit/rules/verdict.py).
"use strict";

const IopGuide = (() => {
  const P = (text) => text.split(".");
  const PAGES = [
    { key: "guide-du", title: "Om dig", question: "Vem är du?",
      why: "Du som handlägger ärendet står i tjänsteskrivelsen och i checklistan.",
      paths: [P("process.handläggare.namn"), P("process.handläggare.titel")] },
    { key: "guide-parter", title: "Parterna", question: "Vilka är parterna?",
      why: "Ett IOP har minst en offentlig part (kommun, region eller myndighet) och minst en idéburen organisation. Firmatecknarna skriver under avtalet.",
      paths: [["parter"]] },
    { key: "guide-behov", title: "Behoven", question: "Vilket behov har ni funnit tillsammans?",
      why: "Det som skiljer ett IOP från ett bidrag eller ett köp: parterna tar fram behoven tillsammans innan de bestämmer mål och insatser.",
      paths: [P("behovsinventering.datum"), P("behovsinventering.genomförd_av"),
        P("behovsinventering.metod"), P("behovsinventering.underlag"), P("behovsinventering.behov")] },
    { key: "guide-mal", title: "Målen", question: "Vad vill ni åstadkomma?",
      why: "Syftet är gemensamt; varje mål svarar mot ett behov och får en indikator så att ni kan följa upp det.",
      paths: [P("partnerskap.namn"), P("partnerskap.syfte"), P("partnerskap.målgrupp"),
        P("partnerskap.bakgrund"), ["mål"]] },
    { key: "guide-insatser", title: "Vem gör vad", question: "Vem gör vad?",
      why: "Varje mål behöver minst en insats och en part som ansvarar för den. Beskriv utan att detaljstyra: organisationens eget arbetssätt ska få plats.",
      paths: [P("partnerskap.verksamhetsområden"), ["insatser"]] },
    { key: "guide-resurser", title: "Vad var och en bidrar med", question: "Vad bidrar var och en med?",
      why: "I ett IOP bidrar båda sidor: pengar, personal, lokaler, kunnande eller ideell tid.",
      paths: [["resurser"], P("ekonomi.utbetalning"), P("ekonomi.redovisning"), P("ekonomi.outnyttjade_medel")] },
    { key: "guide-period", title: "Hur länge", question: "Hur länge ska avtalet gälla?",
      why: "Ange första dagen och antalet år; sista dagen räknas fram.",
      paths: [P("avtalsperiod.uppsägningstid_månader"), P("avtalsperiod.förlängning")], period: true },
    { key: "guide-uppfoljning", title: "Uppföljning", question: "Hur följer ni upp arbetet?",
      why: "Partnerskapsgruppen styr arbetet tillsammans; uppföljningen visar om ni når målen.",
      paths: [P("uppföljning.intervall"), P("uppföljning.första_datum"), P("uppföljning.årsrapport"),
        P("styrning.partnerskapsgrupp"), P("styrning.beslutsform"), P("styrning.mötesfrekvens")] },
    { key: "guide-juridik", title: "De rättsliga frågorna", question: "Är det här ett partnerskap, eller ett köp?",
      why: "Svaren avgör om avtalet kan vara ett offentligt kontrakt som ska upphandlas, eller statsstöd.",
      paths: [P("rättslig_bedömning.statsstöd"), P("rättslig_bedömning.statsstöd_grund"),
        P("personuppgifter.behandlas"), P("personuppgifter.ansvar")], legal: true },
    { key: "guide-sammanfattning", title: "Sammanfattning", question: "Så här ser partnerskapet ut",
      why: "Gå tillbaka till en fråga i listan till vänster för att ändra. Under ”Alla fält” finns resten av uppgifterna.",
      paths: [], summary: true },
  ];
  const BY_KEY = new Map(PAGES.map((page) => [page.key, page]));

  // The prövning questions (FORMAT.md `rättslig_bedömning.prövning`) in everyday words,
  // each with a short why. "{k}" is the public party ("kommunen", "regionen" …).
  const QUESTIONS = [
    { key: "tidigare_upphandlad", text: "Har {k} tidigare köpt eller upphandlat den här verksamheten, eller en liknande?",
      why: "Har verksamheten köpts förut har den behandlats som en tjänst som {k} köper. Det är ett starkt tecken på ett offentligt kontrakt (HFD 2020 ref. 15)." },
    { key: "lagstadgad_insats", text: "Är verksamheten något som {k} enligt lag måste ge enskilda personer?",
      why: "Till exempel bistånd enligt socialtjänstlagen eller insatser enligt LSS. Då kan organisationen i stället utföra {k}s egen uppgift." },
    { key: "individuella_beslut", text: "Placerar {k} personer i verksamheten genom egna beslut?",
      why: "Kommer deltagarna dit genom {k}s beslut eller anvisningar talar det för att organisationen utför en tjänst åt {k}." },
    { key: "marknad", text: "Erbjuder andra samma sak mot betalning?",
      why: "Finns det en marknad kan stödet vara statsstöd. Att det saknas en marknad betyder inte att upphandlingsreglerna inte gäller." },
    { key: "behöver_utföras", text: "Skulle {k} behöva ordna verksamheten på annat sätt om organisationen slutade?",
      why: "Behöver {k} få verksamheten utförd liknar avtalet ett köp. I ett IOP stöder {k} organisationens egen verksamhet." },
  ];
  const ANSWERS = ["ja", "nej", "vet inte"];
  const PUBLIC = { kommun: "kommunen", region: "regionen", "statlig myndighet": "myndigheten" };

  let ui = null; // form.js's helpers, given on each render
  const refreshers = [];

  function pages() { return PAGES.map((page) => page.key); }
  function isPage(key) { return BY_KEY.has(key); }
  function title(key) { return BY_KEY.get(key).title; }
  function question(key) { return BY_KEY.get(key).question; }

  /** The page a finding at `path` ("parter[1].namn") belongs on; the summary for the rest. */
  function pageOf(path) {
    const text = String(path || "");
    if (/^rättslig_bedömning/.test(text)) return "guide-juridik";
    let best = null;
    let length = -1;
    for (const page of PAGES) {
      for (const p of page.paths) {
        const prefix = p.join(".");
        const plain = text.replace(/\[\d+\]/g, "");
        if ((plain === prefix || plain.startsWith(prefix + ".")) && prefix.length > length) {
          best = page.key;
          length = prefix.length;
        }
      }
    }
    if (!best && /^avtalsperiod/.test(text)) return "guide-period";
    return best || "guide-sammanfattning";
  }

  function publicWord() {
    const parties = ui.get(["parter"]);
    const first = Array.isArray(parties) ? parties.find((p) => p && PUBLIC[p.typ]) : null;
    return first ? PUBLIC[first.typ] : "den offentliga parten";
  }

  function words(text) { return text.replace(/\{k\}/g, publicWord()); }

  function render(key, formApi) {
    ui = formApi;
    const { el } = ui;
    const page = BY_KEY.get(key);
    const index = PAGES.indexOf(page);
    const headingId = ui.nextId();
    const section = el("section", { class: "steg guide", "data-path": key, "aria-labelledby": headingId });
    section.append(
      el("p", { class: "framsteg", text: `Fråga ${index + 1} av ${PAGES.length}` }),
      el("progress", { max: String(PAGES.length), value: String(index + 1),
        "aria-label": `Fråga ${index + 1} av ${PAGES.length}` }),
      el("h2", { id: headingId, tabindex: "-1", text: page.question }),
      el("p", { class: "hjalp", text: words(page.why) }),
      el("div", { class: "fynd-plats" }));
    refreshers.length = 0;
    if (page.period) section.append(periodFields());
    if (page.legal) section.append(legalQuestions());
    for (const path of page.paths) section.append(ui.renderPath(path));
    if (page.summary) section.append(summary());
    section.append(el("p", { class: "hjalp" }, el("button", { type: "button", class: "lank",
      text: "Visa alla fält i stället", onclick: () => ui.switchMode("alla") })));
    return section;
  }

  // ---- how long: start + number of years --------------------------------------------
  function addYears(isoDate, years) {
    const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(isoDate || "");
    if (!match) return null;
    const day = new Date(Date.UTC(Number(match[1]) + years, Number(match[2]) - 1, Number(match[3])));
    day.setUTCDate(day.getUTCDate() - 1);
    return day.toISOString().slice(0, 10);
  }

  function yearsOf(start, end) {
    for (let n = 1; n <= 10; n += 1) if (addYears(start, n) === end) return n;
    return null;
  }

  function periodFields() {
    const { el } = ui;
    const box = el("div", { class: "period" });
    const startPath = ["avtalsperiod", "start"];
    const endPath = ["avtalsperiod", "slut"];
    if (!ui.get(["avtalsperiod"])) ui.set(["avtalsperiod"], {});
    box.append(ui.renderPath(startPath, "Avtalets första dag"));
    const selectId = ui.nextId();
    const select = el("select", { id: selectId, name: "guide.antal_år" });
    select.append(el("option", { value: "", text: "– välj –" }));
    for (let n = 1; n <= 10; n += 1) select.append(el("option", { value: String(n), text: n === 1 ? "1 år" : `${n} år` }));
    select.append(el("option", { value: "annat", text: "Annan längd: ange sista dagen" }));
    const result = el("p", { class: "hjalp", "aria-live": "polite" });
    const endBox = el("div", {});
    const apply = () => {
      const start = String(ui.get(startPath) || "");
      if (select.value === "annat") {
        if (!endBox.childNodes.length) endBox.append(ui.renderPath(endPath, "Avtalets sista dag"));
        result.textContent = "";
        return;
      }
      endBox.replaceChildren();
      const end = select.value ? addYears(start, Number(select.value)) : null;
      if (end) {
        ui.set(endPath, end);
        ui.filledIn(endPath);
        result.textContent = `Avtalet gäller till och med ${end}.`;
      } else {
        result.textContent = select.value ? "Skriv först avtalets första dag (ÅÅÅÅ-MM-DD)." : "";
      }
    };
    const current = yearsOf(String(ui.get(startPath) || ""), String(ui.get(endPath) || ""));
    select.value = current ? String(current) : (ui.get(endPath) ? "annat" : "");
    select.addEventListener("change", () => { apply(); ui.onChange(endPath); });
    box.addEventListener("input", (event) => {
      if (event.target.name === "avtalsperiod.start" && select.value && select.value !== "annat") {
        apply();
        ui.onChange(endPath);
      }
    });
    box.append(el("div", { class: "falt", "data-path": "avtalsperiod.slut" },
      el("label", { for: selectId, text: "Hur många år?" }), select, result, endBox,
      el("div", { class: "fynd-plats" })));
    apply();
    return box;
  }

  // ---- the legal questions ------------------------------------------------------------
  function legalQuestions() {
    const { el } = ui;
    const box = el("div", { class: "provning" });
    if (!ui.get(["rättslig_bedömning"])) ui.set(["rättslig_bedömning"], {});
    if (!ui.get(["rättslig_bedömning", "prövning"])) ui.set(["rättslig_bedömning", "prövning"], {});
    for (const question of QUESTIONS) {
      const path = ["rättslig_bedömning", "prövning", question.key];
      const legendId = ui.nextId();
      const whyId = ui.nextId();
      const group = el("fieldset", { class: "fraga", "data-path": path.join("."),
        "aria-describedby": whyId },
      el("legend", { id: legendId, text: words(question.text) }),
      el("p", { class: "hjalp", id: whyId, text: words(question.why) }));
      const row = el("div", { class: "svar" });
      for (const answer of ANSWERS) {
        const id = ui.nextId();
        const radio = el("input", { type: "radio", id, name: path.join("."), value: answer });
        radio.checked = String(ui.get(path) || "") === answer;
        radio.addEventListener("change", () => {
          ui.set(path, answer);
          ui.onChange(path);
          refresh();
        });
        row.append(el("span", { class: "val" }, radio, el("label", { for: id, text: answer })));
      }
      group.append(row, el("div", { class: "fynd-plats" }));
      box.append(group);
    }
    const verdict = el("div", { class: "utslag", role: "status", "aria-live": "polite" });
    const suggestion = el("div", { class: "forslag" });
    const textPath = ["rättslig_bedömning", "upphandling"];
    box.append(el("h3", { text: "Vad kontrollen säger" }), verdict,
      el("h3", { text: "Er bedömning av upphandlingsfrågan" }), suggestion,
      ui.renderPath(textPath, "Bedömning: är avtalet ett offentligt kontrakt?"));
    const refresh = () => {
      showVerdict(verdict);
      showSuggestion(suggestion, textPath);
    };
    refreshers.push(refresh);
    refresh();
    return box;
  }

  function showVerdict(box) {
    const { el } = ui;
    const findings = IopModel.findings().filter((f) => !f.earlier);
    const errors = findings.filter((f) => f.severity === "fel");
    const blocking = findings.filter((f) => f.blocks_decision && f.severity !== "fel");
    box.replaceChildren();
    if (!IopModel.checked()) {
      box.append(el("p", { text: "Kontrollen har inte körts ännu." }));
      return;
    }
    if (errors.length) {
      box.append(el("p", { text: `Beskrivningen har ${errors.length} fel. iopkit bedömer de rättsliga frågorna när felen är rättade.` }));
      return;
    }
    if (!blocking.length) {
      box.append(el("p", { text: "Enligt iopkits kontroll finns inget öppet tecken som stoppar beslutet. Kontrollen ersätter inte er egen bedömning." }));
      return;
    }
    box.append(el("p", { text: `Kontrollen hittar ${blocking.length === 1 ? "ett tecken" : `${blocking.length} tecken`} som stoppar beslutet tills det är bedömt:` }));
    const list = el("ul", {});
    for (const finding of blocking) list.append(el("li", { text: ui.plain(finding.message) }));
    box.append(list);
  }

  /** A suggested text only when every sign of a public contract is answered "nej": a
   * "ja" or "vet inte" needs a real assessment, which iopkit cannot write. */
  function showSuggestion(box, textPath) {
    const { el } = ui;
    const answers = ui.get(["rättslig_bedömning", "prövning"]) || {};
    const signs = ["tidigare_upphandlad", "lagstadgad_insats", "individuella_beslut", "behöver_utföras"];
    box.replaceChildren();
    if (!QUESTIONS.every((q) => answers[q.key])) {
      box.append(el("p", { class: "hjalp", text: "Svara på frågorna ovan, så föreslår iopkit en text när svaren tillåter det." }));
      return;
    }
    if (!signs.every((s) => answers[s] === "nej")) {
      box.append(el("p", { class: "hjalp", text: "Något svar är ja eller vet inte. Då behöver ni själva bedöma och förklara varför avtalet ändå stöder organisationens egen verksamhet, eller pröva om det ska upphandlas, gärna med upphandlingsenheten. iopkit föreslår ingen text då." }));
      return;
    }
    const k = publicWord();
    const text = `Parterna har gått igenom tecknen på ett offentligt kontrakt (HFD 2020 ref. 15). ` +
      `${k.charAt(0).toUpperCase()}${k.slice(1)} har inte tidigare köpt eller upphandlat verksamheten, verksamheten är inte en insats som ${k} enligt lag måste ge enskilda, ` +
      `deltagarna kommer inte dit genom ${k}s beslut och ${k} skulle inte behöva ordna verksamheten på annat sätt om organisationen slutade. ` +
      `Organisationen åtar sig därmed inte att mot ersättning utföra en tjänst åt ${k}; stödet bidrar till organisationens egen verksamhet. ` +
      `Parternas bedömning är därför att avtalet inte är ett offentligt kontrakt enligt lagen (2016:1145) om offentlig upphandling.`;
    box.append(el("p", { class: "hjalp", text: "Förslag utifrån era svar (ändra gärna):" }),
      el("blockquote", { text }),
      el("button", { type: "button", text: "Använd förslaget", onclick: () => {
        const now = String(ui.get(textPath) || "").trim();
        if (now && now !== text && !window.confirm("Ersätta texten som redan står i bedömningen?")) return;
        ui.set(textPath, text);
        ui.filledIn(textPath);
        ui.onStructure(textPath.join("."));
      } }));
  }

  // ---- the summary --------------------------------------------------------------------
  function summary() {
    const { el } = ui;
    const box = el("div", { class: "sammanfattning" });
    const text = (value) => (value === undefined || value === null || value === "" ? "–" : String(value));
    const items = (path, key) => (ui.get(path) || []).map((item, i) => `${i + 1}. ${text(item && item[key])}`);
    const rows = [
      ["Partnerskapet", [text(ui.get(["partnerskap", "namn"]))]],
      ["Parter", items(["parter"], "namn")],
      ["Behov", items(["behovsinventering", "behov"], "beskrivning")],
      ["Mål", items(["mål"], "beskrivning")],
      ["Insatser", items(["insatser"], "beskrivning")],
      ["Resurser", (ui.get(["resurser"]) || []).map((r, i) => `${i + 1}. ${text(r && r.typ)}: ${text(r && r.beskrivning)}`)],
      ["Avtalsperiod", [`${text(ui.get(["avtalsperiod", "start"]))} – ${text(ui.get(["avtalsperiod", "slut"]))}`]],
      ["Uppföljning", [text(ui.get(["uppföljning", "intervall"]))]],
    ];
    const list = el("dl", {});
    for (const [name, values] of rows) {
      list.append(el("dt", { text: name }));
      for (const value of values.length ? values : ["–"]) list.append(el("dd", { text: value }));
    }
    const verdict = el("div", { class: "utslag", role: "status", "aria-live": "polite" });
    refreshers.push(() => showVerdict(verdict));
    showVerdict(verdict);
    box.append(list, el("h3", { text: "Vad kontrollen säger" }), verdict);
    return box;
  }

  /** After every check: the verdict boxes show the new findings. */
  function refresh() { for (const run of refreshers) run(); }

  return { pages, isPage, title, question, pageOf, render, refresh };
})();
