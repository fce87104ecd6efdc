/**
 * Compatibility check between two API dumps (dump.ts). The question answered is the one
 * FastRPC deployments face: can a client built from the old IDL keep talking to a server
 * built from the new one (and code written against the old generated types keep
 * compiling, as far as the wire allows)?
 *
 * What decides the wire (spec sections B and C): the interface name (it is the module
 * name opened by handle or URI), each method's index (dispatch is by index, not name), the
 * parameters' count, order, modes and types (they fix the scalars word, primIn/primROut
 * layout and buffer lists), struct member order and types (inline layout), enumerator
 * values (4-byte values on the wire), the static handle and IDL_VERSION (checked by the
 * skel's open). What does not: parameter, member and enumerator names, method names (once
 * the index is fixed), return types (the wire carries only the 32-bit status), `[oneway]`
 * and friends, sequence/string bounds (recorded in descriptors, never enforced), and
 * `octet` versus `uint8` (the same unsigned byte).
 * Those are reported as compatible changes with a note.
 */
import type { ApiConstant, ApiDump, ApiEnum, ApiInterface, ApiMember, ApiMethod, ApiParam, ApiStruct, ApiType, ApiUnion } from './dump.ts';

export type ApiChangeKind =
  | 'interface-added'
  | 'interface-removed'
  | 'base-changed'
  | 'handle64-changed'
  | 'static-handle-changed'
  | 'idl-version-changed'
  | 'method-added'
  | 'method-inserted'
  | 'method-removed'
  | 'method-reindexed'
  | 'method-renamed'
  | 'method-moved'
  | 'method-return-changed'
  | 'method-async-changed'
  | 'method-attributes-changed'
  | 'param-added'
  | 'param-removed'
  | 'param-renamed'
  | 'param-reordered'
  | 'param-mode-changed'
  | 'param-type-changed'
  | 'param-wire-equivalent'
  | 'param-typedef-changed'
  | 'type-added'
  | 'type-removed'
  | 'type-kind-changed'
  | 'member-added'
  | 'member-removed'
  | 'member-reordered'
  | 'member-renamed'
  | 'member-type-changed'
  | 'member-wire-equivalent'
  | 'member-typedef-changed'
  | 'enumerator-added'
  | 'enumerator-removed'
  | 'enumerator-value-changed'
  | 'enumerator-renamed'
  | 'union-changed'
  | 'typedef-changed'
  | 'typedef-wire-equivalent'
  | 'constant-added'
  | 'constant-removed'
  | 'constant-changed';

export type ApiChangeSeverity = 'incompatible' | 'compatible';

export interface ApiChange {
  readonly kind: ApiChangeKind;
  readonly severity: ApiChangeSeverity;
  /** Where in the dump: `interfaces/<name>/methods/<method>/params/<param>`, `types/<name>/members/<member>`. */
  readonly path: string;
  readonly message: string;
}

export function isIncompatible(changes: readonly ApiChange[]): boolean {
  return changes.some((c) => c.severity === 'incompatible');
}

/** Bounds of sequences and strings are not enforced on the wire; strip them to compare the rest. */
export function withoutBounds(type: string): string {
  return type.replace(/,\d+>/g, '>').replace(/\b(w?string)<\d+>/g, '$1');
}

/**
 * The type as the wire sees it: no bounds, and `uint8` written `octet` (both are one
 * unsigned byte, both a Uint8Array in sequences).
 */
export function wireForm(type: string): string {
  return withoutBounds(type).replace(/\buint8\b/g, 'octet');
}

function wireNote(a: string, b: string): string {
  return withoutBounds(a) === withoutBounds(b) ? 'bounds are not enforced on the wire' : 'same bytes on the wire';
}

type Push = (kind: ApiChangeKind, severity: ApiChangeSeverity, path: string, message: string) => void;

/** How a type changed: not at all, only in its typedef spelling, only in ways the wire does not see, or really. */
function compareTyped(
  a: { readonly type: string; readonly declared?: string | undefined },
  b: { readonly type: string; readonly declared?: string | undefined },
): 'same' | 'typedef' | 'wire-equivalent' | 'changed' {
  if (a.type !== b.type) return wireForm(a.type) === wireForm(b.type) ? 'wire-equivalent' : 'changed';
  return (a.declared ?? a.type) === (b.declared ?? b.type) ? 'same' : 'typedef';
}

