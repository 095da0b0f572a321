// A small YAML emitter for the spec's data shape: mappings, lists, text, whole numbers,
// true/false and null. Text is always double-quoted (so "ja", "2027-01-01" or "08" stay
// text exactly as typed); keys are plain where YAML 1.1 cannot misread them.
"use strict";

const IopYaml = (() => {
  const RESERVED = new Set(["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"]);
  const PLAIN_KEY = /^[\p{L}_][\p{L}\p{N}_-]*$/u;

  function quote(text) {
    let out = '"';
    for (const ch of String(text)) {
      const code = ch.codePointAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (code === 10) out += "\\n";
      else if (code === 9) out += "\\t";
      else if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd"; // a lone surrogate
      else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 ||
               code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff) {
        // YAML reads these as line breaks or refuses them: always escape.
        out += "\\u" + code.toString(16).padStart(4, "0");
      } else out += ch;
    }
    return out + '"';
  }

  function key(name) {
    return PLAIN_KEY.test(name) && !RESERVED.has(name.toLowerCase()) ? name : quote(name);
  }

  function isCollection(value) {
    return value !== null && typeof value === "object";
  }

  function isEmpty(value) {
    return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  }

  /** Text with line breaks as a literal block (`|`), which reads and diffs line by line;
   * anything a block cannot hold exactly falls back to a quoted string. */
  function literal(text, indent) {
    if (!text.includes("\n") || /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(text) ||
        /[\u0085\u2028\u2029\ufeff]/.test(text) || /(^|\n) /.test(text.replace(/\n+$/, "")) ||
        / \n/.test(text) || text.startsWith("\n")) {
      return null;
    }
    const body = text.replace(/\n+$/, "");
    const trailing = text.length - body.length;
    const chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
    const pad = " ".repeat(indent);
    const lines = body.split("\n").map((line) => (line ? pad + line : ""));
    for (let i = 1; i < trailing; i++) lines.push("");
    return "|" + chomp + "\n" + lines.join("\n");
  }

  function scalar(value, indent = 0) {
    if (typeof value === "string") {
      const block = literal(value, indent);
      if (block !== null) return block;
    }
    if (value === null || value === undefined) return "null";
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (Array.isArray(value)) return "[]";
    if (typeof value === "object") return "{}";
    return quote(value);
  }

  /** A comment fits on one line and holds only what YAML reads. */
  function comment(text) {
    if (text === undefined || text === null || text === "") return "";
    const clean = String(text).replace(/[\r\n\u0085\u2028\u2029]/g, " ")
      .replace(/[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "");
    return clean ? "  # " + clean : "";
  }

  /** `text` (a scalar, perhaps a block over several lines) with `note` after its
   * first line, where YAML allows a comment. */
  function withNote(text, note) {
    const end = text.indexOf("\n");
    return end < 0 ? text + note : text.slice(0, end) + note + text.slice(end);
  }

  function block(value, indent, noteFor) {
    const pad = " ".repeat(indent);
    const lines = [];
    const noteOf = (key_) => comment(noteFor ? noteFor(value, key_) : undefined);
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isCollection(item) && !isEmpty(item)) {
          const inner = block(item, indent + 2, noteFor);
          inner[0] = pad + "- " + inner[0].slice(indent + 2);
          lines.push(...inner);
        } else {
          lines.push(withNote(pad + "- " + scalar(item, indent + 2), noteOf(index)));
        }
      });
      return lines;
    }
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (isCollection(item) && !isEmpty(item)) {
        lines.push(pad + key(name) + ":" + noteOf(name));
        lines.push(...block(item, indent + 2, noteFor));
      } else {
        lines.push(withNote(pad + key(name) + ": " + scalar(item, indent + 2), noteOf(name)));
      }
    }
    return lines;
  }

  /** The YAML text of a mapping (the whole spec); `noteFor(container, key)` may give an
   * end-of-line comment for a value. */
  function dump(data, noteFor) {
    return block(data, 0, noteFor).join("\n") + "\n";
  }

  return { dump, quote };
})();
