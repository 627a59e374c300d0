// Small SVG charts drawn by hand: vertical bars for categories, a line for
// time series. Each carries a text summary for screen readers.
import { h, s } from './dom.js';

const W = 560, H = 220, PAD = { left: 48, right: 12, top: 12, bottom: 44 };

function frame(title, summary, body) {
  return h('figure', { class: 'card' },
    h('figcaption', {}, h('h2', {}, title)),
    s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary }, body));
}

function axis(max, unit) {
  const y = (v) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  return [
    s('line', { class: 'axis', x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }),
    s('text', { x: PAD.left + 4, y: y(max) + 10 }, `${+max.toPrecision(2)} ${unit}`),
    s('text', { x: PAD.left - 6, y: y(0) + 4, 'text-anchor': 'end' }, '0'),
  ];
}

// items: [{label, value}]
export function barChart(title, items, unit) {
  if (!items.length) return frame(title, `${title}: no data yet`, s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'No data yet'));
  const max = Math.max(...items.map((i) => i.value), 1e-9);
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const step = plotW / items.length, barW = Math.max(2, step * 0.7);
  const labelEvery = Math.ceil(items.length / 8);  // keep labels from overlapping
  const bars = items.map((item, i) => {
    const bh = plotH * (item.value / max);
    const x = PAD.left + i * step + (step - barW) / 2;
    return s('g', {},
      s('rect', { class: 'bar-fill', x, y: PAD.top + plotH - bh, width: barW, height: bh },
        s('title', {}, `${item.label}: ${+item.value.toPrecision(4)} ${unit}`)),
      i % labelEvery ? null
        : s('text', { x: x + barW / 2, y: H - PAD.bottom + 14, 'text-anchor': 'middle' }, item.label.slice(0, 14)));
  });
  const summary = `${title}: ` + items.map((i) => `${i.label} ${+i.value.toPrecision(3)} ${unit}`).join(', ');
  return frame(title, summary, [axis(max, unit), bars]);
}

// points: [{t (Unix ms), v}]
export function lineChart(title, points, unit) {
  if (points.length < 2) return frame(title, `${title}: collecting samples`, s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'Collecting samples…'));
  const max = Math.max(...points.map((p) => p.v), 1);
  const t0 = points[0].t, t1 = points[points.length - 1].t;
  const plotW = W - PAD.left - PAD.right, plotH = H - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + plotW * ((t - t0) / Math.max(1, t1 - t0));
  const y = (v) => PAD.top + plotH * (1 - v / max);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const clock = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const last = points[points.length - 1].v;
  return frame(title, `${title}: now ${+last.toPrecision(3)} ${unit}, peak ${+max.toPrecision(3)}`, [
    axis(max, unit),
    s('path', { class: 'line', d }),
    s('text', { x: PAD.left, y: H - PAD.bottom + 14 }, clock(t0)),
    s('text', { x: W - PAD.right, y: H - PAD.bottom + 14, 'text-anchor': 'end' }, clock(t1)),
  ]);
}
