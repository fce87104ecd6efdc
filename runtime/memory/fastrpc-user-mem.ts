import { Aee, AeeError } from '../wire/aee-codes.ts';
import { DspCallError, DSP_EUNSUPPORTED } from './dsp-memory.ts';
import { Errno, KernelError } from './errno.ts';
import { FastRpcMapType, type FastRpcFile } from './fastrpc-kernel.ts';

/** remote_register_dma_handle_attr: map with the SMMU only, no CPU/DSP mapping. */
export const FASTRPC_ATTR_NOMAP = 16;
export const MAX_DMA_HANDLES = 256;
const MAP_FLAGS_MASK = 0xffff;

interface StaticMap {
  readonly fd: number;
  readonly vaddrin: bigint;
  readonly length: number;
  readonly flags: number;
  vaddrout: bigint;
  refs: number;
}

interface DmaHandle {
  fd: number;
  len: number;
  used: number;
  attr: number;
}

/**
 * The user library's fd-tagged maps (fastrpc_mmap / fastrpc_munmap) per domain, and the
 * DMA-handle registry. Returns AEE codes by throwing AeeError, as the library returns them.
 */
export class FastRpcUserMem {
  private readonly lists = new Map<number, StaticMap[]>();
  private readonly handles: DmaHandle[] = [];

  constructor(private readonly sessions: (domain: number) => FastRpcFile | undefined) {}

  /** fastrpc_mmap(domain, fd, vaddr, offset, length, flags). */
  mmap(domain: number, fd: number, vaddr: bigint, offset: number, length: number, flags: number): bigint {
    const attrs = flags & ~MAP_FLAGS_MASK;
    const type = flags & MAP_FLAGS_MASK;
    if (!(fd >= 0 && offset === 0 && attrs === 0)) throw new AeeError(Aee.EBADPARM, 'fastrpc_mmap: bad fd, offset or attributes');
    if (!(type >= 0 && type < FastRpcMapType.MAX && type !== FastRpcMapType.RESERVED))
      throw new AeeError(Aee.EBADPARM, `fastrpc_mmap: map type ${type}`);
    const dev = this.sessions(domain);
    if (!dev) throw new AeeError(Aee.ERPC, `no session on domain ${domain}`);
    const list = this.list(domain);
    if (list.some((m) => m.fd === fd)) throw new AeeError(Aee.EALREADY, `fd ${fd} already mapped on domain ${domain}`);
    let vaddrout: bigint;
    try {
      vaddrout = dev.memMap({ fd, offset, flags: type, attrs, vaddrin: vaddr, length });
    } catch (e) {
      if ((e instanceof KernelError && e.errno === -Errno.ENOTTY) || (e instanceof DspCallError && e.code === DSP_EUNSUPPORTED)) {
        throw new AeeError(Aee.EUNSUPPORTED, 'fastrpc_mmap: not supported');
      }
      if (e instanceof KernelError || e instanceof DspCallError) throw new AeeError(Aee.EFAILED, `fastrpc_mmap: ${e.message}`);
      throw e;
    }
    list.push({ fd, vaddrin: vaddr, length, flags: type, vaddrout, refs: 1 });
    return vaddrout;
  }

  /** fastrpc_munmap(domain, fd, vaddr, length): found by fd only. */
  munmap(domain: number, fd: number, _vaddr: bigint, _length: number): void {
    if (fd < 0) throw new AeeError(Aee.EBADPARM, 'fastrpc_munmap: bad fd');
    const dev = this.sessions(domain);
    if (!dev) throw new AeeError(Aee.ERPC, `no session on domain ${domain}`);
    const list = this.list(domain);
    const m = list.find((x) => x.fd === fd);
    if (!m) throw new AeeError(Aee.ENOSUCHMAP, `fd ${fd} is not mapped on domain ${domain}`);
    if (m.refs > 1) throw new AeeError(Aee.EBADPARM, `fd ${fd} has ${m.refs - 1} outstanding references`);
    m.refs = 0;
    try {
      dev.memUnmap({ fd, vaddrout: m.vaddrout, length: m.length });
    } catch (e) {
      if (e instanceof KernelError && (e.errno === -Errno.ENOTTY || e.errno === -Errno.EINVAL)) {
        // the library leaves the entry listed with no reference in this case
        throw new AeeError(Aee.EUNSUPPORTED, `fastrpc_munmap: ${e.message}`);
      }
      m.refs = 1;
      if (e instanceof KernelError || e instanceof DspCallError) throw new AeeError(Aee.EFAILED, `fastrpc_munmap: ${e.message}`);
      throw e;
    }
    list.splice(list.indexOf(m), 1);
  }

  /** fastrpc_buffer_ref: adds (+1) or drops (-1) a reference, never the last one. */
  bufferRef(domain: number, fd: number, ref: -1 | 0 | 1): { vaddrin: bigint; length: number } {
    const m = this.list(domain).find((x) => x.fd === fd);
    if (!m) throw new AeeError(Aee.ENOSUCHMAP);
    if (m.refs <= 0) throw new AeeError(Aee.ERPC);
    if (ref === 1) m.refs++;
    else if (ref === -1) {
      if (m.refs === 1) throw new AeeError(Aee.EBADPARM, 'last reference');
      m.refs--;
    }
    return { vaddrin: m.vaddrin, length: m.length };
  }

  mapped(domain: number): readonly { fd: number; flags: number; length: number; refs: number; vaddrout: bigint }[] {
    return this.list(domain);
  }

  /** remote_register_dma_handle_attr. */
  registerDmaHandle(fd: number, len: number, attr = 0): void {
    if (attr && attr !== FASTRPC_ATTR_NOMAP) throw new AeeError(Aee.EBADPARM, `attribute 0x${attr.toString(16)}`);
    if (fd < 0 || len < 0) throw new AeeError(Aee.EBADPARM);
    const found = this.handles.find((h) => h.used > 0 && h.fd === fd);
    if (found) {
      if (!found.attr) found.attr = attr;
      found.used++;
      return;
    }
    const slot = this.handles.find((h) => h.used === 0);
    if (slot) {
      Object.assign(slot, { fd, len, used: 1, attr });
      return;
    }
    if (this.handles.length >= MAX_DMA_HANDLES) throw new AeeError(Aee.EINVHANDLE, 'DMA handle list is full');
    this.handles.push({ fd, len, used: 1, attr });
  }

  /** unregister_dma_handle: drops one use; {0, 0} for an unknown fd. */
  unregisterDmaHandle(fd: number): { len: number; attr: number } {
    const h = this.handles.find((x) => x.used > 0 && x.fd === fd);
    if (!h) return { len: 0, attr: 0 };
    h.used--;
    while (this.handles.length > 0 && this.handles[this.handles.length - 1]!.used === 0) this.handles.pop();
    return { len: h.len, attr: h.attr };
  }

  private list(domain: number): StaticMap[] {
    let l = this.lists.get(domain);
    if (!l) {
      l = [];
      this.lists.set(domain, l);
    }
    return l;
  }
}
