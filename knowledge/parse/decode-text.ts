/**
 * Bytes → text for the text-based formats. Only UTF-8 (BOM optional) and BOM-marked UTF-16 are accepted: guessing a
 * legacy code page would silently index mojibake, so anything else counts as binary.
 */

/** Decodes `bytes` as text, or returns undefined when they are not valid UTF-8 / UTF-16-with-BOM. */
export function decodeText(bytes: Uint8Array): string | undefined {
  // Excel's "Unicode text" export writes UTF-16LE with a BOM; honour it instead of failing on the NUL bytes.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith("utf-16le", bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith("utf-16be", bytes.subarray(2));
  const text = decodeWith("utf-8", bytes);
  return text?.replace(/^\uFEFF/, "");
}

function decodeWith(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Normalises line endings and strips control characters that would only confuse the tokenizer and the LLM. */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
  );
}
