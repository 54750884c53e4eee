/** Markdown → blocks via marked's lexer (tokens only; nothing is rendered to HTML). */
import { Lexer, type Token, type Tokens } from "marked";
import type { Block } from "../types.ts";
import { SectionPath, squeeze } from "./section-path.ts";

/** Parses Markdown: headings drive sectionPath; lists give one block per item; tables and code stay whole. */
export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  const path = new SectionPath();
  const push = (kind: Block["kind"], raw: string) => {
    const clean = squeeze(raw);
    if (clean) blocks.push({ kind, text: clean, page: null, sectionPath: path.current() });
  };
  const walk = (tokens: Token[]): void => {
    for (const token of tokens) {
      switch (token.type) {
        case "heading": {
          const heading = token as Tokens.Heading;
          const title = squeeze(stripInline(heading.text));
          if (!title) break;
          path.enter(heading.depth, title);
          blocks.push({ kind: "heading", text: title, level: heading.depth, page: null, sectionPath: path.current() });
          break;
        }
        case "list":
          for (const item of (token as Tokens.List).items) push("list_item", listItemText(item));
          break;
        case "table":
          push("table", tableText(token as Tokens.Table));
          break;
        case "blockquote":
          walk((token as Tokens.Blockquote).tokens);
          break;
        case "code":
          push("paragraph", (token as Tokens.Code).text);
          break;
        case "paragraph":
        case "text":
          push("paragraph", stripInline((token as Tokens.Paragraph).text));
          break;
        case "html":
          push("paragraph", (token as Tokens.HTML).text.replace(/<[^>]*>/g, " "));
          break;
      }
    }
  };
  walk(new Lexer().lex(text));
  return blocks;
}

function listItemText(item: Tokens.ListItem): string {
  const box = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
  return `- ${box}${stripInline(item.text)}`;
}

/** Tables become "a | b | c" rows under their header row, which retrieval and the LLM both read well. */
function tableText(table: Tokens.Table): string {
  const row = (cells: Tokens.TableCell[]) => cells.map((c) => stripInline(c.text).trim()).join(" | ");
  return [row(table.header), ...table.rows.map(row)].join("\n");
}

/** Drops inline Markdown syntax but keeps link targets, which customers often ask for ("where do I download…"). */
function stripInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=$|[^\w*])/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/<[^>]+>/g, "");
}
