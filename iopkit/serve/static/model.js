// The data behind the form and its schema: reading the JSON Schema, new items, key
// paths, and the YAML file written from the data (in the schema's key order, with the
// file's end-of-line comments). No DOM here; form.js builds the controls.
"use strict";

const IopModel = (() => {
  // The steps in the order of the agreement; keys the schema has and this list lacks
  // follow at the end, keys this list has and the schema lacks are left out.
  const STEP_ORDER = ["partnerskap", "parter", "behovsinventering", "mål", "insatser",
    "resurser", "ekonomi", "rättslig_bedömning", "styrning", "uppföljning", "avtalsperiod",
    "personuppgifter", "process", "villkor"];
  const HIDDEN_STEPS = new Set(["iopkit"]);

  let schema = null;
  let data = null;
  // End-of-line comments of the file (`# FYLL I: …`), by the object or list that holds
  // the value and its key: they move with their item when a list changes.
  let notes = new Map();
  let copies = new Map(); // the same for the ordered copy being written
  // FYLL I notes of scaffold values the page emptied (the field shows the example): not
  // written into the page's YAML, but a field filled in clears them like a shown note.
  let hidden = new Map();
  // The FYLL I notes the user has cleared, by the same object and key: filled in, or
  // confirmed with "Stämmer". A save tells the server to drop them from the file.
  let cleared = new Map();

  function setSchema(rootSchema) { schema = rootSchema; }

  function currentSchema() { return schema; }

  /** The data to edit, the file's end-of-line comments ([{sökväg, text}]; a draft's
   * may be marked `dold`, see `hidden`) and the key paths whose FYLL I note the user has
   * already cleared (a draft's `bekräftade`). */
  function setData(value, comments = [], confirmed = []) {
    data = value;
    notes = new Map();
    hidden = new Map();
    cleared = new Map();
    for (const comment of comments) {
      if (!comment || !Array.isArray(comment.sökväg) || !comment.sökväg.length) continue;
      const container = get(comment.sökväg.slice(0, -1));
      if (container === null || typeof container !== "object") continue;
      remember(comment.dold ? hidden : notes, container, comment.sökväg[comment.sökväg.length - 1], comment.text);
    }
    for (const path of confirmed || []) {
      if (!Array.isArray(path) || !path.length) continue;
      const container = get(path.slice(0, -1));
      if (container !== null && typeof container === "object") {
        remember(cleared, container, path[path.length - 1], true);
      }
    }
  }

  function remember(map, container, key, value) {
    if (!map.has(container)) map.set(container, new Map());
    map.get(container).set(key, value);
  }

  const MARKER = /FYLL I/;

  /** The FYLL I note the page shows beside the value at `path` ("" when none). */
  function noteAt(path) {
    const kept = notes.get(get(path.slice(0, -1)));
    const text = kept ? kept.get(path[path.length - 1]) || "" : "";
    return MARKER.test(text) ? text : "";
  }

  /** The user has filled in a field (or confirmed it with "Stämmer"): its `FYLL I`
   * note no longer applies, nor the one on a list it is an item of (`[a, b]  # FYLL I`). */
  function filledIn(path) {
    for (let end = path.length; end > 0; end -= 1) {
      const container = get(path.slice(0, end - 1));
      if (container === null || typeof container !== "object") continue;
      const key = path[end - 1];
      for (const map of [notes, hidden]) {
        const kept = map.get(container);
        if (kept && MARKER.test(kept.get(key) || "")) {
          kept.delete(key);
          remember(cleared, container, key, true);
        }
      }
    }
  }

  /** Every (path, container, key, value) below the data, for the lists below. Iterative:
   * a deeply nested file cannot exhaust the stack. */
  function eachEntry(visit) {
    const pending = [[data, []]];
    while (pending.length) {
      const [node, path] = pending.pop();
      if (node === null || typeof node !== "object") continue;
      for (const key of Object.keys(node)) {
        const here = Array.isArray(node) ? Number(key) : key;
        visit([...path, here], node, here, node[key]);
        pending.push([node[key], [...path, here]]);
      }
    }
  }

  /** The key paths whose FYLL I note the user has cleared, for a save and a draft. A
   * field emptied again is not confirmed: the scaffold's value and note go back. */
  function confirmedPaths() {
    const out = [];
    eachEntry((path, container, key, value) => {
      const mine = cleared.get(container);
      if (!mine || !mine.has(key)) return;
      if (value === undefined || value === null || value === "") return;
      out.push(path);
    });
    return out;
  }

  /** The notes as they stand now, for a draft ([{sökväg, text, dold}]). */
  function commentList() {
    const out = [];
    eachEntry((path, container, key) => {
      for (const [map, dold] of [[notes, false], [hidden, true]]) {
        const kept = map.get(container);
        if (kept && kept.has(key)) out.push(dold ? { sökväg: path, text: kept.get(key), dold } : { sökväg: path, text: kept.get(key) });
      }
    });
    return out;
  }

  // ---- the schema ----------------------------------------------------------------
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
    // An amount in kronor (one number, or a map year → kronor): "400 000 kr" is read as
    // the model reads it.
    const amount = node.title === "belopp_per_år" || node.title === "värde_per_år";
    const base = { description, nullable, node, amount };
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
      // Own keys only: `"__proto__" in {}` is true, and such a key must stay a key.
      const own = (object, k) => Object.prototype.hasOwnProperty.call(object, k);
      const keys = [...Object.keys(props).filter((k) => own(value, k)),
        ...Object.keys(value).filter((k) => !own(props, k))];
      for (const key of keys) {
        const child = ordered(value[key], own(props, key) ? field(props[key]) : null,
          required(info.node, key));
        // defineProperty, not `out[key] =`: a key such as `__proto__` stays a key.
        if (child !== undefined) {
          Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
        }
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
    if (info && info.amount && value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([year, v]) => [year, typed(v, info)]));
    }
    if (!info || typeof value !== "string") return value;
    const text = value.trim();
    if (info.kind === "const" && text === String(info.value)) return info.value;
    if (info.kind === "integer" && text.length < 16 && /^\d+$/.test(text)) return Number(text);
    // Kronor as people write them ("400 000 kr"): the same reading as iopkit's model
    // (spec/types.py _KRONOR); anything else stays text and the check explains.
    const kronor = KRONOR.exec(text);
    if ((info.kind === "integer" || info.amount) && kronor) {
      return Number(kronor[1].replace(/[ \u00a0\u202f]/g, ""));
    }
    if (info.kind === "number" && /^\d+(\.\d+)?$/.test(text)) return Number(text);
    return value;
  }

  const KRONOR = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{1,13})\s*(?:kr\.?|kronor)?$/i;

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

  /** The data as the YAML file gets it. `forFile`: a field of a new partnership that is
   * still empty gets the scaffold's value back (its FYLL I text), so that the file keeps
   * its markers until the user fills the field in and a save with nothing typed leaves
   * the file as it was; the page itself checks and shows the empty field. */
  function toYamlData(forFile = false) {
    if (!forFile || !originals.size) return ordered(data, rootInfo(), true);
    const kept = data;
    data = structuredClone(data);
    try {
      for (const [where, value] of originals) {
        const path = parsePath(where);
        const parent = parentFor(path);
        if (parent === null || typeof parent !== "object") continue;  // the item is gone
        const now = parent[path[path.length - 1]];
        const empty = now === undefined || now === null || now === "" ||
          (Array.isArray(now) && !now.length && Array.isArray(value));
        if (empty) set(path, structuredClone(value));
      }
      return ordered(data, rootInfo(), true);
    } finally {
      data = kept;
    }
  }

  /** The object that holds `path`'s value, with the groups on the way made again where
   * they are missing: a draft keeps the data without empty groups (a `rättslig_bedömning`
   * whose texts are all still examples), and the scaffold's texts must go back into
   * them, or a save would remove the section from the file. A list item that is gone
   * stays gone (undefined). */
  function parentFor(path) {
    let node = data;
    for (let i = 0; i < path.length - 1; i++) {
      const part = path[i];
      if (node === null || typeof node !== "object") return undefined;
      if (node[part] === undefined || node[part] === null) {
        if (typeof part === "number" || typeof path[i + 1] === "number") return undefined;
        node[part] = {};
      }
      node = node[part];
    }
    return node;
  }

  /** "parter[0].namn" → ["parter", 0, "namn"]. */
  function parsePath(text) {
    const out = [];
    for (const match of String(text).matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
      out.push(match[2] !== undefined ? Number(match[2]) : match[1]);
    }
    return out;
  }

  /** The YAML file: the data in the schema's order, with its end-of-line comments. */
  function yaml() {
    copies = new Map();
    const ordered_ = toYamlData();
    return IopYaml.dump(ordered_, (container, key) => {
      const kept = copies.get(container);
      return kept ? kept.get(key) : undefined;
    });
  }

  // "alla": every key, step by step in the agreement's order; "guide": one question at a
  // time in the order the work is done (guide.js decides the pages).
  let mode = "alla";
  function setMode(value) { mode = value === "guide" ? "guide" : "alla"; }
  function currentMode() { return mode; }

  function steps() {
    if (mode === "guide" && typeof IopGuide !== "undefined") return IopGuide.pages();
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

  /** The page (step key) a finding at `path` belongs on. */
  function stepOf(path) {
    if (mode === "guide" && typeof IopGuide !== "undefined") return IopGuide.pageOf(path);
    return String(path || "").split(/[.[]/)[0];
  }

  // ---- placeholders: a new partnership starts empty ----------------------------------
  // The scaffold's "FYLL I: …" texts and values marked with a FYLL I comment become
  // empty fields with the example as placeholder, so nothing has to be selected and
  // deleted. Choices (a party's type, yes/no) keep the scaffold's value.
  let placeholders = new Map();
  // The scaffold's values that were emptied (path text → value), for the file.
  let originals = new Map();
  const KEEP_MARKED = new Set(["typ", "registrerad_idéburen", "ersättningsform", "outnyttjade_medel",
    "behandlas", "ansvar", "intervall", "mötesfrekvens", "budgetförbehåll"]);

  function example(text) {
    const rest = String(text).replace(/^\s*FYLL I:?\s*/, "");
    const match = rest.match(/(?:t\.ex\.|till exempel)\s+(.*)$/);
    return match ? `t.ex. ${match[1]}` : rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  function emptyPlaceholders() {
    placeholders = new Map();
    originals = new Map();
    const walk = (node, path) => {
      if (node === null || typeof node !== "object") return;
      const kept = notes.get(node);
      for (const key of Object.keys(node)) {
        const value = node[key];
        const here = [...path, Array.isArray(node) ? Number(key) : key];
        if (typeof value === "string" && /^\s*FYLL I\b/.test(value)) {
          placeholders.set(pathText(here), example(value));
          originals.set(pathText(here), value);
          node[key] = "";
        } else if (kept && /FYLL I/.test(kept.get(Array.isArray(node) ? Number(key) : key) || "")
                   && (typeof value !== "object" || value === null)) {
          // A value to write (an organisation number, a date): an empty field with the
          // scaffold's value as example. A choice (a party's type, yes/no) keeps its
          // value and its note, shown beside the field with "Stämmer", as check warns.
          const at = Array.isArray(node) ? Number(key) : key;
          if (!KEEP_MARKED.has(key)) {
            placeholders.set(pathText(here), `t.ex. ${value}`);
            originals.set(pathText(here), value);
            node[key] = "";
            remember(hidden, node, at, kept.get(at));
            kept.delete(at);
          }
        } else if (Array.isArray(value)) {
          // A list of FYLL I examples (underlag) becomes an empty list.
          const marked = value.filter((v) => typeof v === "string" && /^\s*FYLL I\b/.test(v));
          if (marked.length && marked.length === value.length) {
            placeholders.set(pathText(here), marked.map(example).join("; "));
            originals.set(pathText(here), value);
            node[key] = [];
          } else walk(value, here);
        } else walk(value, here);
      }
    };
    walk(data, []);
  }

  /** The examples of the empty fields, to keep with a draft and give back. */
  function placeholderList() { return Object.fromEntries(placeholders); }
  function setPlaceholders(list) {
    placeholders = new Map(Object.entries(list || {}).filter(([, v]) => typeof v === "string"));
  }
  /** The emptied scaffold values, to keep with a draft and give back. */
  function originalList() { return Object.fromEntries(originals); }
  function setOriginals(list) { originals = new Map(Object.entries(list || {})); }

  function placeholder(path) {
    const exact = placeholders.get(pathText(path));
    if (exact) return exact;
    // A new item of a list borrows the example of the list's first item.
    return placeholders.get(pathText(path).replace(/\[\d+\]/g, "[0]")) || "";
  }

  // ---- findings in words --------------------------------------------------------------
  /** A message without key paths: `avtalsperiod.slut` becomes ”Avtalets sista dag”. */
  function readable(message, labelOf) {
    return String(message).replace(/`([^`]{1,120})`/g, (all, inner) => {
      if (/^[\p{L}_][\p{L}\d_]*(\[\d*\])?(\.[\p{L}_][\p{L}\d_]*(\[\d*\])?)*$/u.test(inner)
          && (inner.includes(".") || inner.includes("_") || schema.properties[inner])) {
        return `”${labelOf(inner)}”`;
      }
      return `”${inner}”`;
    });
  }

  /** The findings to show: while the text cannot be read (so no rule has run), the
   * warnings and notes of the last complete check stay visible, marked as such, except
   * where an error now stands. So the counts do not swing to "0 varningar". */
  let lastComplete = [];
  let shown = [];
  let hasChecked = false;
  function steadyFindings(findings) {
    const result = steady(findings);
    shown = result.findings;
    hasChecked = true;
    if (typeof IopGuide !== "undefined") IopGuide.refresh();
    return result;
  }
  function currentFindings() { return shown; }
  function checked() { return hasChecked; }

  function steady(findings) {
    const errors = findings.filter((f) => f.severity === "fel");
    // The page's check runs the rules on every spec that can be read, the half-filled
    // too (serve/partial.py): its findings are the current ones even when they hold no
    // warning. Only a text that cannot be read at all (IOP001–IOP003) has no rule
    // findings; then the last ones stay.
    const complete = !errors.some((f) => /^IOP00[1-3]$/.test(f.code));
    if (complete) {
      lastComplete = findings.filter((f) => f.severity !== "fel");
      return { findings, earlier: 0 };
    }
    const blocked = new Set(errors.map((f) => f.path));
    const kept = lastComplete.filter((f) => !blocked.has(f.path))
      .map((f) => ({ ...f, earlier: true }));
    return { findings: [...findings, ...kept], earlier: kept.length };
  }

  /** A finding's message as the page says it: the scaffold's FYLL I note on a value the
   * page shows is confirmed with "Stämmer" or changed, not removed from a comment. */
  function pageMessage(finding) {
    if (finding.code === "IOP160" && noteAt(parsePath(finding.path))) {
      return "Uppgiften kommer från mallen och är inte bekräftad. Ändra den, eller välj " +
        "”Stämmer” om den är rätt.";
    }
    return finding.message;
  }

  return { setSchema, setMode, mode: currentMode, stepOf, emptyPlaceholders, placeholder,
    noteAt, confirmedPaths, commentList, pageMessage,
    placeholderList, setPlaceholders, originalList, setOriginals,
    readable, steadyFindings, findings: currentFindings, checked, schema: currentSchema, setData, filledIn, resolve, field, required,
    blank, toYamlData, yaml, steps, pathText, pattern, get, set, yesNo, rootInfo };
})();
