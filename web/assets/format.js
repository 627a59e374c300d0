// How numbers and times read in the console.
export const DASH = '—';

export function ago(ms, now = Date.now()) {
  if (!ms) return DASH;
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function bytes(n) {
  if (!n) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i && n < 10 ? 1 : 0)} ${units[i]}`;
}

export const hours = (ms) => ms / 3_600_000;
export const fixed = (x, digits = 2) => Number(x).toFixed(digits);

// A field that another part of the grid may not report yet.
export const orDash = (v) => (v === undefined || v === null || v === '' ? DASH : v);
