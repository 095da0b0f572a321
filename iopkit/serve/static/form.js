// The form, generated from the JSON Schema (/api/schema): a key the model gains appears
// here without code changes. The page's data is a plain object; every control writes
// into it and calls `onChange`. References (a goal's needs, an activity's responsible
// party …) are drop-downs or check boxes of the ids that exist.
"use strict";

const IopForm = (() => {
  // Labels in plain Swedish, by key path (list positions as []) or by key.
  const PATH_LABELS = {
    "partnerskap.namn": "Partnerskapets namn", "partnerskap.kortnamn": "Kort namn i löptext",
    "partnerskap.bakgrund": "Bakgrund: varför behövs partnerskapet?",
    "partnerskap.syfte": "Syfte: vad vill ni åstadkomma tillsammans?",
    "partnerskap.målgrupp": "Vilka är verksamheten till för?",
    "partnerskap.verksamhetsområden": "Verksamhetsområden", "partnerskap.barn": "Berör verksamheten barn?",
    "parter[].namn": "Namn", "parter[].typ": "Typ av organisation", "parter[].organ": "Nämnd eller styrelse",
    "parter[].registrerad_idéburen": "Registrerad som idéburen organisation hos Kammarkollegiet",
    "parter[].verksamhetsidé": "Organisationens egen idé", "parter[].ivo_tillstånd": "Tillstånd från IVO",
    "behovsinventering.datum": "När tog ni fram behoven?",
    "behovsinventering.genomförd_av": "Vilka parter var med?",
    "behovsinventering.metod": "Hur tog ni fram behoven?", "behovsinventering.underlag": "Underlag ni använde",
    "behovsinventering.behov[].beskrivning": "Behovet", "mål[].beskrivning": "Målet",
    "mål[].behov": "Vilka behov svarar målet mot?", "insatser[].beskrivning": "Vad görs?",
    "insatser[].mål": "Vilka mål leder insatsen till?", "insatser[].ansvarig": "Vem ansvarar?",
    "resurser[].part": "Vem bidrar?", "resurser[].typ": "Slag av resurs", "resurser[].mottagare": "Vem tar emot?",
    "resurser[].belopp_per_år": "Belopp per år (kr)", "resurser[].värde_per_år": "Uppskattat värde per år (kr)",
    "resurser[].timmar_per_år": "Timmar per år",
    "ekonomi.ersättningsform": "Hur ges pengarna?", "ekonomi.outnyttjade_medel": "Pengar som inte används",
    "ekonomi.budgetförbehåll": "Förbehåll för nämndens budget", "ekonomi.viten": "Viten i avtalet",
    "rättslig_bedömning.upphandling": "Bedömning: är avtalet ett offentligt kontrakt?",
    "rättslig_bedömning.statsstöd": "Bedömning: är stödet statsstöd?",
    "rättslig_bedömning.statsstöd_grund": "Varför stödet är tillåtet",
    "rättslig_bedömning.eurokurs": "Eurokurs (kr per euro)",
    "styrning.partnerskapsgrupp": "Vilka parter sitter i partnerskapsgruppen?",
    "styrning.beslutsform": "Hur fattar gruppen beslut?", "styrning.mötesfrekvens": "Hur ofta möts ni?",
    "uppföljning.intervall": "Hur ofta följer ni upp?", "uppföljning.första_datum": "Första uppföljningen",
    "uppföljning.årsrapport": "När lämnas årsrapporten?", "uppföljning.utvärdering": "Hur utvärderas partnerskapet?",
    "avtalsperiod.start": "Avtalets första dag", "avtalsperiod.slut": "Avtalets sista dag",
    "avtalsperiod.förlängning": "Kan avtalet förlängas?",
    "avtalsperiod.uppsägningstid_månader": "Uppsägningstid (månader)",
    "personuppgifter.behandlas": "Behandlas personuppgifter om deltagarna?",
    "personuppgifter.ansvar": "Vem ansvarar för personuppgifterna?",
    "process.handläggare.namn": "Ditt namn", "process.handläggare.titel": "Din befattning",
    "process.handläggare.part": "Vilken part arbetar du för?",
    "process.initiativ.part": "Vem tog initiativet?", "process.initiativ.datum": "När togs initiativet?",
    "process.jäv": "Jäv: vem har prövats och med vilken slutsats?",
  };
  const LABELS = {
    "mål": "Mål och indikatorer", epost: "E-post", id: "Kort kod",
    "uppsägningstid_månader": "Uppsägningstid (månader)",
    "belopp_per_år": "Belopp per år (kr)", "värde_per_år": "Värde per år (kr)",
    "första_datum": "Första uppföljningen", "iopkit_undantag": "Undantag från regler",
    "registrerad_idéburen": "Registrerad som idéburen organisation",
    "rättslig_bedömning": "Rättslig bedömning", "statsstöd_grund": "Varför stödet är tillåtet",
    "ivo_tillstånd": "Tillstånd från IVO", "målvärde": "Målvärde", "källa": "Var hämtas uppgiften?",
    "baslinje_år": "Baslinjens år", "behovsinventering": "Gemensam behovsinventering",
  };
  // Example text for empty fields (the scaffold's own examples come first).
  const PLACEHOLDERS = {
    "partnerskap.namn": "t.ex. Läxhjälp i Berga",
    "parter[].namn": "t.ex. Berga kommun genom socialnämnden",
    "parter[].organisationsnummer": "t.ex. 212000-0001",
    "parter[].kontaktperson.epost": "t.ex. anna.berg@berga.se",
    "behovsinventering.behov[].beskrivning": "t.ex. Barn i årskurs 4–9 behöver stöd med läxorna efter skolan.",
    "mål[].beskrivning": "t.ex. Fler elever klarar godkända betyg i årskurs 9.",
    "insatser[].beskrivning": "t.ex. Läxhjälp två eftermiddagar i veckan med ideella läxhjälpare.",
    "resurser[].belopp_per_år": "t.ex. 400 000 kr", "resurser[].värde_per_år": "t.ex. 120 000 kr",
  };
  // Fields that concern only idéburna parties: not shown for a kommun, region or myndighet.
  const CIVIL_ONLY = new Set(["registrerad_idéburen", "verksamhetsidé", "ivo_tillstånd"]);
  const PUBLIC_TYPES = new Set(["kommun", "region", "statlig myndighet"]);
  // Choices that are always an error are not offered (still shown when the file has one).
  const NOT_OFFERED = { "ekonomi.ersättningsform": new Set(["per prestation"]) };
  // Lists whose items the rest of the file points at: the id is made for the user in the
  // guide, numbered "Behov 1" …, and references follow a rename or a removal.
  const REFERENCED = {
    parter: { prefix: "part", refs: ["mål[].behov"] },
    "behovsinventering.behov": { prefix: "B" }, "mål": { prefix: "M" }, insatser: { prefix: "I" },
  };
  const AMOUNTS = new Set(["belopp_per_år", "värde_per_år"]);

  // What one item of a list is called, for "Lägg till …" and the item headings.
  const ITEM_NAMES = {
    parter: "part", behov: "behov", "mål": "mål", indikatorer: "indikator",
    insatser: "insats", resurser: "resurs", firmatecknare: "firmatecknare",
    villkor: "villkor", iopkit_undantag: "undantag", underlag: "underlag",
    bilagor: "bilaga", beslut: "beslut",
  };
  // Longer texts get a text area.
  const LONG_TEXT = new Set(["bakgrund", "syfte", "målgrupp", "metod", "beskrivning", "text",
    "upphandling", "statsstöd", "utbetalning", "redovisning", "beslutsform", "årsrapport",
    "utvärdering", "verksamhetsidé", "motivering", "förlängning"]);
  // References: the key path with list positions as [] → where the ids come from.
  const PARTIES = { list: ["parter"], label: ["namn"] };
  const NEEDS = { list: ["behovsinventering", "behov"], label: ["beskrivning"] };
  const GOALS = { list: ["mål"], label: ["beskrivning"] };
  const REFERENCES = {
    "mål[].behov": NEEDS,
    "insatser[].mål": GOALS,
    "insatser[].ansvarig": PARTIES,
    "resurser[].part": PARTIES,
    "resurser[].mottagare": PARTIES,
    "behovsinventering.genomförd_av": PARTIES,
    "styrning.partnerskapsgrupp": PARTIES,
  };
  // A key the model gains is a reference when its description says so, as the model's
  // descriptions do: "Id för den part som …", "Id för de behov som …".
  const REFERENCE_DESCRIPTIONS = [
    [/^Id för (den|de) (\p{L}+ )?part(er)?\b/u, PARTIES],
    [/^Id för (det|den|de) behov\b/u, NEEDS],
    [/^Id för (det|den|de) mål\b/u, GOALS],
  ];

  function referenceFor(path, info) {
    if (REFERENCES[pattern(path)]) return REFERENCES[pattern(path)];
    const found = REFERENCE_DESCRIPTIONS.find(([rule]) => rule.test(info.description || ""));
    return found ? found[1] : null;
  }

  const { get, set, field, required, blank, pathText, pattern, yesNo, filledIn } = IopModel;

  let onChange = () => {};
  let onStructure = () => {};
  let onMode = () => {};
  let counter = 0;

  function init(rootSchema, callbacks) {
    IopModel.setSchema(rootSchema);
    onChange = callbacks.onChange;
    onStructure = callbacks.onStructure;
    onMode = callbacks.onMode || (() => {});
  }

  function label(key, path) {
    if (typeof IopGuide !== "undefined" && IopGuide.isPage(key)) return IopGuide.title(key);
    if (path && PATH_LABELS[pattern(path)]) return PATH_LABELS[pattern(path)];
    if (LABELS[key]) return LABELS[key];
    const text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // ---- building the DOM -----------------------------------------------------------
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  /** A help text or message without key paths or backticks. */
  function plain(text) { return IopModel.readable(text, labelOfPath); }

  /** "avtalsperiod.slut" → "Avtalets sista dag"; "parter[1].kontaktperson.namn" →
   * "Part 2, Kontaktperson, Namn". */
  function labelOfPath(text) {
    const parts = [];
    String(text).replace(/([^.[\]]+)|\[(\d*)\]/g, (all, key, index) => {
      parts.push(key !== undefined ? key : (index === "" ? 0 : Number(index)));
      return all;
    });
    if (!parts.length) return "";
    const named = [];
    parts.forEach((part, i) => {
      const next = parts[i + 1];
      if (typeof part === "number") return;
      if (typeof next === "number") {
        const name = ITEM_NAMES[part] || "rad";
        named.push(`${name.charAt(0).toUpperCase()}${name.slice(1)} ${next + 1}`);
      } else if (i === parts.length - 1) {
        named.push(label(part, parts));
      } else if (!PATH_LABELS[pattern(parts)]) {
        // A group on the way ("Kontaktperson"), unless the field's own label says it all.
        named.push(label(part, parts.slice(0, i + 1)));
      }
    });
    return named.join(", ");
  }

  function nextId() { counter += 1; return `f${counter}`; }

  function help(info, id) {
    return info.description ? el("p", { class: "hjalp", id, text: plain(info.description) }) : null;
  }

  /** One step (a top-level key) as a section. */
  function renderStep(container, key) {
    if (typeof IopGuide !== "undefined" && IopGuide.isPage(key)) {
      const page = IopGuide.render(key, api);
      container.replaceChildren(page);
      return page;
    }
    const info = field(IopModel.schema().properties[key]);
    const headingId = nextId();
    const section = el("section", { class: "steg", "data-path": key, "aria-labelledby": headingId });
    section.append(el("h2", { id: headingId, tabindex: "-1", text: label(key) }));
    if (info.description) section.append(el("p", { class: "hjalp", text: info.description }));
    section.append(el("div", { class: "fynd-plats" }));
    if (info.kind === "object") {
      if (get([key]) === undefined || get([key]) === null) set([key], {});
      renderObjectFields(section, info.node, [key]);
    } else {
      section.append(renderValue(info, [key], label(key), required(IopModel.schema(), key), true));
    }
    if (typeof IopGuide !== "undefined") {
      section.append(el("p", { class: "hjalp" }, el("button", { type: "button", class: "lank",
        text: "Gå till guiden (en fråga i taget)", onclick: () => switchMode("guide") })));
    }
    container.replaceChildren(section);
    return section;
  }

  function renderObjectFields(container, node, path) {
    for (const [key, prop] of Object.entries(node.properties || {})) {
      const info = field(prop);
      if (info.kind === "const") continue;
      if (hidden(path, key)) continue;
      container.append(renderValue(info, [...path, key], label(key, [...path, key]), required(node, key)));
    }
  }

  /** The list path of an item ("mål" for ["mål", 0]), when its items are referenced. */
  function referencedList(itemPath) {
    if (typeof itemPath[itemPath.length - 1] !== "number") return null;
    const list = pathText(itemPath.slice(0, -1));
    return REFERENCED[list] ? list : null;
  }

  function hidden(path, key) {
    // In the guide ids are made for the user: no "Kort kod" to type.
    if (key === "id" && IopModel.mode() === "guide" && typeof path[path.length - 1] === "number") return true;
    if (CIVIL_ONLY.has(key) && path[0] === "parter" && path.length === 2) {
      const party = get(path);
      return Boolean(party && PUBLIC_TYPES.has(String(party.typ || "")) && !(key in party && party[key] !== ""));
    }
    return false;
  }

  /** Every place that holds a reference to an item of `list` (a path and whether it is
   * a list of ids). */
  function referencePlaces(list) {
    const wanted = { parter: PARTIES, "behovsinventering.behov": NEEDS, "mål": GOALS }[list];
    if (!wanted) return [];
    const places = [];
    const visit = (node, info, path) => {
      if (info.kind === "object" && node && typeof node === "object") {
        for (const [key, prop] of Object.entries(info.node.properties || {})) {
          if (key in node) visit(node[key], field(prop), [...path, key]);
        }
      } else if (info.kind === "array" && Array.isArray(node)) {
        if (referenceFor(path, info) === wanted) places.push({ path, many: true });
        else node.forEach((item, i) => visit(item, info.items, [...path, i]));
      } else if (referenceFor(path, info) === wanted) places.push({ path, many: false });
    };
    visit(IopModel.get([]), IopModel.rootInfo(), []);
    return places;
  }

  /** Replace (or, with `to` null, remove) the id `from` everywhere it is referenced;
   * returns how many references there were. */
  function moveReferences(list, from, to, dryRun = false, saved = []) {
    let count = 0;
    for (const place of referencePlaces(list)) {
      const value = get(place.path);
      if (!dryRun) saved.push([place.path, Array.isArray(value) ? [...value] : value]);
      if (place.many && Array.isArray(value)) {
        const hits = value.filter((v) => String(v) === from).length;
        count += hits;
        if (hits && !dryRun) {
          set(place.path, to === null ? value.filter((v) => String(v) !== from)
            : value.map((v) => (String(v) === from ? to : v)));
        }
      } else if (!place.many && String(value) === from) {
        count += 1;
        if (!dryRun) set(place.path, to === null ? "" : to);
      }
    }
    return count;
  }

  /** A fresh id for a new item: B3, M2, part3 … (the user never types one in the guide). */
  function freshId(list) {
    const prefix = REFERENCED[list].prefix;
    const taken = new Set((get(list.split(".")) || []).map((item) => item && String(item.id)));
    let n = 1;
    while (taken.has(`${prefix}${n}`)) n += 1;
    return `${prefix}${n}`;
  }

  function renderValue(info, path, title, isRequired, bare = false) {
    const reference = referenceFor(path, info);
    if (info.kind === "object") {
      if (get(path) === undefined || get(path) === null) set(path, {});
      const box = el("fieldset", { class: "grupp", "data-path": pathText(path) },
        el("legend", { text: title }), help(info, null), el("div", { class: "fynd-plats" }));
      renderObjectFields(box, info.node, path);
      return box;
    }
    if (info.kind === "array" && reference) return renderReferenceList(info, path, title, reference);
    if (info.kind === "array" && info.items.kind === "enum") return renderChoiceList(info, path, title);
    if (info.kind === "array") return renderList(info, path, title, isRequired, bare);
    return renderScalar(info, path, title, isRequired, reference);
  }

  function fieldWrapper(path, control, title, info, isRequired) {
    const helpId = nextId();
    control.id = control.id || nextId();
    if (info.description) control.setAttribute("aria-describedby", helpId);
    if (isRequired) control.setAttribute("aria-required", "true");
    const note = templateNote(path, title);
    if (note) {
      control.setAttribute("aria-describedby",
        `${control.getAttribute("aria-describedby") || ""} ${note.id}`.trim());
    }
    return el("div", { class: "falt", "data-path": pathText(path) },
      el("label", { for: control.id, text: title + (isRequired ? " *" : "") }),
      control, note, help(info, helpId), el("div", { class: "fynd-plats" }));
  }

  /** The scaffold's FYLL I note on a value the page shows (a party's type, yes/no, a
   * list): what to check, and "Stämmer" to confirm the value as it is. `check` warns
   * about the note until then; changing the value clears it too. */
  function templateNote(path, title) {
    const text = IopModel.noteAt(path);
    if (!text) return null;
    const what = text.replace(/^\s*FYLL I:?\s*/, "").replace(/\s*\(se [^)]*\)\s*$/, "");
    const id = nextId();
    const note = el("p", { class: "mallnot", id },
      el("span", { text: `Förslag från mallen. Kontrollera${what ? `: ${plain(what)}` : " uppgiften"}. ` }),
      el("button", { type: "button", class: "stammer", text: "Stämmer", "aria-label": `Stämmer: ${title}`,
        onclick: () => {
          const place = note.parentElement;
          filledIn(path);
          dropNote(place);
          // Focus stays in the field, not on the page's top (the button is gone).
          const control = place && place.querySelector("input, select, textarea");
          if (control) control.focus();
          onChange(path);
        } }));
    return note;
  }

  /** The value is filled in or confirmed: its note leaves the field (the check's
   * warning follows with the next check). */
  function dropNote(place) {
    const note = place && place.querySelector(":scope > .mallnot");
    if (!note) return;
    const without = (ids) => String(ids || "").split(/\s+/).filter((id) => id && id !== note.id).join(" ");
    for (const node of place.querySelectorAll("[aria-describedby]")) {
      const rest = without(node.getAttribute("aria-describedby"));
      if (rest) node.setAttribute("aria-describedby", rest);
      else node.removeAttribute("aria-describedby");
      // app.js keeps the field's own descriptions here while findings are shown.
      if (node.dataset.hjalp !== undefined) node.dataset.hjalp = without(node.dataset.hjalp);
    }
    note.remove();
  }

  function choices(reference) {
    const items = get(reference.list);
    if (!Array.isArray(items)) return [];
    const name = reference === PARTIES ? "Part" : reference === NEEDS ? "Behov" : "Mål";
    return items.map((item, index) => ({ item, index })).filter(({ item }) => item && item.id)
      .map(({ item, index }) => {
        const extra = reference.label.map((k) => item[k]).find((v) => typeof v === "string" && v);
        // Chosen by their text: "Behov 1: En trygg plats …" (the id only where nothing
        // else names the item).
        const text = reference === PARTIES ? (extra || `${name} ${index + 1}`)
          : `${name} ${index + 1}: ${extra || "(ingen text ännu)"}`;
        return { value: String(item.id), text };
      });
  }

  function renderScalar(info, path, title, isRequired, reference) {
    const current = get(path);
    const key = path[path.length - 1];
    if (AMOUNTS.has(key)) return renderAmount(info, path, title, isRequired);
    const write = (value) => {
      set(path, value);
      filledIn(path);
      dropNote(control.parentElement);
      // A party's type decides which fields it has: show the right ones.
      if (key === "typ" && path[0] === "parter" && path.length === 3) onStructure(pathText(path));
      else onChange(path);
    };
    let control;
    if (reference || info.kind === "enum" || info.kind === "bool") {
      let options;
      if (reference) options = choices(reference);
      else if (info.kind === "enum") {
        const refused = NOT_OFFERED[pattern(path)] || new Set();
        options = info.values.filter((v) => !refused.has(v) || v === current).map((v) => ({ value: v, text: v }));
      }
      else options = [{ value: "ja", text: "ja" }, { value: "nej", text: "nej" }];
      let shown = info.kind === "bool" ? yesNo(current) : current;
      shown = shown === undefined || shown === null ? "" : String(shown);
      if (shown && !options.some((o) => o.value === shown)) {
        options.push({ value: shown, text: `${shown} (finns inte)` });
      }
      control = el("select", {});
      control.append(el("option", { value: "", text: "– välj –" }));
      for (const option of options) {
        control.append(el("option", { value: option.value, text: option.text }));
      }
      control.value = shown;
      control.addEventListener("change", () => write(control.value));
    } else {
      const long = LONG_TEXT.has(path[path.length - 1]);
      control = el(long ? "textarea" : "input", long ? { rows: "3" } : { type: "text" });
      const example = IopModel.placeholder(path) || PLACEHOLDERS[pattern(path)];
      if (info.kind === "date") control.setAttribute("placeholder", example ? `ÅÅÅÅ-MM-DD, ${example}` : "ÅÅÅÅ-MM-DD");
      else if (example) control.setAttribute("placeholder", example);
      if (info.kind === "integer" || info.kind === "number") control.setAttribute("inputmode", "decimal");
      control.value = current === undefined || current === null ? "" : String(current);
      control.addEventListener("input", () => {
        write(control.value); // numbers become numbers when the YAML is written
      });
      const list = key === "id" ? referencedList(path.slice(0, -1)) : null;
      if (list) {
        // Renaming an id takes its references along (asked first, once per rename).
        let before = control.value;
        control.addEventListener("change", () => {
          const after = control.value.trim();
          if (before && after && before !== after) moveReferences(list, before, after);
          before = control.value;
          onChange(path); // the other steps show the new id when they are opened
        });
      }
    }
    control.setAttribute("name", pathText(path));
    return fieldWrapper(path, control, title, info, isRequired);
  }

  /** An amount: one field ("400 000 kr" is read as 400000), or one field per avtalsår
   * when the amounts differ (the map form year → kronor, spec/yearly.py). */
  function renderAmount(info, path, title, isRequired) {
    const current = get(path);
    const perYear = current !== null && typeof current === "object";
    const box = el("fieldset", { class: "belopp", "data-path": pathText(path) }, el("legend", { text: title }));
    const toggleId = nextId();
    const toggle = el("input", { type: "checkbox", id: toggleId });
    toggle.checked = perYear;
    toggle.addEventListener("change", () => {
      const now = get(path);
      if (toggle.checked) {
        const one = now === null || typeof now === "object" ? "" : String(now || "");
        set(path, Object.fromEntries(years().map((y) => [String(y), one])));
      } else {
        const first = now && typeof now === "object" ? Object.values(now)[0] : now;
        set(path, first === undefined ? "" : first);
      }
      filledIn(path);
      onStructure(pathText(path));
    });
    const input = (value, name, text, onInput) => {
      const control = el("input", { type: "text", inputmode: "numeric", name,
        placeholder: PLACEHOLDERS[pattern(path)] || "t.ex. 400 000 kr" });
      control.value = value === undefined || value === null ? "" : String(value);
      control.addEventListener("input", () => {
        dropNote(control.parentElement);
        onInput(control.value);
      });
      return fieldWrapper(name === pathText(path) ? path : [...path, name.split(".").pop()], control, text,
        { description: "" }, isRequired);
    };
    if (perYear) {
      for (const year of Object.keys(current)) {
        box.append(input(current[year], `${pathText(path)}.${year}`, `År ${year} (kr)`, (value) => {
          const map = get(path);
          map[year] = value;
          onChange(path);
        }));
      }
    } else {
      box.append(input(current, pathText(path), "Samma belopp varje år (kr)", (value) => {
        set(path, value);
        filledIn(path);
        onChange(path);
      }));
    }
    box.append(el("div", { class: "val" }, toggle,
      el("label", { for: toggleId, text: "Beloppen skiljer sig mellan åren" })));
    if (info.description) box.append(el("p", { class: "hjalp", text: "Skriv hela kronor, gärna som man brukar: 400 000 kr." }));
    box.append(el("div", { class: "fynd-plats" }));
    return box;
  }

  /** The avtalsår of the period, named by the calendar year each begins in. */
  function years() {
    const start = /^(\d{4})-(\d\d)-(\d\d)$/.exec(String(get(["avtalsperiod", "start"]) || ""));
    const end = /^(\d{4})-(\d\d)-(\d\d)$/.exec(String(get(["avtalsperiod", "slut"]) || ""));
    if (!start || !end) return [new Date().getFullYear()];
    const out = [];
    // An avtalsår begins on the start date's day each year, up to the end date.
    for (let y = Number(start[1]); `${y}-${start[2]}-${start[3]}` <= end[0] && out.length < 30; y += 1) out.push(y);
    return out.length ? out : [Number(start[1])];
  }

  function renderReferenceList(info, path, title, reference) {
    const current = Array.isArray(get(path)) ? get(path).map(String) : [];
    const options = choices(reference);
    for (const value of current) {
      if (!options.some((o) => o.value === value)) options.push({ value, text: `${value} (finns inte)` });
    }
    const box = el("fieldset", { class: "referenser", "data-path": pathText(path) },
      el("legend", { text: title }), help(info, null));
    if (!options.length) box.append(el("p", { class: "hjalp", text: "Det finns inget att välja ännu." }));
    for (const option of options) {
      const id = nextId();
      const box_ = el("input", { type: "checkbox", id, value: option.value });
      box_.checked = current.includes(option.value);
      box_.addEventListener("change", () => {
        const chosen = options.map((o) => o.value).filter((value) =>
          box.querySelector(`input[value="${CSS.escape(value)}"]`).checked);
        set(path, chosen);
        filledIn(path);
        onChange(path);
      });
      box.append(el("div", { class: "val" }, box_, el("label", { for: id, text: option.text })));
    }
    box.append(el("div", { class: "fynd-plats" }));
    return box;
  }

  /** A list of fixed values (verksamhetsområden): one box to tick per value. The file's
   * order is kept; a value ticked is added at the end, one unticked removed. */
  function renderChoiceList(info, path, title) {
    const now = get(path);
    const current = Array.isArray(now) ? now.map(String) : [];
    const options = info.items.values.map(String);
    for (const value of current) if (!options.includes(value)) options.push(value);
    const box = el("fieldset", { class: "referenser", "data-path": pathText(path) },
      el("legend", { text: title }), help(info, null));
    const note = templateNote(path, title);
    if (note) {
      box.append(note);
      box.setAttribute("aria-describedby", note.id);
    }
    for (const value of options) {
      const id = nextId();
      const tick = el("input", { type: "checkbox", id, value, name: pathText(path) });
      tick.checked = current.includes(value);
      tick.addEventListener("change", () => {
        const list = Array.isArray(get(path)) ? get(path).map(String) : [];
        const chosen = tick.checked ? [...list.filter((v) => v !== value), value]
          : list.filter((v) => v !== value);
        set(path, chosen);
        filledIn(path);
        dropNote(box);
        onChange(path);
      });
      const text = info.items.values.map(String).includes(value) ? value : `${value} (finns inte)`;
      box.append(el("div", { class: "val" }, tick, el("label", { for: id, text })));
    }
    box.append(el("div", { class: "fynd-plats" }));
    return box;
  }

  function renderList(info, path, title, isRequired, bare) {
    // Showing a list changes nothing: a missing list, or a value of the wrong shape (a
    // text where a list belongs, which the check reports), stays in the file until the
    // user adds an item.
    const current = get(path);
    const items = Array.isArray(current) ? current : [];
    const wrongShape = current !== undefined && current !== null && current !== "" && !Array.isArray(current);
    const name = ITEM_NAMES[path[path.length - 1]] || "rad";
    const box = el("fieldset", { class: bare ? "lista steglista" : "lista", "data-path": pathText(path) },
      el("legend", { class: bare ? "visually-hidden" : null, text: title }),
      bare ? null : help(info, null), el("div", { class: "fynd-plats" }));
    items.forEach((item, index) => {
      const itemPath = [...path, index];
      const heading = `${name.charAt(0).toUpperCase()}${name.slice(1)} ${index + 1}`;
      const remove = el("button", { type: "button", class: "ta-bort", text: `Ta bort ${name} ${index + 1}`,
        onclick: () => {
          const list = referencedList(itemPath);
          const id = list && items[index] && items[index].id ? String(items[index].id) : null;
          const uses = id ? moveReferences(list, id, null, true) : 0;
          if (uses && !window.confirm(`${heading} används på ${uses} ${uses === 1 ? "ställe" : "ställen"} ` +
              "(till exempel av mål eller insatser). Ta bort ändå? Hänvisningarna tas bort.")) return;
          const saved = [];
          if (uses) moveReferences(list, id, null, false, saved);
          const [removed] = items.splice(index, 1);
          filledIn(path); // a `[a, b]  # FYLL I` list is being filled in
          onStructure(pathText(path), {
            text: `${heading} är borttagen.`,
            undo: () => {
              items.splice(index, 0, removed);
              for (const [where, value] of saved) set(where, value); // the references too
              return pathText(itemPath);
            },
          });
        } });
      if (info.items.kind === "object") {
        const post = el("fieldset", { class: "post", "data-path": pathText(itemPath) },
          el("legend", { text: heading }), el("div", { class: "fynd-plats" }));
        renderObjectFields(post, info.items.node, itemPath);
        post.append(remove);
        box.append(post);
      } else {
        const row = renderScalar(info.items, itemPath, heading, true, null);
        row.append(remove);
        box.append(row);
      }
    });
    if (wrongShape) {
      box.append(el("p", { class: "hjalp", text: `I filen står här ${typeof current === "object" ? "något annat" : `”${String(current).slice(0, 200)}”`} i stället för en lista. Det sparas som det står tills du lägger till en ${name}.` }));
    }
    box.append(el("button", { type: "button", class: "lagg-till", text: `Lägg till ${name}`,
      onclick: () => {
        if (get(path) !== items) set(path, items);
        const item = blank(info.items);
        const list = REFERENCED[pathText(path)];
        if (list && item && typeof item === "object" && !Array.isArray(item) && !item.id) {
          item.id = freshId(pathText(path));
        }
        items.push(item);
        filledIn(path);
        onStructure(pathText([...path, items.length - 1]));
      } }));
    return box;
  }

  /** One field (or group, or list) by its key path, for the guide. */
  function renderPath(path, title) {
    let node = IopModel.schema();
    let info = null;
    let isRequired = false;
    path.forEach((part, i) => {
      if (typeof part === "number") { info = info.items; node = info.node; return; }
      info = field(node.properties[part]);
      isRequired = required(node, part);
      // A group the guide asks about gets its object, as the full form gives it.
      if (info.kind === "object" && i < path.length - 1 && get(path.slice(0, i + 1)) == null) {
        set(path.slice(0, i + 1), {});
      }
      node = info.node;
    });
    return renderValue(info, path, title || label(path[path.length - 1], path), isRequired);
  }

  const api = { renderPath, el, nextId, label, labelOfPath, plain, get, set, onChange: (p) => onChange(p),
    onStructure: (p) => onStructure(p), filledIn, switchMode };

  /** Guide or every field: the same data, other pages (app.js rebuilds the navigation). */
  function switchMode(mode) {
    IopModel.setMode(mode);
    onMode(mode);
  }

  return { init, renderStep, label, labelOfPath, plain, setData: IopModel.setData, steps: IopModel.steps,
    toYamlData: IopModel.toYamlData, yaml: IopModel.yaml, pathText, setMode: IopModel.setMode,
    mode: IopModel.mode, switchMode, stepOf: IopModel.stepOf, emptyPlaceholders: IopModel.emptyPlaceholders,
    placeholderList: IopModel.placeholderList, setPlaceholders: IopModel.setPlaceholders,
    originalList: IopModel.originalList, setOriginals: IopModel.setOriginals,
    steadyFindings: IopModel.steadyFindings, confirmedPaths: IopModel.confirmedPaths,
    commentList: IopModel.commentList, pageMessage: IopModel.pageMessage };
})();