function spelled(t: { readonly type: string; readonly declared?: string | undefined }): string {
  return t.declared === undefined ? t.type : `${t.declared} (${t.type})`;
}

function paramsSignature(ps: readonly ApiParam[]): string {
  return ps.map((p) => `${p.mode} ${p.type}`).join(', ');
}

function compareParams(push: Push, path: string, oldPs: readonly ApiParam[], newPs: readonly ApiParam[]): void {
  const oldNames = new Set(oldPs.map((p) => p.name));
  const newNames = new Set(newPs.map((p) => p.name));
  if (oldPs.length !== newPs.length) {
    // Different counts: name what disappeared or appeared; positions no longer line up.
    const removed = oldPs.filter((p) => !newNames.has(p.name));
    const added = newPs.filter((p) => !oldNames.has(p.name));
    if (oldPs.length > newPs.length && removed.length === 0) removed.push(...oldPs.slice(newPs.length));
    if (newPs.length > oldPs.length && added.length === 0) added.push(...newPs.slice(oldPs.length));
    for (const p of removed) {
      push(
        'param-removed',
        'incompatible',
        `${path}/params/${p.name}`,
        `parameter '${p.name}' (${p.mode} ${p.type}) removed; the buffers and primIn/primROut layout change`,
      );
    }
    for (const p of added) {
      push(
        'param-added',
        'incompatible',
        `${path}/params/${p.name}`,
        `parameter '${p.name}' (${p.mode} ${p.type}) added; the buffers and primIn/primROut layout change`,
      );
    }
    // Parameters kept by name may still have changed.
    for (const o of oldPs) {
      const n = newPs.find((p) => p.name === o.name);
      if (n) compareParam(push, `${path}/params/${o.name}`, o, n, false);
    }
    return;
  }
  const oldOrder = oldPs.map((p) => p.name);
  const newOrder = newPs.map((p) => p.name);
  if (oldOrder.join('\0') !== newOrder.join('\0') && [...oldOrder].sort().join('\0') === [...newOrder].sort().join('\0')) {
    // Even with identical types old clients would pass each value to the wrong parameter.
    push('param-reordered', 'incompatible', path, `parameters reordered from (${oldOrder.join(', ')}) to (${newOrder.join(', ')})`);
    for (const o of oldPs) compareParam(push, `${path}/params/${o.name}`, o, newPs.find((p) => p.name === o.name) as ApiParam, false);
    return;
  }
  oldPs.forEach((o, i) => {
    const n = newPs[i] as ApiParam;
    compareParam(push, `${path}/params/${o.name}`, o, n, true);
  });
}

function compareParam(push: Push, path: string, o: ApiParam, n: ApiParam, positional: boolean): void {
  if (positional && o.name !== n.name) {
    push(
      'param-renamed',
      'compatible',
      path,
      `parameter '${o.name}' renamed to '${n.name}' (names are not on the wire; generated code changes its argument name)`,
    );
  }
  if (o.mode !== n.mode) {
    push('param-mode-changed', 'incompatible', path, `parameter '${n.name}' mode changed from ${o.mode} to ${n.mode}`);
  }
  switch (compareTyped(o, n)) {
    case 'changed':
      push('param-type-changed', 'incompatible', path, `parameter '${n.name}' type changed from ${o.type} to ${n.type}`);
      break;
    case 'wire-equivalent':
      push(
        'param-wire-equivalent',
        'compatible',
        path,
        `parameter '${n.name}' type changed from ${o.type} to ${n.type} (${wireNote(o.type, n.type)})`,
      );
      break;
    case 'typedef':
      push(
        'param-typedef-changed',
        'compatible',
        path,
        `parameter '${n.name}' now spelled ${spelled(n)}, was ${spelled(o)} (same resolved type)`,
      );
      break;
    case 'same':
      break;
  }
}

