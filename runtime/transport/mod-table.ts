/**
 * The APPS-side handle table of the reverse path (mod_table.c): skels registered by name,
 * opened by name through apps_remotectl (reverse handle 0), invoked by the handle `open`
 * returned, reference counted, closed.
 *
 * There is no dynamic loader here: every open first "fails to load" `lib<name>_skel.so` exactly
 * as the real table does when the library is absent, then falls back to the static table. So a
 * successful open of a static module still reports the loader text in `dlerror` with nErr 0,
 * and an unknown name reports nErr AEE_EINVHANDLE with that text.
 */
import { Aee } from '../wire/aee-codes.ts';
import type { RemoteArg } from '../wire/remote-arg.ts';
import { makeScalars } from '../wire/scalars.ts';
import type { RemoteHandle, SkelInvoke } from '../rpc/transport.ts';
import { statusOf } from './status.ts';

/** At most this many reverse modules may be open at once (MAX_REV_HANDLES). */
export const MAX_REVERSE_HANDLES = 20;

/** Result of apps_remotectl.open as the DSP sees it. `status` is the invoke result. */
export interface ModOpenResult {
  readonly status: number;
  readonly handle: number;
  /** Loader error (AEE_EINVHANDLE: library not found; AEE_ENOSUCHSYMBOL: symbol not found), 0 if none. */
  readonly nErr: number;
  /** Loader message (what dlerror() would return), '' if none. */
  readonly dlerror: string;
}

export interface ModCloseResult {
  readonly status: number;
  readonly nErr: number;
  readonly dlerror: string;
}

export interface RegisterOptions {
  /**
   * The skel is a `remote_handle64` one: opening it runs its method 0 (open) with the name
   * and later invokes pass the 64-bit handle that open produced. Also registers the
   * `file:///lib<name>_skel.so?<name>_skel_handle_invoke&_modver=1.0` URI for it.
   */
  readonly handle64?: boolean;
  /** Register as a static override (tried before the loader), like mod_table_register_static_override. */
  readonly override?: boolean;
}

interface StaticMod {
  readonly uri: string;
  readonly invoke: SkelInvoke;
  readonly handle64: boolean;
}

interface OpenMod {
  readonly key: number;
  readonly slot: number;
  readonly uri: string;
  readonly mod: StaticMod;
  h64: bigint;
  refs: number;
}

interface ParsedUri {
  readonly file: string;
  readonly sym: string;
  readonly ver: string | undefined;
}

/** Parses `file://[/]<file>?<symbol>[&name[=value]...]` as mod_table.c does; undefined if not a URI. */
export function parseModUri(uri: string): ParsedUri | undefined {
  if (!uri.startsWith('file://')) return undefined;
  let rest = uri.slice('file://'.length);
  if (rest.startsWith('/')) rest = rest.slice(1);
  const q = rest.indexOf('?');
  if (q <= 0) return undefined;
  const file = rest.slice(0, q);
  const afterQ = rest.slice(q + 1);
  const amp = afterQ.indexOf('&');
  const sym = amp < 0 ? afterQ : afterQ.slice(0, amp);
  if (sym.length === 0) return undefined;
  let ver: string | undefined;
  if (amp >= 0) {
    for (const part of afterQ.slice(amp + 1).split('&')) {
      if (part.length === 0) continue;
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      if (name === '_modver') ver = eq < 0 ? '' : part.slice(eq + 1);
    }
  }
  return { file, sym, ver };
}

function normalizedUri(p: ParsedUri): string {
  return p.ver !== undefined ? `file:///${p.file}?${p.sym}&_modver=${p.ver}` : `file://${p.file}?${p.sym}`;
}

/**
 * What Android's dlerror() holds after the loader gave up: the table retries a missing
 * `libX.so` as `libX_system.so`, so the message names the second attempt.
 */
function missingLibraryText(lib: string): string {
  const dot = lib.lastIndexOf('.');
  const system = `${dot > 0 ? lib.slice(0, dot) : lib}_system.so`;
  return `dlopen failed: library "${system}" not found`;
}

/** Slot "addresses" the opaque handle keys are derived from (like the C table's static array). */
const SLOT_BASE = 0x7a5c0000;
const SLOT_SIZE = 0x100;

export class ModTable {
  private readonly statics = new Map<string, StaticMod>();
  private readonly overrides = new Map<string, StaticMod>();
  private readonly consts = new Map<number, StaticMod>();
  private readonly open = new Map<number, OpenMod>();
  private readonly slots: (OpenMod | undefined)[] = new Array<OpenMod | undefined>(MAX_REVERSE_HANDLES).fill(undefined);

  /**
   * Registers a skel under `name` so the DSP can open it through apps_remotectl:
   * `table.register('calculator', createCalculatorSkel(impl))`.
   */
  register(name: string, skel: SkelInvoke, options: RegisterOptions = {}): this {
    const handle64 = options.handle64 ?? parseModUri(name)?.ver === '1.0';
    const target = options.override ? this.overrides : this.statics;
    const mod: StaticMod = { uri: name, invoke: skel, handle64 };
    target.set(name, mod);
    if (handle64 && parseModUri(name) === undefined) {
      target.set(`file:///lib${name}_skel.so?${name}_skel_handle_invoke&_modver=1.0`, mod);
    }
    return this;
  }

