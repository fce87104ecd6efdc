import { AccessFault, ScmPerm, Vmid, vmBitmap, type MemoryOwnership } from '../ownership.ts';
import type { PhysicalMemory } from '../phys.ts';
import { QmiClient, QmiResult, QmiServiceGoneError, qmiErrName, type QrtrRouter } from '../../qmi/messaging/index.ts';
import { RFSA_SERVICE, rfsaGetBuffAddr } from './rfsa-messages.ts';

/** GET_BUFF_ADDR answered FAILURE; `error` is the QMI error code. */
export class RfsaBufferError extends Error {
  override readonly name = 'RfsaBufferError';
  constructor(
    readonly error: number,
    detail?: string,
  ) {
    super(`GET_BUFF_ADDR failed: ${qmiErrName(error)}${detail ? ` (${detail})` : ''}`);
  }
}

export interface PeripheralBuffer {
  readonly address: bigint;
  readonly size: number;
  /**
   * Reads the buffer (the bytes the APPS UIO mapping shows) as the peripheral's processor does:
   * with a VM (`options.vm`) every access is checked against the stage-2 owners and a refusal is
   * an AccessFault (an XPU violation), recorded; a peripheral given no VM is not checked.
   */
  read(offset: number, len: number): Uint8Array;
  write(offset: number, data: Uint8Array): void;
}

/** Memory of another image (a TZ list entry): a shared buffer must not overlap it. */
export interface ImageRegion {
  readonly name: string;
  readonly base: bigint;
  readonly size: number;
}

export interface SharedmemPeripheralOptions {
  readonly clientId: number;
  readonly size: number;
  readonly timeoutMs?: number;
  /**
   * The VM this peripheral runs in and the stage-2 ownership it is subject to: the buffer is
   * mapped only when that VM may read and write all of it. An ADSP sets the access control
   * itself when HLOS has not (the design document allows either).
   */
  readonly vm?: { readonly vmid: number; readonly ownership: MemoryOwnership };
  /** Regions of other images the address must not overlap. */
  readonly images?: readonly ImageRegion[];
  /**
   * The image predates the msm_sharedmem QMI service (an older MPSS/ADSP build). The design
   * document: with a newer HLOS such a client goes FATAL at boot.
   */
  readonly legacyImage?: boolean;
}

/**
 * Where a peripheral stands after `boot`: running with its buffer; degraded when the HLOS is
 * older than the service (no server answers the lookup: the clients carry on without the
 * buffer); or FATAL, which the design document prescribes when the buffer cannot be had (the
 * memory was never meant to be missing) and for an older image on a newer HLOS. A subsystem
 * restart (`subsystemRestart`) boots again.
 */
export type PeripheralState =
  | { readonly kind: 'off' }
  | { readonly kind: 'running'; readonly buffer: PeripheralBuffer }
  | { readonly kind: 'degraded'; readonly reason: string }
  | { readonly kind: 'fatal'; readonly reason: string; readonly error?: RfsaBufferError };

/**
 * The peripheral side (a remote-storage or RFSA client on the modem/ADSP): asks the APPS
 * kernel for its buffer over QMI, checks the address is real memory and maps it. After a
 * subsystem restart it simply asks again. `acquire` throws on a refusal; `boot` and
 * `subsystemRestart` turn the outcome into the peripheral's state (running, degraded, FATAL).
 */
export class SharedmemPeripheralClient {
  private client: QmiClient | undefined;
  private current: PeripheralBuffer | undefined;
  private booted: PeripheralState = { kind: 'off' };
  restarts = 0;
  /** How many times this peripheral went FATAL. */
  fatals = 0;

  constructor(
    private readonly router: QrtrRouter,
    private readonly memory: PhysicalMemory,
    readonly options: SharedmemPeripheralOptions,
  ) {}

  get buffer(): PeripheralBuffer | undefined {
    return this.current;
  }