function compareMethod(push: Push, path: string, o: ApiMethod, n: ApiMethod): void {
  if (o.index !== n.index) {
    push(
      'method-reindexed',
      'incompatible',
      path,
      `method '${o.name}' moved from index ${o.index} to ${n.index}; old clients would call a different method`,
    );
  }
  compareParams(push, path, o.params, n.params);
  const ret = compareTyped({ type: o.returnType, declared: o.returnDeclared }, { type: n.returnType, declared: n.returnDeclared });
  if (ret !== 'same') {
    push(
      'method-return-changed',
      'compatible',
      path,
      `return type changed from ${o.returnDeclared ?? o.returnType} to ${n.returnDeclared ?? n.returnType} (only the 32-bit status travels on the wire; the C prototype changes)`,
    );
  }
  if (o.async !== n.async) {
    push(
      'method-async-changed',
      'compatible',
      path,
      `method '${n.name}' ${n.async ? 'became' : 'is no longer'} async (same wire layout; the C signature and invoke entry point change)`,
    );
  }
  if (o.declaredIn !== n.declaredIn) {
    push('method-moved', 'compatible', path, `method '${n.name}' now declared in ${n.declaredIn}, was ${o.declaredIn} (same index)`);
  }
  if (o.attributes.join(' ') !== n.attributes.join(' ')) {
    push(
      'method-attributes-changed',
      'compatible',
      path,
      `attributes changed from [${o.attributes.join(', ')}] to [${n.attributes.join(', ')}] (no wire effect)`,
    );
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function compareInterface(push: Push, name: string, o: ApiInterface, n: ApiInterface): void {
  const path = `interfaces/${name}`;
  if (o.base !== n.base) {
    push('base-changed', 'incompatible', path, `base interface changed from ${o.base ?? '(none)'} to ${n.base ?? '(none)'}`);
  }
  if (o.handle64 !== n.handle64) {
    push(
      'handle64-changed',
      'incompatible',
      path,
      `interface ${n.handle64 ? 'now derives' : 'no longer derives'} from remote_handle64 (open/close and method numbering change)`,
    );
  }
  if (o.staticHandle !== n.staticHandle) {
    push(
      'static-handle-changed',
      'incompatible',
      path,
      `static handle changed from ${o.staticHandle ?? '(none)'} to ${n.staticHandle ?? '(none)'}`,
    );
  }
  if (o.idlVersion !== n.idlVersion) {
    // The skel's open accepts a stub whose version is <= its own (spec B.6); a skel
    // without IDL_VERSION checks nothing; one with it rejects URIs lacking `_idlver`.
    let severity: ApiChangeSeverity;
    let why: string;
    if (!o.handle64 && !n.handle64) {
      severity = 'compatible';
      why = 'no effect, only remote_handle64 interfaces check it at open';
    } else if (o.idlVersion === null) {
      severity = 'incompatible';
      why = 'the new skel rejects old clients, whose URIs carry no _idlver';
    } else if (n.idlVersion === null) {
      severity = 'compatible';
      why = 'the new skel no longer checks versions';
    } else if (compareVersions(n.idlVersion, o.idlVersion) >= 0) {
      severity = 'compatible';
      why = 'the new skel accepts old clients (stub version <= skel version)';
    } else {
      severity = 'incompatible';
      why = 'the new skel rejects old clients with AEE_ESTUBSKELVERMISMATCH';
    }
    push(
      'idl-version-changed',
      severity,
      path,
      `IDL_VERSION changed from ${o.idlVersion ?? '(none)'} to ${n.idlVersion ?? '(none)'}: ${why}`,
    );
  }

  const newByName = new Map(n.methods.map((m) => [m.name, m]));
  const oldByName = new Map(o.methods.map((m) => [m.name, m]));
  const newByIndex = new Map(n.methods.map((m) => [m.index, m]));
  const oldMaxIndex = o.methods.reduce((mx, m) => Math.max(mx, m.index), -1);
  const renamedTo = new Set<string>();
  for (const om of o.methods) {
    const mpath = `${path}/methods/${om.name}`;
    const nm = newByName.get(om.name);
    if (nm) {
      compareMethod(push, mpath, om, nm);
      continue;
    }
    // Same index, same parameter modes and types, a name the old version did not have:
    // a rename, which dispatch by index does not notice.
    const cand = newByIndex.get(om.index);
    if (cand && !oldByName.has(cand.name) && paramsSignature(cand.params) === paramsSignature(om.params)) {
      renamedTo.add(cand.name);
      push(
        'method-renamed',
        'compatible',
        mpath,
        `method '${om.name}' renamed to '${cand.name}' at index ${om.index} (dispatch is by index; generated code changes its method name)`,
      );
      compareMethod(push, mpath, om, cand);
      continue;
    }
    push(
      'method-removed',
      'incompatible',
      mpath,
      `method '${om.name}' (index ${om.index}) removed; old clients calling it get AEE_EUNSUPPORTED or another method`,
    );
  }
  for (const nm of n.methods) {
    if (oldByName.has(nm.name) || renamedTo.has(nm.name)) continue;
    const mpath = `${path}/methods/${nm.name}`;
    if (nm.index > oldMaxIndex) {
      push('method-added', 'compatible', mpath, `method '${nm.name}' appended at index ${nm.index}`);
    } else {
      push(
        'method-inserted',
        'incompatible',
        mpath,
        `method '${nm.name}' added at index ${nm.index}, which an old method used; new methods must go at the end`,
      );
    }
  }
}

function compareMembers(push: Push, path: string, o: readonly ApiMember[], n: readonly ApiMember[], users: string): void {
  const oldNames = o.map((m) => m.name);
  const newNames = n.map((m) => m.name);
  const newSet = new Set(newNames);
  const oldSet = new Set(oldNames);
  const removed = o.filter((m) => !newSet.has(m.name));
  const added = n.filter((m) => !oldSet.has(m.name));
  // Equal counts and every name gone on one side replaced by a new one at the same
  // position: renames (the layout only depends on order and types).
  const renames =
    o.length === n.length &&
    o.some((m, i) => m.name !== (n[i] as ApiMember).name) &&
    o.every((m, i) => {
      const nm = n[i] as ApiMember;
      return m.name === nm.name || (!newSet.has(m.name) && !oldSet.has(nm.name));
    });
  if (renames) {
    o.forEach((om, i) => {
      const nm = n[i] as ApiMember;
      if (om.name !== nm.name) {
        push(
          'member-renamed',
          'compatible',
          `${path}/members/${om.name}`,
          `member '${om.name}' renamed to '${nm.name}' (names are not on the wire; generated field name changes)`,
        );
      }
      compareMemberType(push, `${path}/members/${om.name}`, om, nm, users);
    });
    return;
  }
  for (const m of removed) {
    push(
      'member-removed',
      'incompatible',
      `${path}/members/${m.name}`,
      `member '${m.name}' (${m.type}) removed; the struct layout changes${users}`,
    );
  }
  for (const m of added) {
    push(
      'member-added',
      'incompatible',
      `${path}/members/${m.name}`,
      `member '${m.name}' (${m.type}) added; the struct layout changes${users}`,
    );
  }
  const keptOld = oldNames.filter((x) => newSet.has(x));
  const keptNew = newNames.filter((x) => oldSet.has(x));
  if (keptOld.join('\0') !== keptNew.join('\0')) {
    push(
      'member-reordered',
      'incompatible',
      path,
      `members reordered from (${keptOld.join(', ')}) to (${keptNew.join(', ')}); the struct layout changes${users}`,
    );
  }
  for (const om of o) {
    const nm = n.find((m) => m.name === om.name);
    if (nm) compareMemberType(push, `${path}/members/${om.name}`, om, nm, users);
  }
}

function compareMemberType(push: Push, path: string, o: ApiMember, n: ApiMember, users: string): void {
  switch (compareTyped(o, n)) {
    case 'changed':
      push('member-type-changed', 'incompatible', path, `member '${n.name}' type changed from ${o.type} to ${n.type}${users}`);
      break;
    case 'wire-equivalent':
      push(
        'member-wire-equivalent',
        'compatible',
        path,
        `member '${n.name}' type changed from ${o.type} to ${n.type} (${wireNote(o.type, n.type)})`,
      );
      break;
    case 'typedef':
      push(
        'member-typedef-changed',
        'compatible',
        path,
        `member '${n.name}' now spelled ${spelled(n)}, was ${spelled(o)} (same resolved type)`,
      );
      break;
    case 'same':
      break;
  }
}

function compareEnum(push: Push, path: string, o: ApiEnum, n: ApiEnum, users: string): void {
  const newByName = new Map(n.enumerators.map((e) => [e.name, e]));
  const oldByName = new Map(o.enumerators.map((e) => [e.name, e]));
  const newByValue = new Map(n.enumerators.map((e) => [e.value, e]));
  const oldMax = o.enumerators.reduce((mx, e) => Math.max(mx, e.value), -Infinity);
  const renamedTo = new Set<string>();
  for (const oe of o.enumerators) {
    const epath = `${path}/enumerators/${oe.name}`;
    const ne = newByName.get(oe.name);
    if (ne) {
      if (ne.value !== oe.value) {
        push(
          'enumerator-value-changed',
          'incompatible',
          epath,
          `enumerator '${oe.name}' value changed from ${oe.value} to ${ne.value}${users}`,
        );
      }
      continue;
    }
    const cand = newByValue.get(oe.value);
    if (cand && !oldByName.has(cand.name)) {
      renamedTo.add(cand.name);
      push(
        'enumerator-renamed',
        'compatible',
        epath,
        `enumerator '${oe.name}' renamed to '${cand.name}' (value ${oe.value} unchanged; generated constant name changes)`,
      );
      continue;
    }
    push('enumerator-removed', 'incompatible', epath, `enumerator '${oe.name}' (value ${oe.value}) removed${users}`);
  }
  for (const ne of n.enumerators) {
    if (oldByName.has(ne.name) || renamedTo.has(ne.name)) continue;
    const epath = `${path}/enumerators/${ne.name}`;
    if (ne.value > oldMax) push('enumerator-added', 'compatible', epath, `enumerator '${ne.name}' appended with value ${ne.value}`);
    else
      push(
        'enumerator-added',
        'incompatible',
        epath,
        `enumerator '${ne.name}' added with value ${ne.value}, which an old enumerator used${users}`,
      );
  }
}

function compareUnion(push: Push, path: string, o: ApiUnion, n: ApiUnion, users: string): void {
  if (o.discriminator !== n.discriminator) {
    push('union-changed', 'incompatible', path, `union discriminator changed from ${o.discriminator} to ${n.discriminator}${users}`);
  }
  const key = (c: ApiUnion['cases'][number]): string => `${c.default ? 'default' : c.labels.join('|')}:${c.type}`;
  const ok = o.cases.map(key);
  const nk = n.cases.map(key);
  if (ok.join('\n') !== nk.join('\n')) {
    push('union-changed', 'incompatible', path, `union cases changed from (${ok.join(', ')}) to (${nk.join(', ')})${users}`);
  } else {
    o.cases.forEach((c, i) => {
      const nc = n.cases[i];
      if (nc && nc.name !== c.name)
        push(
          'union-changed',
          'compatible',
          `${path}/cases/${c.name}`,
          `union member '${c.name}' renamed to '${nc.name}' (names are not on the wire)`,
        );
      else if (nc && (nc.declared ?? nc.type) !== (c.declared ?? c.type))
        push(
          'union-changed',
          'compatible',
          `${path}/cases/${c.name}`,
          `union member '${c.name}' now spelled ${spelled(nc)}, was ${spelled(c)} (same resolved type)`,
        );
    });
  }
}

function usersOf(dump: ApiDump, typeName: string): string[] {
  const users: string[] = [];
  for (const [name, iface] of Object.entries(dump.interfaces)) if (iface.uses.includes(typeName)) users.push(name);
  return users.sort();
}

function typeKindLabel(t: ApiType): string {
  return t.kind;
}

function compareType(push: Push, name: string, o: ApiType, n: ApiType, oldDump: ApiDump): void {
  const path = `types/${name}`;
  const users = usersOf(oldDump, name);
  const usersNote = users.length > 0 ? ` (used by ${users.join(', ')})` : '';
  if (o.kind !== n.kind) {
    push('type-kind-changed', 'incompatible', path, `'${name}' changed from ${typeKindLabel(o)} to ${typeKindLabel(n)}${usersNote}`);
    return;
  }
  switch (o.kind) {
    case 'struct':
      compareMembers(push, path, o.members, (n as ApiStruct).members, usersNote);
      return;
    case 'enum':
      compareEnum(push, path, o, n as ApiEnum, usersNote);
      return;
    case 'union':
      compareUnion(push, path, o, n as ApiUnion, usersNote);
      return;
    case 'typedef': {
      const nt = n as typeof o;
      switch (compareTyped(o, nt)) {
        case 'changed':
          push('typedef-changed', 'incompatible', path, `typedef '${name}' changed from ${o.type} to ${nt.type}${usersNote}`);
          return;
        case 'wire-equivalent':
          push(
            'typedef-wire-equivalent',
            'compatible',
            path,
            `typedef '${name}' changed from ${o.type} to ${nt.type} (${wireNote(o.type, nt.type)})`,
          );
          return;
        case 'typedef':
          push(
            'typedef-changed',
            'compatible',
            path,
            `typedef '${name}' now spelled ${spelled(nt)}, was ${spelled(o)} (same resolved type)`,
          );
          return;
        case 'same':
          return;
      }
    }
  }
}

function constValueString(c: ApiConstant): string {
  return typeof c.value === 'string' ? JSON.stringify(c.value) : String(c.value);
}

function compareConstant(push: Push, name: string, o: ApiConstant, n: ApiConstant): void {
  const path = `constants/${name}`;
  if (name === 'IDL_VERSION') return; // judged per interface (idl-version-changed)
  const typeChange = compareTyped(o, n);
  if (typeChange === 'changed') {
    push('constant-changed', 'incompatible', path, `constant '${name}' type changed from ${o.type} to ${n.type}`);
  } else if (typeChange === 'typedef') {
    push(
      'constant-changed',
      'compatible',
      path,
      `constant '${name}' now declared as ${spelled(n)}, was ${spelled(o)} (same resolved type)`,
    );
  } else if (typeChange === 'wire-equivalent') {
    push('constant-changed', 'compatible', path, `constant '${name}' type changed from ${o.type} to ${n.type} (same value range)`);
  }
  if (JSON.stringify(o.value) !== JSON.stringify(n.value)) {
    push(
      'constant-changed',
      'incompatible',
      path,
      `constant '${name}' value changed from ${constValueString(o)} to ${constValueString(n)}`,
    );
  }
}

/**
 * Every difference between two dumps that matters to users, each classified. The list
 * is in a stable order: interfaces, then types, then constants, each by name.
 */
export function checkApiCompat(oldDump: ApiDump, newDump: ApiDump): ApiChange[] {
  const changes: ApiChange[] = [];
  const push: Push = (kind, severity, path, message) => {
    changes.push({ kind, severity, path, message });
  };

  const names = (a: object, b: object): string[] => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

  for (const name of names(oldDump.interfaces, newDump.interfaces)) {
    const o = oldDump.interfaces[name];
    const n = newDump.interfaces[name];
    if (o && n) compareInterface(push, name, o, n);
    else if (o) push('interface-removed', 'incompatible', `interfaces/${name}`, `interface '${name}' removed`);
    else if (n) push('interface-added', 'compatible', `interfaces/${name}`, `interface '${name}' added`);
  }

  for (const name of names(oldDump.types, newDump.types)) {
    const o = oldDump.types[name];
    const n = newDump.types[name];
    if (o && n) compareType(push, name, o, n, oldDump);
    else if (o) {
      const users = usersOf(oldDump, name);
      push(
        'type-removed',
        'incompatible',
        `types/${name}`,
        `${o.kind} '${name}' removed${users.length > 0 ? ` (used by ${users.join(', ')})` : ''}`,
      );
    } else if (n) {
      // An existing method that now mentions it has a changed parameter, reported there.
      push('type-added', 'compatible', `types/${name}`, `${n.kind} '${name}' added`);
    }
  }

  for (const name of names(oldDump.constants, newDump.constants)) {
    const o = oldDump.constants[name];
    const n = newDump.constants[name];
    if (name === 'IDL_VERSION') continue;
    if (o && n) compareConstant(push, name, o, n);
    else if (o) push('constant-removed', 'incompatible', `constants/${name}`, `constant '${name}' (${constValueString(o)}) removed`);
    else if (n) push('constant-added', 'compatible', `constants/${name}`, `constant '${name}' = ${constValueString(n)} added`);
  }
  return changes;
}

/** `incompatible: interfaces/x/methods/y: message` */
export function formatApiChange(c: ApiChange): string {
  return `${c.severity}: ${c.path}: ${c.message} [${c.kind}]`;
}
