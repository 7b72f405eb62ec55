/**
 * Student text made safe to show: every string that comes from a submission (error names,
 * messages, stacks, what it printed, export names, keys and strings inside returned values) is
 * untrusted. Before it reaches a terminal, a report, CSV or XML it is cut to a bounded length
 * and stripped of terminal escape sequences (ANSI CSI colour codes, OSC 52 clipboard writes,
 * OSC 8 links), other control characters and the bidirectional overrides of "Trojan source".
 */

/** A message, an error name, one line of output: a few KB at most. */
export const TEXT_LIMIT = 2000;
/** A stack trace or the tail of what a student process printed. */
export const LONG_TEXT_LIMIT = 4000;

// ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), ESC P/X/^/_ … ESC \ (DCS, SOS, PM, APC),
// and a lone ESC with the character after it; written with the 8-bit forms (0x9b, 0x9d …) too.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)?|\x1b[\x20-\x7e]?/g;
// What a terminal or a viewer acts on beyond the C0 controls: DEL, C1 controls (0x9b is CSI),
// bidirectional marks, embeddings, overrides and isolates, line and paragraph separators
const INVISIBLE = '\\x7f-\\x9f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
// stripped from student text: those, and the C0 controls but tab and newline
const CONTROL = new RegExp(`[\\x00-\\x08\\x0b-\\x1f${INVISIBLE}]`, 'g');
// escaped in JSON text, which JSON.stringify leaves raw (it escapes the C0 controls itself)
const RAW_IN_JSON = new RegExp(`[${INVISIBLE}]`, 'g');

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal acts on escaped as
 * \uXXXX: they can only occur inside strings, so the text stays JSON for the same value.
 */
export function escapeInvisible(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `s` cut to `max` characters (with how many were left out) and stripped of escape sequences
 * and control characters; tab and newline stay. Non-strings are converted with String() first
 * (never by calling anything the student defined: the values reaching here are plain data).
 */
export function studentText(s: unknown, max = TEXT_LIMIT): string {
  let text = typeof s === 'string' ? s : String(s);
  // cut first (the patterns below are linear, but there is no reason to scan megabytes)
  const long = text.length > 4 * max;
  if (long) text = text.slice(0, 4 * max);
  text = text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
  if (text.length > max || long) {
    const total = typeof s === 'string' ? s.length : text.length;
    return `${text.slice(0, max)}… (${total - max} more characters)`;
  }
  return text;
}

/** One line of student text: studentText with line breaks turned into " | ". */
export function studentLine(s: unknown, max = TEXT_LIMIT): string {
  return studentText(s, max).replace(/\s*\n\s*/g, ' | ');
}
