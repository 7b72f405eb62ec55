/**
 * Reading the contract audits (graders/audit/<module>.md): their table rows, and a stub's text
 * as a reader sees it (for comparing the quoted sentences word for word).
 */
export interface Row {
  line: number;
  exercise: string;
  sentence: string;
  checks: string;
  proof: string;
}

/** The rows of the markdown tables of an audit file (header and separator rows skipped). */
export function auditRows(text: string): Row[] {
  const rows: Row[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line.startsWith('|') || /^\|[\s|:-]+\|$/.test(line)) return;
    const cells = line.slice(1, line.endsWith('|') && !line.endsWith('\\|') ? -1 : undefined).split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').trim());
    if (cells[0] === 'exercise') return;
    rows.push({ line: i + 1, exercise: cells[0], sentence: unquote(cells[1] ?? ''), checks: cells[2] ?? '', proof: cells[3] ?? '' });
  });
  return rows;
}

const unquote = (s: string) => s.replace(/^["“]|["”]$/g, '').replace(/^`|`$/g, '');
export const names = (cell: string) => cell.split(',').map((s) => s.replace(/`/g, '').trim()).filter(Boolean);

/** A stub's text as a reader sees it: comment markers, indentation and line breaks folded to single spaces. */
export function stubText(source: string): string {
  return source
    .split('\n')
    .map((l) => l.trim().replace(/^\/\*\*?|\*\/$/g, '').replace(/^\*\/?|^\/\//, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');
}

