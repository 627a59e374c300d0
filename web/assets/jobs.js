// Jobs: every job the token may see (a submitter sees its own), with a
// progress bar and counts by state; one job's tasks below when selected.
import { api } from './api.js';
import { h, table } from './dom.js';
import { ago, orDash, DASH } from './format.js';

const MAX_TASKS_SHOWN = 200;
const MAX_PREVIEW_BYTES = 64 * 1024;
const previews = new Map();  // "job/index" -> {stdout, stderr}, kept across refreshes

function progressBar(job) {
  const total = job.spec.count || 1, c = job.counts;
  const seg = (state, n) => n ? h('span', { class: `seg-${state}`, style: `width:${(100 * n / total).toFixed(2)}%` }) : null;
  const pct = Math.floor(100 * (c.done + c.failed + c.cancelled) / total);
  return h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
                    'aria-valuenow': pct, 'aria-label': `job ${job.id} ${pct}% finished` },
    seg('done', c.done), seg('failed', c.failed), seg('cancelled', c.cancelled), seg('running', c.running));
}

async function cancel(job, ctx) {
  if (!confirm(`Cancel job ${job.id} (${job.spec.name || job.spec.command.join(' ')})?`)) return;
  try {
    await api.post(`/jobs/${job.id}/cancel`);
  } catch (e) {
    ctx.say(`cancel failed: ${e.message}`);
  }
  ctx.refresh();
}

async function preview(jobId, task, ctx) {
  const fetchText = async (ref) => {
    if (!ref) return '(nothing captured)';
    if (ref.size > MAX_PREVIEW_BYTES) return `(${ref.size} bytes: too large to preview; use gleaner fetch)`;
    // Named as a file of the job and task: submitters may read no other blobs.
    return ref.size ? api.text(`/blobs/${ref.sha256}?job=${jobId}&task=${task.index}`) : '(empty)';
  };
  const [stdout, stderr] = await Promise.all([fetchText(task.stdout), fetchText(task.stderr)]);
  previews.set(`${jobId}/${task.index}`, { stdout, stderr });
  ctx.refresh();
}

function outputCard(jobId, index) {
  const p = previews.get(`${jobId}/${index}`);
  return h('section', { class: 'card', 'aria-label': `Output of task ${index}` },
    h('h2', {}, `Output of task ${index}`),
    h('h3', {}, 'stdout'), h('pre', { class: 'preview' }, p.stdout),
    h('h3', {}, 'stderr'), h('pre', { class: 'preview' }, p.stderr));
}

function taskTable(job, tasks, ctx) {
  const shown = tasks.slice(0, MAX_TASKS_SHOWN);
  return [
    h('h2', {}, `Tasks of job ${job.id}`, tasks.length > shown.length ? ` (first ${shown.length} of ${tasks.length})` : ''),
    table(`Tasks of job ${job.id}`, [
      ['#', (t) => t.index, 'num'],
      ['State', (t) => h('span', { class: `state-${t.state}` }, t.state)],
      ['Attempts', (t) => t.attempts, 'num'],
      ['Host', (t) => orDash(t.host)],
      ['Exit', (t) => t.exit_code ?? (t.signal ? `signal ${t.signal}` : DASH), 'num'],
      ['Wall', (t) => t.wall_ms ? `${(t.wall_ms / 1000).toFixed(1)}s` : DASH, 'num'],
      ['Reason', (t) => orDash(t.reason)],
      ['Output', (t) => (t.stdout || t.stderr)
        ? h('button', { type: 'button', class: 'secondary', id: `preview-${job.id}-${t.index}`,
                        onclick: () => preview(job.id, t, ctx) }, 'Preview')
        : DASH],
    ], shown),
    shown.filter((t) => previews.has(`${job.id}/${t.index}`)).map((t) => outputCard(job.id, t.index)),
  ];
}

export async function renderJobs(ctx, selected) {
  const { jobs } = await api.get('/jobs');
  jobs.reverse();  // newest first
  const canCancel = ctx.role === 'admin' || ctx.role === 'submitter';
  const finished = (j) => ['done', 'failed', 'cancelled'].includes(j.state);
  const view = [
    h('h1', {}, `Jobs — ${jobs.filter((j) => !finished(j)).length} active of ${jobs.length}`),
    table('Jobs', [
      ['ID', (j) => h('a', { href: `#jobs/${j.id}` }, j.id), 'num'],
      ['Name', (j) => j.spec.name || j.spec.command.join(' ')],
      ['Owner', (j) => j.owner],
      ['State', (j) => h('span', { class: `state-${j.state}` }, j.state)],
      ['Progress', progressBar],
      ['Done', (j) => `${j.counts.done}/${j.spec.count}`, 'num'],
      ['Running', (j) => j.counts.running, 'num'],
      ['Queued', (j) => j.counts.queued, 'num'],
      ['Failed', (j) => j.counts.failed, 'num'],
      ['Submitted', (j) => ago(j.created_at)],
      ['', (j) => canCancel && !finished(j)
        ? h('button', { type: 'button', class: 'danger', id: `cancel-${j.id}`, onclick: () => cancel(j, ctx) }, 'Cancel')
        : ''],
    ], jobs, (j) => ({ 'data-job': j.id, class: String(j.id) === selected ? 'selected' : null })),
  ];
  const job = jobs.find((j) => String(j.id) === selected);
  if (job) view.push(...taskTable(job, (await api.get(`/jobs/${job.id}/tasks`)).tasks, ctx));
  else if (jobs.length) view.push(h('p', { class: 'muted' }, 'Select a job to see its tasks.'));
  return view;
}
