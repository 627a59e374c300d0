// Policy: the rules that protect desktop owners, as the server holds them
// (GET /api/v1/policy); admins may edit and save them (PUT).
import { api, ApiError } from './api.js';
import { h } from './dom.js';

let draft = null;  // the admin's unsaved edit; while set, the view is not refreshed over it

export const policyPaused = () => draft !== null;

async function save(ctx) {
  try {
    await api.put('/policy', JSON.parse(draft));
    draft = null;
    ctx.say('policy saved');
  } catch (e) {
    ctx.say(e instanceof SyntaxError ? `not valid JSON: ${e.message}` : `not saved: ${e.message}`);
  }
  ctx.refresh();
}

export async function renderPolicy(ctx) {
  let view;
  try {
    view = await api.get('/policy');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return [h('h1', {}, 'Policy'), h('p', { class: 'muted' }, 'This server does not serve a policy yet.')];
    }
    throw e;
  }
  const policy = view.policy ?? view;
  const out = [
    h('h1', {}, 'Policy', view.scope ? ` — ${view.scope}` : ''),
    h('div', { class: 'card' }, h('dl', { class: 'fields' },
      Object.entries(policy).map(([k, v]) => [h('dt', {}, k), h('dd', {}, JSON.stringify(v))]))),
  ];
  if (ctx.role !== 'admin') return out;
  const editor = h('textarea', {
    id: 'policy-editor', 'aria-label': 'Policy as JSON', spellcheck: 'false',
    oninput: (e) => { draft = e.target.value; },
  });
  editor.value = draft ?? JSON.stringify(policy, null, 2);
  out.push(h('h2', {}, 'Edit'), editor, h('div', { class: 'toolbar' },
    h('button', { type: 'button', id: 'policy-save', onclick: () => save(ctx) }, 'Save'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { draft = null; ctx.refresh(); } }, 'Discard')));
  return out;
}
