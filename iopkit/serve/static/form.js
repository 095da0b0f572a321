// The form, generated from the JSON Schema (/api/schema): a key the model gains appears
// here without code changes. The page's data is a plain object; every control writes
// into it and calls `onChange`. References (a goal's needs, an activity's responsible
// party …) are drop-downs or check boxes of the ids that exist.
"use strict";

const IopForm = (() => {
  const LABELS = {
    "mål": "Mål och indikatorer", epost: "E-post", id: "Id",
    "uppsägningstid_månader": "Uppsägningstid (månader)",
    "belopp_per_år": "Belopp per år (kr)", "värde_per_år": "Värde per år (kr)",
    "första_datum": "Första uppföljningen", "iopkit_undantag": "Undantag från regler",
    "registrerad_idéburen": "Registrerad som idéburen organisation",
  };
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
  let counter = 0;

  function init(rootSchema, callbacks) {
    IopModel.setSchema(rootSchema);
    onChange = callbacks.onChange;
    onStructure = callbacks.onStructure;
  }

  function label(key) {
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

  function nextId() { counter += 1; return `f${counter}`; }

  function help(info, id) {
    return info.description ? el("p", { class: "hjalp", id, text: info.description }) : null;
  }

  /** One step (a top-level key) as a section. */
  function renderStep(container, key) {
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
    container.replaceChildren(section);
    return section;
  }

  function renderObjectFields(container, node, path) {
    for (const [key, prop] of Object.entries(node.properties || {})) {
      const info = field(prop);
      if (info.kind === "const") continue;
      container.append(renderValue(info, [...path, key], label(key), required(node, key)));
    }
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
    if (info.kind === "array") return renderList(info, path, title, isRequired, bare);
    return renderScalar(info, path, title, isRequired, reference);
  }

  function fieldWrapper(path, control, title, info, isRequired) {
    const helpId = nextId();
    control.id = control.id || nextId();
    if (info.description) control.setAttribute("aria-describedby", helpId);
    if (isRequired) control.setAttribute("aria-required", "true");
    return el("div", { class: "falt", "data-path": pathText(path) },
      el("label", { for: control.id, text: title + (isRequired ? " *" : "") }),
      control, help(info, helpId), el("div", { class: "fynd-plats" }));
  }

  function choices(reference) {
    const items = get(reference.list);
    if (!Array.isArray(items)) return [];
    return items.filter((item) => item && item.id).map((item) => {
      const extra = reference.label.map((k) => item[k]).find((v) => typeof v === "string" && v);
      return { value: String(item.id), text: extra ? `${item.id} – ${extra}` : String(item.id) };
    });
  }

  function renderScalar(info, path, title, isRequired, reference) {
    const current = get(path);
    const write = (value) => {
      set(path, value);
      filledIn(path);
      onChange(path);
    };
    let control;
    if (reference || info.kind === "enum" || info.kind === "bool") {
      let options;
      if (reference) options = choices(reference);
      else if (info.kind === "enum") options = info.values.map((v) => ({ value: v, text: v }));
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
      if (info.kind === "date") control.setAttribute("placeholder", "ÅÅÅÅ-MM-DD");
      if (info.kind === "integer" || info.kind === "number") control.setAttribute("inputmode", "decimal");
      control.value = current === undefined || current === null ? "" : String(current);
      control.addEventListener("input", () => {
        write(control.value); // numbers become numbers when the YAML is written
      });
    }
    control.setAttribute("name", pathText(path));
    return fieldWrapper(path, control, title, info, isRequired);
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
          const [removed] = items.splice(index, 1);
          onStructure(pathText(path), {
            text: `${heading} är borttagen.`,
            undo: () => { items.splice(index, 0, removed); return pathText(itemPath); },
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
        items.push(blank(info.items));
        onStructure(pathText([...path, items.length - 1]));
      } }));
    return box;
  }

  return { init, renderStep, label, setData: IopModel.setData, steps: IopModel.steps,
    toYamlData: IopModel.toYamlData, yaml: IopModel.yaml, pathText };
})();
