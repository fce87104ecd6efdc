import { AppsAddressSpace } from './apps-vm.ts';
import { AppsMem, type AppsMemPd } from './apps-mem.ts';
import { DmaBufTable } from './dmabuf.ts';
import { SimulatedDspMemory } from './dsp-memory.ts';
import { FastRpcChannel, type FastRpcFile, type KernelPersonality } from './fastrpc-kernel.ts';
import { FastRpcUserMem } from './fastrpc-user-mem.ts';
import { HeapRegistry } from './heaps.ts';
import { MemoryOwnership } from './ownership.ts';
import { PhysicalMemory, type PhysBank } from './phys.ts';
import { RpcMem } from './rpcmem.ts';

export interface MemorySystemOptions {
  readonly personality?: KernelPersonality;
  /** Physical banks; default 64 MiB at 0x8000_0000 and 64 MiB at 0xA000_0000. */
  readonly banks?: readonly PhysBank[];
  /** DSP domain number apps_mem serves (adsp 0, cdsp 3). */
  readonly domain?: number;
  readonly pd?: AppsMemPd;
  readonly sessions?: number;
}

/** Everything apps_mem needs, wired together: one process, one FastRPC channel. */
export interface MemorySystem {
  readonly phys: PhysicalMemory;
  readonly ownership: MemoryOwnership;
  readonly heaps: HeapRegistry;
  readonly fds: DmaBufTable;
  readonly vm: AppsAddressSpace;
  readonly rpcmem: RpcMem;
  readonly dsp: SimulatedDspMemory;
  readonly channel: FastRpcChannel;
  readonly file: FastRpcFile;
  readonly userMem: FastRpcUserMem;
  readonly appsMem: AppsMem;
}

export function createMemorySystem(opts: MemorySystemOptions = {}): MemorySystem {
  const phys = new PhysicalMemory({
    banks: opts.banks ?? [
      { base: 0x8000_0000n, size: 64 << 20 },
      { base: 0xa000_0000n, size: 64 << 20 },
    ],
  });
  const ownership = new MemoryOwnership();
  const heaps = new HeapRegistry(phys, ownership);
  const fds = new DmaBufTable();
  const vm = new AppsAddressSpace(phys, ownership);
  const rpcmem = new RpcMem(heaps, fds, vm);
  const dsp = new SimulatedDspMemory();
  const personality = opts.personality ?? 'downstream';
  const channel = new FastRpcChannel({ personality, phys, ownership, dsp, ...(opts.sessions ? { sessions: opts.sessions } : {}) });
  const file = channel.open(fds);
  const domain = opts.domain ?? 0;
  const userMem = new FastRpcUserMem((d) => (d === domain ? file : undefined));
  const appsMem = new AppsMem({ domain, kernel: file, rpcmem, vm, fds, userMem, ...(opts.pd ? { pd: opts.pd } : {}) });
  return { phys, ownership, heaps, fds, vm, rpcmem, dsp, channel, file, userMem, appsMem };
}
