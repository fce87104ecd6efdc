/**
 * `npm run soak -- [--minutes 60] [--seed S]`: the long run that holds the hardening in place
 * (not part of `npm test`; run it on a quiet machine before a release). Three loads at once:
 *
 * 1. serveStream under attack: a peer process (hostile-peer.ts) sends valid calls, garbage,
 *    truncated frames and out-of-range lengths and hangs up at random, while an honest client in
 *    this process calls the same server; every honest call must succeed.
 * 2. StreamTransport against a hostile server process that answers with garbage, half replies,
 *    silence or a hang-up: every call must complete (with some status); the transport reconnects
 *    when its connection is gone.
 * 3. A QMI router with 8 clients calling a service that is stopped and started again every 2 s;
 *    clients reconnect when their service goes away.
 *
 * Every 30 s it samples the heap after a full GC and the tables that could leak (server
 * connections, calls in flight, router sockets, name-service lookups). It fails on a crash, a call
 * that does not complete within 10 s, an honest call that fails, or growth: the heap of the last
 * samples above 1.25 x the first ones + 16 MiB, or a table above its bound at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { QmiClient, QmiService, QrtrRouter, type QmiServiceId } from '../../runtime/qmi/messaging/index.ts';
import { connectStream, listenStream, type StreamTransport } from '../../runtime/transport/stream-transport.ts';
import { makeScalars } from '../../runtime/wire/scalars.ts';
import { OK, TEST_SERVICE, add } from '../qmi-messaging/fixtures.ts';
import { xorSkel } from '../transport/xor-skel.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const minutes = Number(option('--minutes', '60'));
const seed = Number(option('--seed', String(Date.now() % 2 ** 31)));
const deadline = Date.now() + minutes * 60_000;
const running = (): boolean => Date.now() < deadline && problems.length === 0;
const peer = new URL('./hostile-peer.ts', import.meta.url).pathname;
const problems: string[] = [];
const counts = { honest: 0, hostileServerCalls: 0, reconnects: 0, qmiOk: 0, qmiErrors: 0, restarts: 0 };

process.on('uncaughtException', (e) => problems.push(`uncaught exception: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => problems.push(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

/** Awaits `p`, recording a hang when it takes longer than 10 s. */
async function watched<T>(what: string, p: Promise<T>): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      problems.push(`hang: ${what} did not complete within 10 s`);
      resolve(undefined);
    }, 10_000);
  });
  try {
    return await Promise.race([p, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function child(args: readonly string[]): ChildProcess {
  const c = spawn(process.execPath, ['--import', 'tsx', peer, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  c.on('exit', (code, signal) => {
    if (running() && signal !== 'SIGKILL') problems.push(`hostile peer ${args[0]} exited (${code ?? signal})`);
  });
  return c;
}

/** Load 1: the honest client of a server under attack. */
async function honestClient(port: number): Promise<void> {
  const transport = await connectStream(port, { timeoutMs: 5000 });
  const data = Uint8Array.from({ length: 16 }, (_, i) => i);
  while (running()) {
    const out = new Uint8Array(16);
    const r = await watched('an honest call', Promise.resolve(transport.invoke(1, makeScalars(0, 1, 1), [data, out])));
    if (r !== 0 || out.some((b, i) => b !== (i ^ 0x5a)))
      problems.push(`an honest call failed with ${String(r)} (${transport.failureReason})`);
    counts.honest++;
    if (counts.honest % 50 === 0) await new Promise((r2) => setImmediate(r2));
  }
  transport.close();
}

/** Load 2: calls into a hostile server, reconnecting when the connection is gone. */
async function againstHostileServer(port: number, tables: { transport?: StreamTransport }): Promise<void> {
  while (running()) {
    const transport = await connectStream(port, { timeoutMs: 200 });
    tables.transport = transport;
    while (running() && transport.failure === 0) {
      await watched(
        'a call to the hostile server',
        Promise.resolve(transport.invoke(1, makeScalars(0, 1, 1), [new Uint8Array(8), new Uint8Array(8)])),
      );
      counts.hostileServerCalls++;
    }
    transport.close();
    counts.reconnects++;
  }
}

/** Load 3: 8 QMI clients against a restarting service. */
async function qmi(router: QrtrRouter): Promise<void> {
  const id: QmiServiceId = TEST_SERVICE;
  let service: QmiService | undefined;
  const restarter = setInterval(() => {
    service?.stop();
    service = new QmiService(router, id);
    service.handle(add, ({ a, b }) => ({ resp: OK, sum: BigInt(a) + BigInt(b) }));
    service.start();
    counts.restarts++;
  }, 2000);
  const oneClient = async (n: number): Promise<void> => {
    while (running()) {
      let client: QmiClient;
      try {
        client = await QmiClient.connect(router, id, { timeoutMs: 1000, lookupTimeoutMs: 3000 });
      } catch {
        continue;
      }
      for (let i = 0; running() && i < 200; i++) {
        try {
          const r = await watched('a QMI request', client.request(add, { a: n, b: i }));
          if (r && r.sum === BigInt(n + i)) counts.qmiOk++;
        } catch {
          counts.qmiErrors++;
          break;
        }
      }
      client.close();
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, n) => oneClient(n)));
  clearInterval(restarter);
  service?.stop();
}

interface Sample {
  readonly minute: number;
  readonly heapMiB: number;
  readonly connections: number;
  readonly inFlight: number;
  readonly routerSockets: number;
  readonly lookups: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const server = await listenStream(0, xorSkel, undefined, { maxMessageBytes: 1 << 20 });
  const port = (server.address() as { port: number }).port;
  const attacker = child(['client', String(port), String(seed)]);
  const evil = child(['server', String(seed + 1)]);
  const evilPort = await new Promise<number>((resolve) => {
    createInterface({ input: evil.stdout! }).once('line', (l) => resolve(Number(l.split(' ')[1])));
  });
  const router = new QrtrRouter(1);
  const tables: { transport?: StreamTransport } = {};
  const samples: Sample[] = [];
  const connections = (): Promise<number> => new Promise((r) => server.getConnections((_e, n) => r(n)));
  const sample = async (): Promise<void> => {
    gc();
    samples.push({
      minute: Math.round((Date.now() - started) / 6000) / 10,
      heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      connections: await connections(),
      inFlight: tables.transport?.inFlight ?? 0,
      routerSockets: router.socketCount,
      lookups: router.nameService.lookupCount,
    });
    console.log(JSON.stringify({ ...samples[samples.length - 1], ...counts }));
  };
  const sampler = setInterval(() => void sample(), 30_000);
  console.log(`soak: ${minutes} min, seed ${seed}`);
  await Promise.all([honestClient(port), againstHostileServer(evilPort, tables), qmi(router)]);
  clearInterval(sampler);
  attacker.kill('SIGKILL');
  evil.kill('SIGKILL');
  server.close();
  await new Promise((r) => setTimeout(r, 500));
  await sample();
  judge(samples);
  console.log(JSON.stringify(counts));
  if (problems.length > 0) {
    for (const p of problems.slice(0, 20)) console.error(`FAIL ${p}`);
    process.exitCode = 1;
  } else console.log(`soak passed: ${minutes} min, seed ${seed}`);
}

/** Growth checks: the heap of the last samples against the first ones; the tables at the end. */
function judge(samples: readonly Sample[]): void {
  if (samples.length >= 6) {
    const first = Math.max(...samples.slice(1, 4).map((s) => s.heapMiB));
    const last = Math.min(...samples.slice(-3).map((s) => s.heapMiB));
    if (last > first * 1.25 + 16) problems.push(`heap grew from ${first} MiB to ${last} MiB`);
  }
  const end = samples[samples.length - 1];
  if (end && end.connections > 1) problems.push(`${end.connections} server connections left open`);
  if (end && end.routerSockets > 1) problems.push(`${end.routerSockets} router sockets left open`);
  if (end && end.lookups > 0) problems.push(`${end.lookups} name-service lookups left registered`);
}

await main();
