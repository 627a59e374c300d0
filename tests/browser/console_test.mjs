// Drives the management console in headless Chromium against a real server
// and agent started here, on 127.0.0.1 ephemeral ports in a temp directory:
// sign in, see the host, watch a job's progress advance, preview a task's
// output, cancel a job, open the charts. Screenshots go to
// $GLEANER_ARTIFACTS (default build/test-artifacts/). Every process started
// here is stopped on the way out, pass or fail.
//
// Usage: node console_test.mjs [path/to/gleaner]   (or $GLEANER_BINARY)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, existsSync, rmSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const gleaner = resolve(process.argv[2] ?? process.env.GLEANER_BINARY ?? join(here, '../../build/gleaner'));
const artifacts = resolve(process.env.GLEANER_ARTIFACTS ?? join(dirname(gleaner), 'test-artifacts'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const DEADLINE_MS = 240_000;

const dir = mkdtempSync(join(tmpdir(), 'gleaner-browser-'));
chmodSync(dir, 0o755);  // a root agent runs tasks as the gleaner user, who must reach the work dir
const children = [];
let browser = null;

function log(...args) { console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...args); }

function start(name, args) {
  const out = openSync(join(dir, `${name}.log`), 'a');
  const child = spawn(gleaner, args, { stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}

async function waitFor(what, check, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cli(env, ...args) {
  return execFileSync(gleaner, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
}

async function stopAll() {
  if (browser) await browser.close().catch(() => {});
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    const exited = new Promise((r) => child.once('exit', r));
    const timeout = new Promise((r) => setTimeout(r, 5000, 'timeout'));
    if ((await Promise.race([exited, timeout])) === 'timeout') child.kill('SIGKILL');
  }
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const data = join(dir, 'data');
  start('server', ['server', '--data', data, '--listen', '127.0.0.1:0', '--lease', '3s', '--poll', '200ms']);
  await waitFor('the server', () => existsSync(join(data, 'server.url')));
  const url = readFileSync(join(data, 'server.url'), 'utf8').trim();
  const admin = readFileSync(join(data, 'admin.token'), 'utf8').trim();
  const env = { GLEANER_SERVER: url, GLEANER_TOKEN: admin };
  const join_token = cli(env, 'token', 'create', '--role', 'agent').trim().split('\n').pop();
  start('agent', ['agent', '--server', url, '--join', join_token, '--work', join(dir, 'agent'), '--slots', '2', '--name', 'pc1']);

  // Job A runs first (higher priority) and takes a few seconds in all, so its
  // progress visibly advances; job B waits behind it until cancelled.
  const jobA = cli(env, 'submit', '--name', 'steps', '--priority', '10', '-n', '8', '--', 'sh', '-c', 'sleep 1; echo step {i}').trim();
  const jobB = cli(env, 'submit', '--name', 'long', '-n', '4', '--', 'sleep', '120').trim();
  log(`server ${url}, jobs ${jobA} and ${jobB}`);

  browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    // The server's own CA is not in this throwaway profile (an admin imports <data>/tls/ca.pem).
    ignoreHTTPSErrors: true,
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  page.on('dialog', (d) => d.accept());
  page.on('pageerror', (e) => { throw e; });

  await page.goto(url);
  await page.fill('#token', admin);
  await page.click('#sign-in button[type=submit]');
  await page.waitForSelector('#nav:not([hidden])');
  log('signed in');

  await page.waitForSelector('tr[data-host="pc1"]');
  await page.screenshot({ path: join(artifacts, 'console-fleet.png'), fullPage: true });
  log('fleet shows pc1');

  await page.goto(`${url}/#jobs/${jobA}`);
  const bar = `tr[data-job="${jobA}"] [role=progressbar]`;
  await page.waitForSelector(bar);
  const progress = async () => Number(await page.getAttribute(bar, 'aria-valuenow'));
  const first = await progress();
  await waitFor(`job A to advance from ${first}%`, async () => (await progress()) > first, 60_000);
  await page.screenshot({ path: join(artifacts, 'console-job-progress.png'), fullPage: true });
  log(`job A advanced from ${first}% to ${await progress()}% without a reload`);

  await waitFor('job A to finish', async () => (await progress()) === 100, 90_000);
  await page.click(`#preview-${jobA}-0`);
  await page.waitForSelector('pre.preview');
  const preview = await page.textContent('pre.preview');
  if (!preview.includes('step 0')) throw new Error(`stdout preview shows "${preview}"`);
  await page.screenshot({ path: join(artifacts, 'console-task-preview.png'), fullPage: true });
  log('task output previewed');

  await page.click(`#cancel-${jobB}`);
  await page.waitForSelector(`tr[data-job="${jobB}"] .state-cancelled`);
  await page.screenshot({ path: join(artifacts, 'console-job-cancelled.png'), fullPage: true });
  const state = JSON.parse(cli(env, 'job', jobB, '--json')).state;
  if (state !== 'cancelled') throw new Error(`job B is ${state} after cancel`);
  log('job B cancelled');

  const statsQueries = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/stats')) statsQueries.push(new URL(r.url()).search); });
  await page.goto(`${url}/#harvest`);
  await page.waitForSelector('#cpu-hours');
  // The page fetches the hour of samples once, then only the newer ones,
  // and keeps drawing from the samples it holds.
  await waitFor('a poll for new samples only', () => statsQueries.some((q) => q.startsWith('?since=')), 10_000);
  if (statsQueries[0] !== '') throw new Error(`the first poll asked ${statsQueries[0]}`);
  const polls = statsQueries.length;
  await waitFor('a redraw after that poll', () => statsQueries.length > polls + 1, 10_000);
  await waitFor('both line charts', async () => (await page.locator('path.line').count()) === 2, 10_000);
  log(`harvest polled ${statsQueries.slice(0, 3).map((q) => q || '(all)').join(', ')}, …`);
  await page.screenshot({ path: join(artifacts, 'console-harvest.png'), fullPage: true });
  await page.goto(`${url}/#policy`);
  await page.waitForSelector('#view h1');
  await page.screenshot({ path: join(artifacts, 'console-policy.png'), fullPage: true });
  log(`screenshots in ${artifacts}`);
}

const watchdog = setTimeout(() => { console.error('browser test: deadline passed'); stopAll().then(() => process.exit(1)); }, DEADLINE_MS);
let failed = false;
try {
  await main();
  log('PASS');
} catch (e) {
  failed = true;
  console.error('browser test FAILED:', e);
  for (const name of ['server', 'agent']) {
    try { console.error(`--- ${name}.log (tail)\n` + readFileSync(join(dir, `${name}.log`), 'utf8').slice(-3000)); } catch { /* not started */ }
  }
} finally {
  await stopAll();
  clearTimeout(watchdog);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
