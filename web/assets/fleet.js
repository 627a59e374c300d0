// Fleet: every enrolled host. Owner and run state come from the agent's
// reports, the policy in force from the server; reliability (the share of the
// host's replicated results that agreed with the accepted ones, see
// docs/validation.md) once it has any, "—" until then.
import { api } from './api.js';
import { h, table } from './dom.js';
import { ago, bytes, orDash, fixed, DASH } from './format.js';

export async function renderFleet() {
  const { hosts } = await api.get('/hosts');
  const online = hosts.filter((x) => x.online).length;
  const state = (text) => h('span', { class: `state-${text}` }, text);
  const policy = (x) => x.quarantined ? `quarantined: ${x.quarantine_reason || 'by an admin'}`
    : x.policy ? `${x.policy.policy.window || 'always'} (${x.policy.scope})` : DASH;
  return [
    h('h1', {}, `Fleet — ${hosts.length} hosts, ${online} online`),
    table('Hosts', [
      ['Host', (x) => x.facts.hostname],
      ['Connection', (x) => state(x.online ? 'online' : 'offline')],
      ['Owner state', (x) => x.activity ? state(x.activity.owner) : DASH],
      ['Run state', (x) => orDash(x.activity?.run_state)],
      ['Slots', (x) => `${x.slots_used}/${x.slots}`, 'num'],
      ['Cores', (x) => orDash(x.facts.cores), 'num'],
      ['Memory', (x) => bytes(x.facts.memory), 'num'],
      ['Last seen', (x) => ago(x.last_seen)],
      ['Reliability', (x) => x.reliability === undefined ? DASH : `${fixed(100 * x.reliability, 0)}%`, 'num'],
      ['Policy', policy],
    ], hosts, (x) => ({ 'data-host': x.facts.hostname })),
  ];
}
