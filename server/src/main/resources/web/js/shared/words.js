// How the studio says things: names, counts, times, levels and sizes in words a musician reads.
// One helper per idea; a page that needs another way of saying something adds it here.

/** An API name in words: "room_size" → "Room size"; '' for none. */
export function words(name) {
  const text = name === undefined || name === null ? '' : String(name);
  return text.charAt(0).toUpperCase() + text.slice(1).replaceAll('_', ' ');
}

/** "1 effect", "3 effects", "1,024 samples": a count in the reader's digits with its noun. */
export function count(n, one, many) {
  return `${Number(n).toLocaleString()} ${Number(n) === 1 ? one : many}`;
}

/** A number as a person reads it: whole numbers as they are, others with at most `digits` decimals. */
export function amount(value, digits = 2) {
  const n = Number(value);
  return Number.isInteger(n) ? String(n) : n.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** A duration as m:ss ("3:07"); '–' when unknown. */
export function formatSeconds(s) {
  if (!Number.isFinite(s)) return '–';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60).toString().padStart(2, '0');
  return `${m}:${sec}`;
}

/** A date and time in the reader's locale, e.g. "3 Jun 2025, 14:05"; '–' when missing. */
export function formatDateTime(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso)
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A level with one decimal and a real minus sign ("−1.2 dBTP"); silence (no number) is "−∞". */
export function decibels(value, unit) {
  return value === null || value === undefined || !Number.isFinite(Number(value))
    ? `−∞ ${unit}` : `${Number(value).toFixed(1).replace('-', '−')} ${unit}`;
}

/** A file size: "512 B", "48 KB", "3.4 MB". */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