  async acquire(): Promise<PeripheralBuffer> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const ask = async () => {
      this.client ??= await QmiClient.connect(this.router, RFSA_SERVICE, { timeoutMs, lookupTimeoutMs: timeoutMs });
      return this.client.request(rfsaGetBuffAddr, { clientId: this.options.clientId, size: this.options.size });
    };
    let resp;
    try {
      resp = await ask();
    } catch (err) {
      if (!(err instanceof QmiServiceGoneError)) throw err;
      // The server we knew went away (APPS side restarted its service): look it up again.
      this.client = undefined;
      resp = await ask();
    }
    if (resp.resp.result !== QmiResult.SUCCESS) throw new RfsaBufferError(resp.resp.error);
    if (resp.address === undefined) throw new RfsaBufferError(0, 'success without an address');
    // "Validate the address": it must be real memory, not a made-up pointer.
    if (!this.memory.contains(resp.address, this.options.size)) {
      throw new RfsaBufferError(0, `address 0x${resp.address.toString(16)} is not backed by memory`);
    }
    this.checkNoOverlap(resp.address);
    this.takeAccess(resp.address);
    this.current = this.mapped(resp.address);
    return this.current;
  }

  /** The state `boot` or `subsystemRestart` left. */
  get state(): PeripheralState {
    return this.booted;
  }

  /**
   * Boot-time acquisition as the design document describes it: the peripheral looks the
   * service up and asks for its buffer once. A FAILURE answer (memory not available, or less
   * than asked for) or an address that fails validation is FATAL; no service at all means an
   * older HLOS, which the clients ride out without the buffer. Never throws for those: the
   * outcome is the returned state.
   */
  async boot(): Promise<PeripheralState> {
    if (this.options.legacyImage) {
      return this.fatal(
        'the image predates the msm_sharedmem QMI service this HLOS provides (a newer HLOS with an older peripheral is fatal)',
      );
    }
    const timeoutMs = this.options.timeoutMs ?? 5000;
    try {
      this.client ??= await QmiClient.connect(this.router, RFSA_SERVICE, { timeoutMs, lookupTimeoutMs: timeoutMs });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.booted = { kind: 'degraded', reason: `no msm_sharedmem service (an older HLOS): ${why}` };
      return this.booted;
    }
    try {
      this.booted = { kind: 'running', buffer: await this.acquire() };
    } catch (err) {
      if (!(err instanceof RfsaBufferError)) throw err;
      return this.fatal(`the shared buffer could not be had: ${err.message}`, err);
    }
    return this.booted;
  }

  /** Subsystem restart: everything the peripheral held is gone, then it boots again. */
  async subsystemRestart(): Promise<PeripheralState> {
    this.client?.close();
    this.client = undefined;
    this.current = undefined;
    this.booted = { kind: 'off' };
    this.restarts++;
    return this.boot();
  }

  private fatal(reason: string, error?: RfsaBufferError): PeripheralState {
    this.fatals++;
    this.current = undefined;
    this.booted = error ? { kind: 'fatal', reason, error } : { kind: 'fatal', reason };
    return this.booted;
  }

  /** The peripheral's mapping of its buffer, with the checked read/write of its VM. */
  private mapped(address: bigint): PeripheralBuffer {
    const size = this.options.size;
    const bytes = this.memory.view(address, size);
    const vm = this.options.vm;
    const checked = (offset: number, len: number, write: boolean): Uint8Array => {
      if (!Number.isInteger(offset) || !Number.isInteger(len) || offset < 0 || len < 0 || offset + len > size)
        throw new RangeError(`${len} bytes at offset ${offset} outside the ${size}-byte buffer`);
      const v = vm?.ownership.check({
        path: 'peripheral',
        vmid: vm.vmid,
        pa: address + BigInt(offset),
        len,
        write,
        by: `client 0x${this.options.clientId.toString(16)}`,
      });
      if (v) throw new AccessFault(v);
      return bytes.subarray(offset, offset + len);
    };
    return {
      address,
      size,
      read: (offset, len) => checked(offset, len, false).slice(),
      write: (offset, data) => checked(offset, data.length, true).set(data),
    };
  }

  /** The security check of the design document: the buffer overlaps no other image's memory. */
  private checkNoOverlap(address: bigint): void {
    const end = address + BigInt(this.options.size);
    for (const img of this.options.images ?? []) {
      if (address < img.base + BigInt(img.size) && img.base < end) {
        throw new RfsaBufferError(0, `address 0x${address.toString(16)} overlaps the memory of ${img.name}`);
      }
    }
  }

  /** Access control: an ADSP locks an HLOS-only buffer to HLOS and itself; then the VM needs RW. */
  private takeAccess(address: bigint): void {
    const vm = this.options.vm;
    if (!vm) return;
    const range = [{ pa: address, size: this.options.size }];
    const hlosOnly = vm.ownership.allows(Vmid.HLOS, address, this.options.size, ScmPerm.RWX);
    if (vm.vmid === Vmid.ADSP_Q6 && hlosOnly) {
      vm.ownership.assign(range, vmBitmap(Vmid.HLOS), [
        { vmid: Vmid.HLOS, perm: ScmPerm.RW },
        { vmid: Vmid.ADSP_Q6, perm: ScmPerm.RW },
      ]);
    }
    if (!vm.ownership.allows(vm.vmid, address, this.options.size, ScmPerm.RW)) {
      throw new RfsaBufferError(0, `the buffer at 0x${address.toString(16)} is not shared with VM 0x${vm.vmid.toString(16)}`);
    }
  }

  /** Subsystem restart: all peripheral state is lost, then the client starts over. */
  async restart(): Promise<PeripheralBuffer> {
    this.client?.close();
    this.client = undefined;
    this.current = undefined;
    this.restarts++;
    return this.acquire();
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
