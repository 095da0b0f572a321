// The form, generated from the JSON Schema (/api/schema): a key the model gains appears
// here without code changes. The page's data is a plain object; every control writes
// into it and calls `onChange`. References (a goal's needs, an activity's responsible
// party …) are drop-downs or check boxes of the ids that exist.
"use strict";

const IopForm = (() => {
  // The steps in the order of the agreement; keys the schema has and this list lacks
  // follow at the end, keys this list has and the schema lacks are left out.
  const STEP_ORDER = ["partnerskap", "parter", "behovsinventering", "mål", "insatser",
    "resurser", "ekonomi", "rättslig_bedömning", "styrning", "uppföljning", "avtalsperiod",
    "personuppgifter", "process", "villkor"];
  const HIDDEN_STEPS = new Set(["iopkit"]);
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
    bilagor: "bilaga",
  };
  // Longer texts get a text area.
  const LONG_TEXT = new Set(["bakgrund", "syfte", "målgrupp", "metod", "beskrivning", "text",
    "upphandling", "statsstöd", "utbetalning", "redovisning", "beslutsform", "årsrapport",
    "utvärdering", "verksamhetsidé", "motivering", "förlängning"]);
  // References: the key path with list positions as [] → where the ids come from.
  const PARTIES = { list: ["parter"], label: ["namn"] };
  const REFERENCES = {
    "mål[].behov": { list: ["behovsinventering", "behov"], label: ["beskrivning"] },
    "insatser[].mål": { list: ["mål"], label: ["beskrivning"] },
    "insatser[].ansvarig": PARTIES,
    "resurser[].part": PARTIES,
    "resurser[].mottagare": PARTIES,
    "behovsinventering.genomförd_av": PARTIES,
    "styrning.partnerskapsgrupp": PARTIES,
  };

  let schema = null;
  let data = null;
  // End-of-line comments of the file (`# FYLL I: …`), by the object or list that holds
  // the value and its key: they move with their item when a list changes.
  let notes = new Map();
  let copies = new Map(); // the same for the ordered copy being written
  let onChange = () => {};
  let onStructure = () => {};
  let counter = 0;

  function init(rootSchema, callbacks) {
    schema = rootSchema;
    onChange = callbacks.onChange;
    onStructure = callbacks.onStructure;
  }

  /** The data to edit, and the file's end-of-line comments ([{sökväg, text}]). */
  function setData(value, comments = []) {
    data = value;
    notes = new Map();
    for (const comment of comments) {
      const container = get(comment.sökväg.slice(0, -1));
      if (container === null || typeof container !== "object") continue;
      if (!notes.has(container)) notes.set(container, new Map());
      notes.get(container).set(comment.sökväg[comment.sökväg.length - 1], comment.text);
    }
  }

  /** The user has filled in a field: its `FYLL I` comment no longer applies. */
  function filledIn(path) {
    const kept = notes.get(get(path.slice(0, -1)));
    const key = path[path.length - 1];
    if (kept && /FYLL I/.test(kept.get(key) || "")) kept.delete(key);
  }

  // ---- schema helpers -------------------------------------------------------------
  function resolve(node) {
    if (node && node.$ref) {
      const name = node.$ref.split("/").pop();
      return { ...schema.$defs[name], description: node.description || schema.$defs[name].description };
    }
    return node || {};
  }

  /** A property's schema reduced to one kind the form knows how to edit. */
  function field(node) {
    node = resolve(node);
    const description = node.description || "";
    let options = node.anyOf ? node.anyOf.map(resolve) : [node];
    const nullable = options.some((o) => o.type === "null");
    options = options.filter((o) => o.type !== "null");
    const base = { description, nullable, node };
    if ("const" in node) return { ...base, kind: "const", value: node.const };
    if (options.some((o) => o.type === "boolean")) return { ...base, kind: "bool" };
    if (options.length === 1) {
      const only = options[0];
      if (only.enum) return { ...base, kind: "enum", values: only.enum };
      if (only.type === "object") return { ...base, kind: "object", node: only };
      if (only.type === "array") return { ...base, kind: "array", items: field(only.items) };
      if (only.type === "integer") return { ...base, kind: "integer" };
      if (only.type === "number") return { ...base, kind: "number" };
      if (only.format === "date") return { ...base, kind: "date" };
    }
    return { ...base, kind: "text" };
  }

  function required(objectNode, key) {
    return (objectNode.required || []).includes(key);
  }

  /** A new item for a list, or a new required object: every required key present, so
   * that the check points at each one that is still empty. */
  function blank(info) {
    if (info.kind === "object") {
      const value = {};
      for (const [key, prop] of Object.entries(info.node.properties || {})) {
        if (required(info.node, key)) value[key] = blank(field(prop));
      }
      return value;
    }
    if (info.kind === "array") {
      const min = resolve(info.node).minItems || 0;
      return info.items.kind === "object" && min > 0 ? [blank(info.items)] : [];
    }
    if (info.kind === "const") return info.value;
    if (info.kind === "bool") return "default" in info.node ? yesNo(info.node.default) : "";
    return "";
  }

  /** A copy of `value` in the schema's key order, without empty optional values: what
   * the YAML file gets. Keys the schema does not know are kept (the check names them). */
  function ordered(value, info, isRequired) {
    if (info && info.kind === "object" && value && typeof value === "object" && !Array.isArray(value)) {
      const out = {};
      if (notes.has(value)) copies.set(out, notes.get(value));
      const props = info.node.properties || {};
      const keys = [...Object.keys(props).filter((k) => k in value),
        ...Object.keys(value).filter((k) => !(k in props))];
      for (const key of keys) {
        const child = ordered(value[key], props[key] ? field(props[key]) : null,
          required(info.node, key));
        if (child !== undefined) out[key] = child;
      }
      return Object.keys(out).length || isRequired ? out : undefined;
    }
    if (info && info.kind === "array" && Array.isArray(value)) {
      const items = [];
      const kept = new Map();
      value.forEach((item, index) => {
        const copy = ordered(item, info.items, true);
        if (copy === undefined) return;
        if (notes.has(value) && notes.get(value).has(index)) {
          kept.set(items.length, notes.get(value).get(index));
        }
        items.push(copy);
      });
      if (kept.size) copies.set(items, kept);
      return items.length || isRequired ? items : undefined;
    }
    if ((value === "" || value === null || value === undefined) && !isRequired) return undefined;
    return typed(value, info);
  }

  /** iopkit's loader reads every value as text; numbers and the format version go back
   * into the file as numbers, so that it reads as a person would write it. */
  function typed(value, info) {
    if (!info || typeof value !== "string") return value;
    const text = value.trim();
    if (info.kind === "const" && text === String(info.value)) return info.value;
    if (info.kind === "integer" && text.length < 16 && /^\d+$/.test(text)) return Number(text);
    if (info.kind === "number" && /^\d+(\.\d+)?$/.test(text)) return Number(text);
    return value;
  }

  const YES = new Set(["ja", "true", "yes", "on"]);
  const NO = new Set(["nej", "false", "no", "off"]);

  /** A yes/no value as the form shows it (the file may say true, ja, nej …). */
  function yesNo(value) {
    const word = String(value).trim().toLowerCase();
    if (value === true || YES.has(word)) return "ja";
    if (value === false || NO.has(word)) return "nej";
    return value === undefined || value === null ? "" : String(value);
  }

  function rootInfo() { return { kind: "object", node: schema }; }

  function toYamlData() { return ordered(data, rootInfo(), true); }

  /** The YAML file: the data in the schema's order, with its end-of-line comments. */
  function yaml() {
    copies = new Map();
    const ordered_ = toYamlData();
    return IopYaml.dump(ordered_, (container, key) => {
      const kept = copies.get(container);
      return kept ? kept.get(key) : undefined;
    });
  }

  function steps() {
    const keys = Object.keys(schema.properties).filter((k) => !HIDDEN_STEPS.has(k));
    return [...STEP_ORDER.filter((k) => keys.includes(k)),
      ...keys.filter((k) => !STEP_ORDER.includes(k))];
  }

  // ---- paths ----------------------------------------------------------------------
  function pathText(path) {
    let out = "";
    for (const part of path) {
      if (typeof part === "number") out += `[${part}]`;
      else out += out ? `.${part}` : part;
    }
    return out;
  }

  /** The path with list positions left out: ["mål", 0, "behov"] → "mål[].behov". */
  function pattern(path) {
    return pathText(path).replace(/\[\d+\]/g, "[]");
  }

  function get(path) {
    let node = data;
    for (const part of path) {
      if (node === null || typeof node !== "object") return undefined;
      node = node[part];
    }
    return node;
  }

  function set(path, value) {
    let node = data;
    for (let i = 0; i < path.length - 1; i++) {
      if (node[path[i]] === null || typeof node[path[i]] !== "object") {
        node[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      }
      node = node[path[i]];
    }
    node[path[path.length - 1]] = value;
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
    const info = field(schema.properties[key]);
    const headingId = nextId();
    const section = el("section", { class: "steg", "data-path": key, "aria-labelledby": headingId });
    section.append(el("h2", { id: headingId, tabindex: "-1", text: label(key) }));
    if (info.description) section.append(el("p", { class: "hjalp", text: info.description }));
    section.append(el("div", { class: "fynd-plats" }));
    if (info.kind === "object") {
      if (get([key]) === undefined || get([key]) === null) set([key], {});
      renderObjectFields(section, info.node, [key]);
    } else {
      section.append(renderValue(info, [key], label(key), required(schema, key), true));
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
    const reference = REFERENCES[pattern(path)];
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
    if (!Array.isArray(get(path))) set(path, []);
    const items = get(path);
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
    box.append(el("button", { type: "button", class: "lagg-till", text: `Lägg till ${name}`,
      onclick: () => {
        items.push(blank(info.items));
        onStructure(pathText([...path, items.length - 1]));
      } }));
    return box;
  }

  return { init, setData, renderStep, steps, label, toYamlData, yaml, pathText, blank, rootInfo };
})();
