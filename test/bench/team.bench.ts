/**
 * `npm run bench` (team): sync against a real PostgreSQL started here. Prints a table and writes
 * test-results/bench-team.json; the figures go into docs/benchmarks.md by hand, with the machine
 * and date. Asserts only correctness (every row arrived), never timings.
 *
 *  A. 100,000 delivery-log rows from one console up to PostgreSQL, then down into a second one
 *  B. propagation lag between two running consoles under a steady 50 changes per second
 *  C. a filtered page of the team log with 1,000,000 rows in PostgreSQL
 *  D. a console joining a team of 5,000 stores: time until its stores list shows them all
 *  E. 10 consoles (sync workers, each with its own login) writing at once: propagation lag
 *  F. rotating the team key of a team with 5,000 stores (every key re-encrypted in one transaction)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/db/database';
import { Repository } from '../../src-main/db/store';
import { SyncRepository } from '../../src-main/db/syncRepo';
import { KeyFileSecretBox } from '../../src-main/secrets/secretBox';
import { TEAM_SCHEMA } from '../../src-main/team/pgMigrations';
import { pullAll } from '../../src-main/team/pull';
import { PUSH_BATCH, pushOnce } from '../../src-main/team/push';
import { teamLogPage } from '../../src-main/team/teamLog';
import { TeamSecretBox } from '../../src-main/team/teamKey';
import { openTeamKey } from '../../src-main/team/keyEnvelope';
import { rotateTeamKey } from '../../src-main/team/keyRotation';
import { SyncWorker } from '../../src-main/team/syncWorker';
import { SKIO_EVENTS } from '../../src-shared/events/catalog';
import { startCore, type TestCore } from '../helpers/core';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { makeTempDir } from '../helpers/tmp';

const LOG_ROWS = Number(process.env.BENCH_TEAM_ROWS ?? 100_000);
const LAG_SECONDS = Number(process.env.BENCH_TEAM_LAG_SECONDS ?? 10);
const PG_LOG_ROWS = Number(process.env.BENCH_TEAM_LOG_ROWS ?? 1_000_000);
const JOIN_STORES = Number(process.env.BENCH_TEAM_STORES ?? 5_000);
const CONSOLES = Number(process.env.BENCH_TEAM_CONSOLES ?? 10);
const BENCH_PASSPHRASE = 'bench passphrase for the team';

/** The team's first key version (PostgreSQL takes secrets only under the newest one). */
async function teamKey(c: pg.Client): Promise<TeamSecretBox> {
  const opened = await openTeamKey(c, BENCH_PASSPHRASE);
  const box = new TeamSecretBox();
  box.setKey(opened.key, opened.version);
  return box;
}

