import type { ContextBank } from './context.ts';
import { IommuProt } from './formats.ts';
import type { Leaf } from './page-table.ts';

function hex(n: number, width = 9): string {
  return `0x${n.toString(16).padStart(width, '0')}`;
}

export function sizeName(n: number): string {
  if (n >= 2 ** 30 && n % 2 ** 30 === 0) return `${n / 2 ** 30}G`;
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20}M`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024}K`;
  return `${n}B`;
}

function protName(p: number): string {
  return `${p & IommuProt.READ ? 'r' : '-'}${p & IommuProt.WRITE ? 'w' : '-'}${p & IommuProt.NOEXEC ? '-' : 'x'}`;
}

interface Run {
  iova: number;
  pa: number;
  size: number;
  prot: number;
  counts: Map<number, number>;
}

/** Merges leaves that continue each other in IOVA and PA with the same protection. */
function runs(leaves: readonly Leaf[]): Run[] {
  const out: Run[] = [];
  for (const l of leaves) {
    const last = out[out.length - 1];
    if (last && last.iova + last.size === l.iova && last.pa + last.size === l.pa && last.prot === l.prot) {
      last.size += l.size;
      last.counts.set(l.size, (last.counts.get(l.size) ?? 0) + 1);
    } else {
      out.push({ iova: l.iova, pa: l.pa, size: l.size, prot: l.prot, counts: new Map([[l.size, 1]]) });
    }
  }
  return out;
}

/**
 * Text picture of a context's IOVA space: each run of mappings (IOVA range, PA, size,
 * leaf sizes used), the gaps inside the allocator window, and totals. Addresses the DSP
 * sees carry the context's sid in bits 32+.
 */
export function formatIovaMap(ctx: ContextBank): string {
  const leaves = ctx.pt.entries();
  const lines: string[] = [];
  const win = ctx.iova;
  lines.push(
    `IOVA map of ${ctx.name} (${ctx.format.name}, pages ${ctx.format.pageSizes.map(sizeName).join('/')}, sid ${ctx.sid}` +
      (win ? `, window ${hex(win.start)}-${hex(win.end - 1)}, ${win.mode})` : ')'),
  );
  const rs = runs(leaves);
  let cursor = win ? win.start : undefined;
  for (const r of rs) {
    if (cursor !== undefined && r.iova > cursor)
      lines.push(`  ${hex(cursor)}-${hex(r.iova - 1)}  ${'free'.padEnd(6)} ${sizeName(r.iova - cursor)}`);
    const mix = [...r.counts.entries()]
      .sort((a, b) => b[0] - a[0])
      .map(([s, n]) => `${n}x${sizeName(s)}`)
      .join(' + ');
    lines.push(
      `  ${hex(r.iova)}-${hex(r.iova + r.size - 1)}  ${protName(r.prot).padEnd(6)} ${sizeName(r.size).padEnd(6)} -> PA ${hex(r.pa)}  [${mix}]`,
    );
    cursor = r.iova + r.size;
  }
  if (win && cursor !== undefined && cursor < win.end)
    lines.push(`  ${hex(cursor)}-${hex(win.end - 1)}  ${'free'.padEnd(6)} ${sizeName(win.end - cursor)}`);
  const mapped = leaves.reduce((n, l) => n + l.size, 0);
  const counts = ctx.pt
    .leafCounts()
    .map((n, i) => `${n}x${sizeName(ctx.format.pageSizes[i]!)}`)
    .join(', ');
  lines.push(
    `  mapped ${sizeName(mapped) === '0B' ? '0' : sizeName(mapped)} in ${leaves.length} leaves (${counts}); ${ctx.faults.length} faults`,
  );
  return lines.join('\n');
}

/** The same picture as an SVG strip: mapped runs coloured by leaf size over the window. */
export function formatIovaMapSvg(ctx: ContextBank, width = 800): string {
  const leaves = ctx.pt.entries();
  const lo = ctx.iova?.start ?? leaves[0]?.iova ?? 0;
  const hi = ctx.iova?.end ?? (leaves.length ? leaves[leaves.length - 1]!.iova + leaves[leaves.length - 1]!.size : lo + 1);
  const scale = width / Math.max(1, hi - lo);
  const colours = ['#7fb3d5', '#52be80', '#f5b041', '#ec7063'];
  const rects = leaves.map((l) => {
    const i = ctx.format.pageSizes.indexOf(l.size);
    return `<rect x="${((l.iova - lo) * scale).toFixed(2)}" y="20" width="${Math.max(0.5, l.size * scale).toFixed(2)}" height="30" fill="${colours[i] ?? '#999'}"><title>${hex(l.iova)} ${sizeName(l.size)} -> ${hex(l.pa)}</title></rect>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="70" viewBox="0 0 ${width} 70">`,
    `<rect x="0" y="20" width="${width}" height="30" fill="#eee" stroke="#999"/>`,
    ...rects,
    `<text x="0" y="14" font-size="11" font-family="monospace">${ctx.name} ${hex(lo)}</text>`,
    `<text x="${width}" y="66" font-size="11" font-family="monospace" text-anchor="end">${hex(hi - 1)}</text>`,
    '</svg>',
  ].join('\n');
}
