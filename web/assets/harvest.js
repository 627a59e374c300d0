// Harvest: the CPU the grid gleaned (from /report, the same numbers as
// `gleaner report`) and the grid's recent pace (from /stats samples).
import { api, token } from './api.js';
import { h } from './dom.js';
import { barChart, lineChart } from './chart.js';
import { hours, fixed } from './format.js';

const REPORT_TTL_MS = 10_000;  // reports scan the store: fetch them less often than the live samples
const WINDOW_MS = 3_600_000;  // the hour of samples the server keeps and the charts show
const PRICE_KEY = 'gleaner.price';
let reports = null, fetchedAt = 0, fetchedFor = null;  // fetchedFor: the token they were fetched with
let samples = [];  // oldest first; kept across redraws so each poll fetches only new ones

async function loadReports() {
  // Reports depend on who asks (a submitter sees only its own usage): never
  // show one caller's to the next one signing in within the TTL.
  if (reports && fetchedFor === token.get() && Date.now() - fetchedAt < REPORT_TTL_MS) return reports;
  const [day, host, user] = await Promise.all(
    ['day', 'host', 'user'].map((by) => api.get(`/report?since=30d&by=${by}`)));
  reports = { day, host, user };
  fetchedAt = Date.now();
  fetchedFor = token.get();
  return reports;
}

// Appends the samples taken after the newest one held (all of them the first
// time) and forgets those older than the window.
async function loadSamples() {
  const newest = () => samples.at(-1)?.at;
  const since = newest();
  const fresh = (await api.get(since === undefined ? '/stats' : `/stats?since=${since}`)).samples;
  // Redraws can overlap (a hash change starts one while another waits), so
  // take a sample only if it is newer than any held by now.
  const held = newest() ?? -Infinity;
  samples.push(...fresh.filter((x) => x.at > held));
  if (!samples.length) return samples;
  // The window is measured on the server's clock: this browser's may differ.
  const start = newest() - WINDOW_MS;
  samples.splice(0, samples.findIndex((x) => x.at > start));  // the newest always qualifies
  return samples;
}

// Completions per minute over a sliding minute of samples.
function perMinute(samples) {
  const done = (x) => x.tasks.done + x.tasks.failed;
  const points = [];
  let j = 0;
  for (let i = 1; i < samples.length; i++) {
    while (samples[i].at - samples[j].at > 60_000) j++;
    const dt = samples[i].at - samples[j].at;
    if (dt > 0) points.push({ t: samples[i].at, v: (done(samples[i]) - done(samples[j])) * 60_000 / dt });
  }
  return points;
}

export async function renderHarvest() {
  const [r, recent] = await Promise.all([loadReports(), loadSamples()]);
  const price = Number(localStorage.getItem(PRICE_KEY) ?? '0.05');
  const cpuH = hours(r.day.total.cpu_ms);
  const bars = (report) => report.lines.map((l) => ({ label: l.key, value: hours(l.cpu_ms) }));
  const priceInput = h('input', {
    id: 'price', type: 'number', min: '0', step: '0.01', value: price, 'aria-label': 'Price per core-hour (USD)',
    oninput: (e) => { localStorage.setItem(PRICE_KEY, e.target.value); },
  });
  return [
    h('h1', {}, 'Harvest — last 30 days'),
    h('div', { class: 'tiles' },
      h('div', { class: 'tile' }, 'CPU-hours harvested', h('strong', { id: 'cpu-hours' }, fixed(cpuH, cpuH < 10 ? 3 : 1))),
      h('div', { class: 'tile' }, 'Tasks run', h('strong', {}, r.day.total.tasks),
        h('span', { class: 'muted' }, `${r.day.total.failed} failed attempts`)),
      h('div', { class: 'tile' }, 'Estimated cost saved', h('strong', {}, `$${fixed(cpuH * price, 2)}`),
        h('label', { class: 'muted' }, 'at $', priceInput, ' per core-hour'))),
    h('div', { class: 'charts' },
      barChart('CPU-hours per day', bars(r.day), 'h'),
      barChart('CPU-hours by host', bars(r.host), 'h'),
      barChart('CPU-hours by user', bars(r.user), 'h'),
      lineChart('Tasks completed per minute', perMinute(recent), '/min'),
      lineChart('Queue depth', recent.map((x) => ({ t: x.at, v: x.tasks.queued })), 'tasks')),
  ];
}
