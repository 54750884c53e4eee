/** HTML → blocks with htmlparser2's streaming parser: no DOM is built, and the page's markup is never executed. */
import { Parser } from "htmlparser2";
import type { Block } from "../types.ts";
import { SectionPath, squeeze } from "./section-path.ts";

/** Page chrome and code, never content. */
const SKIPPED = new Set(["script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "select", "button"]);
/** Elements whose boundaries end a paragraph. */
const BREAKS = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "aside",
  "blockquote",
  "pre",
  "dd",
  "dt",
  "ul",
  "ol",
  "dl",
  "form",
  "figure",
  "figcaption",
  "hr",
  "details",
  "summary",
]);

/** Parses HTML: h1–h6 drive sectionPath; p/li/table text becomes blocks. Returns the blocks and the `<title>`. */
export function parseHtml(html: string): { blocks: Block[]; title: string | undefined } {
  const blocks: Block[] = [];
  const path = new SectionPath();
  let skipDepth = 0;
  let buf = "";
  let kind: "paragraph" | "list_item" | "heading" = "paragraph";
  let level = 0;
  let title: string | undefined;
  let inTitle = false;
  let tableDepth = 0;
  let rows: string[] = [];
  let cells: string[] = [];
  let cell = "";

  const flush = () => {
    const text = squeeze(buf).replace(/\s*\n\s*/g, " ");
    buf = "";
    if (!text) return;
    if (kind === "heading") {
      path.enter(level, text);
      blocks.push({ kind, text, level, page: null, sectionPath: path.current() });
    } else {
      blocks.push({ kind, text: kind === "list_item" ? `- ${text}` : text, page: null, sectionPath: path.current() });
    }
    kind = "paragraph";
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name) || skipDepth > 0) {
          if (SKIPPED.has(name)) skipDepth++;
          return;
        }
        if (name === "title") inTitle = true;
        else if (name === "table") {
          if (tableDepth++ === 0) {
            flush();
            rows = [];
          }
        } else if (tableDepth > 0) {
          if (name === "tr") cells = [];
          else if (name === "td" || name === "th") cell = "";
          else if (name === "br") cell += " ";
        } else if (/^h[1-6]$/.test(name)) {
          flush();
          kind = "heading";
          level = Number(name[1]);
        } else if (name === "li") {
          flush();
          kind = "list_item";
        } else if (name === "br") buf += " ";
        else if (BREAKS.has(name)) flush();
      },
      ontext(text) {
        if (skipDepth > 0) return;
        if (inTitle) title = (title ?? "") + text;
        else if (tableDepth > 0) cell += text;
        else buf += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === "title") inTitle = false;
        else if (name === "table") {
          if (--tableDepth === 0) {
            const text = rows.filter((r) => r.replace(/[\s|]/g, "")).join("\n");
            if (text) blocks.push({ kind: "table", text, page: null, sectionPath: path.current() });
          }
        } else if (tableDepth > 0) {
          if (name === "td" || name === "th") cells.push(squeeze(cell).replace(/\s*\n\s*/g, " "));
          else if (name === "tr") rows.push(cells.join(" | "));
        } else if (/^h[1-6]$/.test(name) || name === "li" || BREAKS.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  const cleanTitle = title ? squeeze(title) : "";
  return { blocks, title: cleanTitle || undefined };
}