  /** Serves `handle` itself with `skel`, like mod_table_register_const_handle (handle 0 = apps_remotectl). */
  registerConst(handle: number, name: string, skel: SkelInvoke): this {
    if (this.consts.has(handle)) throw new Error(`constant handle ${handle} is already registered`);
    this.consts.set(handle, { uri: name, invoke: skel, handle64: false });
    return this;
  }

  /** Names (and URIs) that `open` can resolve. */
  registeredNames(): string[] {
    return [...new Set([...this.overrides.keys(), ...this.statics.keys()])];
  }

  /** Open modules: handle, name, reference count. */
  openModules(): { handle: number; name: string; refs: number }[] {
    return [...this.open.values()].map((m) => ({ handle: m.key, name: m.uri, refs: m.refs }));
  }

  /** apps_remotectl.open: resolve a module by name or URI. */
  async openByName(name: string): Promise<ModOpenResult> {
    const existing = this.findOpen(name);
    if (existing) {
      existing.refs++;
      return { status: 0, handle: existing.key, nErr: 0, dlerror: '' };
    }
    const override = this.lookup(this.overrides, name);
    if (override) return this.openStatic(name, override, 0, '');

    // The dynamic loader runs (and fails: nothing is loadable here) before the static table.
    if (this.freeSlot() < 0) return { status: Aee.EINVHANDLE, handle: 0, nErr: 0, dlerror: '' };
    const parsed = parseModUri(name);
    const lib = parsed ? parsed.file : `lib${name}_skel.so`;
    const dlerror = missingLibraryText(lib);
    const mod = this.lookup(this.statics, name);
    if (!mod) return { status: 0, handle: 0, nErr: Aee.EINVHANDLE, dlerror };
    return this.openStatic(name, mod, 0, dlerror);
  }

  /** apps_remotectl.close: drop one reference; unknown handle -> AEE_ENOSUCHMOD. */
  async closeHandle(handle: number): Promise<ModCloseResult> {
    const om = this.open.get(handle >>> 0);
    if (!om) return { status: Aee.ENOSUCHMOD, nErr: 0, dlerror: '' };
    om.refs--;
    if (om.refs === 0) {
      this.open.delete(om.key);
      this.slots[om.slot] = undefined;
      if (om.mod.handle64) await this.closeHandle64(om);
    }
    return { status: 0, nErr: 0, dlerror: '' };
  }

  /** mod_table_invoke: dispatch a reverse call by handle. Returns the AEE status. */
  invoke(handle: number, sc: number, args: RemoteArg[]): number | Promise<number> {
    const h = handle >>> 0;
    const c = this.consts.get(h);
    if (c) return guard(() => c.invoke(h, sc, args));
    const om = this.open.get(h);
    if (!om) return Aee.ENOSUCHMOD;
    const target: RemoteHandle = om.mod.handle64 ? om.h64 : h;
    return guard(() => om.mod.invoke(target, sc, args));
  }

  private lookup(table: Map<string, StaticMod>, name: string): StaticMod | undefined {
    const direct = table.get(name);
    if (direct) return direct;
    const parsed = parseModUri(name);
    return parsed ? table.get(normalizedUri(parsed)) : undefined;
  }

  private findOpen(name: string): OpenMod | undefined {
    for (const om of this.open.values()) if (om.uri === name) return om;
    return undefined;
  }

  private freeSlot(): number {
    return this.slots.findIndex((s) => s === undefined);
  }

  private async openStatic(name: string, mod: StaticMod, nErr: number, dlerror: string): Promise<ModOpenResult> {
    const slot = this.freeSlot();
    if (slot < 0) return { status: Aee.EINVHANDLE, handle: 0, nErr: 0, dlerror: '' };
    let key = (SLOT_BASE + slot * SLOT_SIZE) >>> 0;
    while (this.open.has(key) || this.consts.has(key)) key = (key + 1) >>> 0;
    const om: OpenMod = { key, slot, uri: name, mod, h64: 0n, refs: 1 };
    if (mod.handle64) {
      const r = await this.openHandle64(om, name);
      if (r !== 0) return { status: r, handle: 0, nErr, dlerror };
    }
    this.slots[slot] = om;
    this.open.set(key, om);
    return { status: 0, handle: key, nErr, dlerror };
  }

  /** Runs method 0 (open) of a handle64 skel with the URI, as open_mod_handle_open does. */
  private async openHandle64(om: OpenMod, uri: string): Promise<number> {
    const bytes = new TextEncoder().encode(`${uri}\0`);
    const primIn = new Uint8Array(4);
    new DataView(primIn.buffer).setUint32(0, bytes.length, true);
    const slot = { fd: -1, offset: 0, h64: 0n };
    const r = await guard(() => om.mod.invoke(0n, makeScalars(0, 2, 0, 0, 1), [primIn, bytes, slot]));
    if (r === 0) om.h64 = slot.h64 ?? 0n;
    return r;
  }

  private async closeHandle64(om: OpenMod): Promise<void> {
    await guard(() => om.mod.invoke(0n, makeScalars(1, 0, 0, 1, 0), [{ fd: -1, offset: 0, h64: om.h64 }]));
  }
}

/** Turns a thrown AeeError (or anything else) from a skel into a status code. */
function guard(call: () => number | Promise<number>): number | Promise<number> {
  try {
    const r = call();
    return typeof r === 'number' ? r : r.catch(statusOf);
  } catch (err) {
    return statusOf(err);
  }
}
