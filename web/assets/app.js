// The console's shell: sign-in, the four views, and the refresh loop that
// redraws the current view every second, so changes show without a reload.
import { api, token, ApiError } from './api.js';
import { renderFleet } from './fleet.js';
import { renderJobs } from './jobs.js';
import { renderHarvest } from './harvest.js';
import { renderPolicy, policyPaused } from './policy.js';

const REFRESH_MS = 1000;
const $ = (id) => document.getElementById(id);
const ctx = { role: null, name: null, refresh, say: (text) => { $('status').textContent = text; } };
let timer = null;
let generation = 0;  // a refresh started later supersedes one still waiting for the server

function route() {
  const [view = 'fleet', arg] = location.hash.slice(1).split('/');
  return { view, arg };
}

const views = {
  fleet: () => renderFleet(ctx),
  jobs: (arg) => renderJobs(ctx, arg),
  harvest: () => renderHarvest(ctx),
  policy: () => renderPolicy(ctx),
};

// Redraws the view, keeping keyboard focus on the control that had it.
async function refresh() {
  clearTimeout(timer);
  const mine = ++generation;
  const { view, arg } = route();
  for (const a of document.querySelectorAll('nav a')) {
    if (a.hash === `#${view}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  try {
    if (!(view === 'policy' && policyPaused())) {
      const nodes = await (views[view] ?? views.fleet)(arg);
      if (mine !== generation) return;
      const focused = document.activeElement?.id;
      $('view').replaceChildren(...nodes.flat(Infinity));
      if (focused && $(focused)) $(focused).focus();
    }
    // Not a live region: announcing every redraw would drown a screen reader.
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    if (mine !== generation) return;
    if (e instanceof ApiError && e.status === 401) return signOut(e.message);
    ctx.say(`cannot reach the server: ${e.message}`);
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

function signOut(message = '') {
  clearTimeout(timer);
  token.clear();
  $('view').replaceChildren();
  $('nav').hidden = $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('token').focus();
}

async function start() {
  try {
    const me = await api.get('/whoami');
    Object.assign(ctx, { role: me.role, name: me.name });
  } catch (e) {
    return signOut(e.message);  // the server says why a token is refused
  }
  $('sign-in').hidden = true;
  $('nav').hidden = $('sign-out').hidden = false;
  $('who').textContent = `${ctx.name} (${ctx.role})`;
  refresh();
}

$('sign-in').addEventListener('submit', (e) => {
  e.preventDefault();
  token.set($('token').value.trim());
  $('token').value = '';
  start();
});
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', refresh);

if (token.get()) start();
else signOut();