const results: Array<{ measurement: string; result: string; target: string }> = [];
let server: TestPostgres;
const cleanups: Array<() => void | Promise<void>> = [];
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await server.close();
  console.table(results);
  const machine = `${os.cpus().length} vCPU ${os.cpus()[0]?.model ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  fs.mkdirSync(path.resolve(__dirname, '../../test-results'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, '../../test-results/bench-team.json'), JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
});

function consoleDb(): { db: Db; repo: Repository; sync: SyncRepository; box: KeyFileSecretBox } {
  const tmp = makeTempDir('psc-bench-team-');
  const db = openDatabase(path.join(tmp.dir, 'console.sqlite3'));
  cleanups.push(() => {
    db.close();
    tmp.cleanup();
  });
  return { db, repo: new Repository(db), sync: new SyncRepository(db), box: new KeyFileSecretBox(tmp.dir) };
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  cleanups.push(() => c.end());
  return c;
}

function newStore(box: KeyFileSecretBox, i: number) {
  return {
    id: crypto.randomUUID(), name: `Team Bench ${i}`, shopDomain: `team-bench-${i}.myshopify.com`, account: 'sandbox' as const,
    postscriptShopId: `shop_${i}`, postscriptShopName: `Team Bench ${i}`, testPhone: '+15555550100', keyword: `BENCH${i}`,
    credential: { kind: 'shop' as const, scheme: box.scheme, ciphertext: box.encrypt(`sk_bench_${i}_0123456789abcdef`), mask: 'sk_…cdef', fingerprint: `fp${i}`, validatedAt: null },
    triggers: SKIO_EVENTS.map((e) => ({ eventKey: e.key, enabled: true, settings: e.settings ?? {} })),
  };
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

describe('team sync benchmarks', () => {
  it(`A. ${LOG_ROWS} log rows up and down`, { timeout: 600_000 }, async () => {
    const team = await server.createTeamDb();
    const a = consoleDb();
    a.sync.enable();
    const store = newStore(a.box, 0);
    a.repo.insertStore(store);
    const insert = a.db.prepare(
      `INSERT INTO deliveries (store_id, event_key, postscript_type, external_id, attempt, outcome, request_method, request_url, request_headers_json,
         request_body, response_status, response_body, latency_ms, started_at, finished_at, phone)
       VALUES (?, 'subscription_created', 'Skio_SubscriptionCreated', ?, 1, 'delivered', 'POST', 'https://api.postscript.io/api/v2/custom_events', '{"authorization":"Bearer sk_…cdef"}',
         ?, 202, '{"ok":true}', 120, ?, ?, '+15555550100')`,
    );
    a.db.transaction(() => {
      for (let i = 0; i < LOG_ROWS; i++) {
        const at = new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
        insert.run(store.id, `psc-${i}`, JSON.stringify({ type: 'Skio_SubscriptionCreated', phone: '+15555550100', external_id: `psc-${i}`, properties: { n: i } }), at, at);
      }
    })();
    const up = await client(team.agentUrl);
    const key = await teamKey(up);
    const deps = { sync: a.sync, secrets: a.box, team: key, agentId: a.sync.agentId() };
    // Baseline in the same run: the first rows pushed one transaction each, as a naive sync would.
    const naive = Math.min(2000, LOG_ROWS);
    let t = performance.now();
    for (let i = 0; i < naive; i++) await pushOnce(up, { ...deps, batch: 1 });
    const naiveSeconds = (performance.now() - t) / 1000;
    results.push({ measurement: `A0. baseline: ${fmt(naive)} rows up, one transaction each`, result: `${fmt(naiveSeconds, 1)} s, ${fmt(naive / naiveSeconds)} rows/s`, target: '' });
    t = performance.now();
    while ((await pushOnce(up, deps)) > 0);
    const upSeconds = (performance.now() - t) / 1000;
    const batched = LOG_ROWS - naive;
    expect(Number((await up.query(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.deliveries`)).rows[0].n)).toBe(LOG_ROWS);

    const b = consoleDb();
    const down = await client(team.agentUrl);
    t = performance.now();
    await pullAll(down, b.sync, b.sync.agentId(), () => undefined);
    const downSeconds = (performance.now() - t) / 1000;
    expect((b.db.prepare(`SELECT COUNT(*) AS n FROM deliveries`).get() as { n: number }).n).toBe(LOG_ROWS);
    results.push({ measurement: `A. ${fmt(batched)} log rows up (push, ${fmt(PUSH_BATCH)} a transaction)`, result: `${fmt(upSeconds, 1)} s, ${fmt(batched / upSeconds)} rows/s`, target: '≥ 10,000 rows/s' });
    results.push({ measurement: `A. ${fmt(LOG_ROWS)} log rows down (pull + apply)`, result: `${fmt(downSeconds, 1)} s, ${fmt(LOG_ROWS / downSeconds)} rows/s`, target: '≥ 10,000 rows/s' });
  });

  it(`B. propagation lag at 50 changes/s for ${LAG_SECONDS} s`, { timeout: 300_000 }, async () => {
    const team = await server.createTeamDb();
    const env = (agent: string) => ({ POSTSCRIPT_CONSOLE_TEAM_URL: team.agentUrl, POSTSCRIPT_CONSOLE_AGENT: agent });
    const a: TestCore = await startCore({ env: env('Ana'), teamPollMs: 5000 });
    const b: TestCore = await startCore({ env: env('Ben'), teamPollMs: 5000 });
    cleanups.push(() => a.close(), () => b.close());
    const s = newStore(new KeyFileSecretBox(a.dir), 1);
    a.core.ctx.repo.insertStore(s);
    a.core.ctx.bus.emit('changed', { topics: ['stores'] });
    const until = async (fn: () => boolean) => {
      while (!fn()) await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => b.core.ctx.repo.getStore(s.id) !== undefined);
    const n = LAG_SECONDS * 50;
    const sentAt: number[] = [];
    const arrivedAt: number[] = [];
    let seen = -1;
    b.core.bus.onAny((event) => {
      if (event !== 'changed') return;
      const word = b.core.ctx.repo.getStore(s.id)?.skipWord ?? '';
      const i = /^W(\d+)$/.exec(word) === null ? -1 : Number(word.slice(1));
      const now = performance.now();
      // Every change up to the one now visible has arrived (a pull may bring several at once).
      for (let j = seen + 1; j <= i; j++) arrivedAt[j] = now;
      seen = Math.max(seen, i);
    });
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const due = start + i * 20;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      a.core.ctx.repo.setSkipWord(s.id, `W${i}`);
      sentAt[i] = performance.now();
      a.core.ctx.bus.emit('changed', { topics: ['skip'], storeId: s.id });
    }
    await until(() => seen === n - 1);
    const lags = sentAt.map((t0, i) => arrivedAt[i]! - t0);
    results.push({ measurement: `B. propagation lag, ${n} changes at 50/s: p50 / p99 / max`, result: `${fmt(pct(lags, 50))} / ${fmt(pct(lags, 99))} / ${fmt(Math.max(...lags))} ms`, target: 'p50 < 200 ms, p99 < 1 s' });
  });

  it(`C. filtered team-log page at ${PG_LOG_ROWS} rows in PostgreSQL`, { timeout: 600_000 }, async () => {
    const team = await server.createTeamDb();
    const owner = await client(team.ownerUrl);
    let t = performance.now();
    await owner.query(
      `INSERT INTO ${TEAM_SCHEMA}.deliveries (change_id, agent_id, store_id, event_key, outcome, response_status, started_at, payload)
       SELECT 'c' || g, 'agent' || (g % 20), 'store' || (g % 200), 'subscription_created',
              (ARRAY['delivered','delivered','delivered','failed','rate_limited'])[1 + g % 5], 202, '2026-11-01T00:00:00Z',
              jsonb_build_object('external_id', 'psc-' || g, 'phone', '+15555550100', 'request_body', repeat('x', 200))
       FROM generate_series(1, $1) g`,
      [PG_LOG_ROWS],
    );
    await owner.query(`ANALYZE ${TEAM_SCHEMA}.deliveries`);
    const fillSeconds = (performance.now() - t) / 1000;
    const agent = await client(team.agentUrl);
    const measure = async (label: string, filter: Parameters<typeof teamLogPage>[1]) => {
      const times: number[] = [];
      let before: number | null = null;
      for (let i = 0; i < 30; i++) {
        t = performance.now();
        const rows = await teamLogPage(agent, filter, before, 100);
        times.push(performance.now() - t);
        if (i === 0) expect(rows.length).toBe(100);
        if (rows.length < 100) break; // walked to the end
        before = rows.at(-1)!.id;
      }
      results.push({ measurement: `C. team-log page of 100 at ${fmt(PG_LOG_ROWS)} rows, ${label} (median of 30 pages)`, result: `${fmt(pct(times, 50), 2)} ms`, target: '< 20 ms' });
    };
    await measure('by agent', { agentId: 'agent7' });
    await measure('by agent and outcome failed', { agentId: 'agent3', outcome: 'failed' });
    await measure('by store', { storeId: 'store42' });
    results.push({ measurement: `C. filling PostgreSQL with ${fmt(PG_LOG_ROWS)} rows`, result: `${fmt(fillSeconds, 1)} s`, target: '' });
  });

  it(`D. joining a team of ${JOIN_STORES} stores`, { timeout: 600_000 }, async () => {
    const team = await server.createTeamDb();
    const a = consoleDb();
    a.sync.enable();
    for (let i = 0; i < JOIN_STORES; i++) a.repo.insertStore(newStore(a.box, i));
    const up = await client(team.agentUrl);
    const key = await teamKey(up);
    while ((await pushOnce(up, { sync: a.sync, secrets: a.box, team: key, agentId: a.sync.agentId() })) > 0);
    const changes = Number((await up.query(`SELECT count(*) AS n FROM ${TEAM_SCHEMA}.changes`)).rows[0].n);
    const t = performance.now();
    const b = await startCore({ env: { POSTSCRIPT_CONSOLE_TEAM_URL: team.agentUrl, POSTSCRIPT_CONSOLE_AGENT: 'Ben' }, teamPollMs: 5000 });
    cleanups.push(() => b.close());
    for (;;) {
      if ((await b.ok('stores', 'list', {})).length === JOIN_STORES) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t) / 1000;
    results.push({ measurement: `D. join a team of ${fmt(JOIN_STORES)} stores (${fmt(changes)} changes): start → full stores list`, result: `${fmt(seconds, 1)} s`, target: '< 10 s' });
  });

  it(`E. ${CONSOLES} consoles writing at once, each with its own login`, { timeout: 300_000 }, async () => {
    const team = await server.createTeamDb();
    const owner = await client(team.ownerUrl);
    await teamKey(owner);
    const consoles = await Promise.all(Array.from({ length: CONSOLES }, async (_, i) => {
      const c = consoleDb();
      c.sync.enable();
      const store = newStore(c.box, 100 + i);
      c.repo.insertStore(store); // its key waits for a passphrase these workers never get: only the store goes up
      return { ...c, store, url: await team.agentUrlFor(`Agent ${i}`) };
    }).map(async (p) => {
      const c = await p;
      const arrived: Array<Map<number, number>> = Array.from({ length: CONSOLES }, () => new Map());
      const worker: SyncWorker = new SyncWorker({
        sync: c.sync, secrets: c.box, team: new TeamSecretBox(), pollMs: 5000, onStatus: () => undefined,
        onApplied: () => {
          const now = performance.now();
          consolesRef.forEach((w, j) => {
            const word = c.repo.getStore(w.store.id)?.skipWord ?? '';
            const n = /^W(\d+)$/.exec(word) === null ? -1 : Number(word.slice(1));
            for (let k = 0; k <= n; k++) if (!arrived[j]!.has(k)) arrived[j]!.set(k, now);
          });
        },
      });
      return { ...c, worker, arrived };
    }));
    const consolesRef = consoles;
    for (const c of consoles) {
      c.worker.start({ url: c.url, tlsMode: 'disable', caFile: null });
      cleanups.push(() => c.worker.stop());
    }
    const allSeeAll = () => consoles.every((c) => consoles.every((w) => c.repo.getStore(w.store.id) !== undefined));
    while (!allSeeAll()) await new Promise((r) => setTimeout(r, 50));
    // Each console makes 5 changes a second (50 a second in all) for LAG_SECONDS.
    const perConsole = LAG_SECONDS * 5;
    const sentAt = consoles.map(() => [] as number[]);
    const start = performance.now();
    await Promise.all(consoles.map(async (c, j) => {
      for (let i = 0; i < perConsole; i++) {
        const wait = start + i * 200 + j * 20 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        c.repo.setSkipWord(c.store.id, `W${i}`);
        sentAt[j]![i] = performance.now();
        c.worker.wake();
      }
    }));
    const done = () => consoles.every((c, r) => consoles.every((_, j) => j === r || c.arrived[j]!.size === perConsole));
    while (!done()) await new Promise((r) => setTimeout(r, 50));
    const lags: number[] = [];
    consoles.forEach((c, r) => consoles.forEach((_, j) => {
      if (j !== r) for (let i = 0; i < perConsole; i++) lags.push(c.arrived[j]!.get(i)! - sentAt[j]![i]!);
    }));
    const authors = Number((await owner.query(`SELECT count(DISTINCT author) AS n FROM ${TEAM_SCHEMA}.changes`)).rows[0].n);
    expect(authors).toBe(CONSOLES);
    results.push({
      measurement: `E. ${CONSOLES} consoles (own logins) writing at once, ${fmt(perConsole * CONSOLES)} changes at 50/s, lag to each of the other ${CONSOLES - 1}: p50 / p99 / max`,
      result: `${fmt(pct(lags, 50))} / ${fmt(pct(lags, 99))} / ${fmt(Math.max(...lags))} ms`,
      target: 'p50 < 200 ms, p99 < 1 s',
    });
  });

  it(`F. rotating the team key of a team with ${JOIN_STORES} stores`, { timeout: 600_000 }, async () => {
    const team = await server.createTeamDb();
    const a = consoleDb();
    a.sync.enable();
    for (let i = 0; i < JOIN_STORES; i++) a.repo.insertStore(newStore(a.box, i));
    const owner = await client(team.ownerUrl);
    const key = await teamKey(owner);
    while ((await pushOnce(owner, { sync: a.sync, secrets: a.box, team: key, agentId: a.sync.agentId() })) > 0);
    const t = performance.now();
    const r = await rotateTeamKey(owner, key, a.sync, 'the next bench passphrase');
    const seconds = (performance.now() - t) / 1000;
    expect(r.reencrypted).toBe(JOIN_STORES);
    expect(r.keysToRotate).toHaveLength(JOIN_STORES);
    results.push({ measurement: `F. rotate the team key: ${fmt(JOIN_STORES)} keys re-encrypted in one transaction (incl. scrypt of the new passphrase)`, result: `${fmt(seconds, 2)} s`, target: '' });
  });
});
