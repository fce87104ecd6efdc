/**
 * A simulated DSP as a separate process, reached over a Unix socket (or TCP on loopback).
 *
 * As a program:  node dsp-process.js --program <module> [--socket <path> | --port <n>] [--args <json>]
 *   listens, prints `listening <where>`, serves the DSP's static handles on the first
 *   connection, runs the program, prints `result <json>` (or `error <json>`), and exits once
 *   the APPS side hangs up.
 * From APPS: `spawnDspProcess(...)` starts it and connects, returning a Transport.
 */
import { spawn } from 'node:child_process';
import { moduleLoadingFor } from './module-loading.ts';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AeeError } from '../wire/aee-codes.ts';
import type { DspOutcome } from './dsp-worker.ts';
import { DspSide, programOf } from './dsp-side.ts';
import { StreamTransport, connectStream, listenStream } from './stream-transport.ts';

export interface DspProcess {
  readonly transport: StreamTransport;
  readonly child: ChildProcess;
  readonly outcome: Promise<DspOutcome>;
  /** Hangs up and waits for the process to exit. */
  close(): Promise<number | null>;
  /** Kills the process (a DSP crash). */
  kill(): Promise<number | null>;
}

export interface DspProcessOptions {
  readonly program: string | URL;
  readonly args?: unknown;
  /** Unix socket path; default: TCP on a free loopback port. */
  readonly socket?: string;
  readonly timeoutMs?: number;
  /** How long the reverse listener's next2 may wait for the DSP's next call (default none). */
  readonly idleTimeoutMs?: number;
}

/** Starts a DSP process running `program` and connects to it. */
export async function spawnDspProcess(options: DspProcessOptions): Promise<DspProcess> {
  const program = options.program instanceof URL ? fileURLToPath(options.program) : options.program;
  const loading = moduleLoadingFor([import.meta.url, program]);
  const loader = loading.tsxLoader !== undefined ? ['--import', loading.tsxLoader] : [];
  const argv = [
    ...loading.execArgv,
    ...loader,
    fileURLToPath(import.meta.url),
    '--program',
    program,
    '--args',
    JSON.stringify(options.args ?? null),
  ];
  argv.push(...(options.socket ? ['--socket', options.socket] : ['--port', '0']));
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let settle: (o: DspOutcome) => void = () => {};
  const outcome = new Promise<DspOutcome>((resolve) => (settle = resolve));
  void exited.then((code) => settle({ ok: false, error: `DSP process exited with code ${code}` }));
  const where = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const sp = line.indexOf(' ');
      const kind = sp < 0 ? line : line.slice(0, sp);
      const rest = sp < 0 ? '' : line.slice(sp + 1);
      if (kind === 'listening') resolve(rest);
      else if (kind === 'result') settle({ ok: true, value: JSON.parse(rest) as unknown });
      else if (kind === 'error') settle({ ok: false, ...(JSON.parse(rest) as { error: string; code?: number }) });
    });
    void exited.then(() => reject(new Error('DSP process exited before listening')));
  });
  const transport = await connectStream(/^\d+$/.test(where) ? Number(where) : where, {
    timeoutMs: options.timeoutMs,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  return {
    transport,
    child,
    outcome,
    close: async () => {
      transport.close();
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<void> {
  const programPath = option(argv, '--program');
  if (!programPath) throw new Error('--program <module> is required');
  const args = JSON.parse(option(argv, '--args') ?? 'null') as unknown;
  const socketPath = option(argv, '--socket');
  const side = new DspSide(args);
  let started = false;
  const server = await listenStream(socketPath ?? Number(option(argv, '--port') ?? 0), side.dispatch, (_socket, served) => {
    if (started) return;
    started = true;
    void (async () => {
      try {
        const value = await side.run(programOf(await import(pathToFileURL(programPath).href), programPath));
        process.stdout.write(`result ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
      } catch (err) {
        side.queue.close();
        process.stdout.write(
          `error ${JSON.stringify({ error: err instanceof Error ? err.message : String(err), code: err instanceof AeeError ? err.code : undefined })}\n`,
        );
      }
      await served;
      server.close();
    })();
  });
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'string' ? addr : String(addr?.port)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
