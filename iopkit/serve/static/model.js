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

  function setSchema(rootSchema) { schema = rootSchema; }

  function currentSchema() { return schema; }

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

  return { setSchema, schema: currentSchema, setData, filledIn, resolve, field, required,
    blank, toYamlData, yaml, steps, pathText, pattern, get, set, yesNo, rootInfo };
})();
