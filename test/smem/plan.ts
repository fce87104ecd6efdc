// Which item each worker allocates and how big it is, shared by the test and its workers.
export const FIRST_ITEM = 8;

export interface WorkerReport {
  worker: number;
  allocated: number;
  sharedWon: number[];
  torn: string[];
  errors: string[];
  peeks: number;
}

export function sharedItem(k: number): number {
  return FIRST_ITEM + k;
}

export function ownItem(sharedItems: number, workers: number, worker: number, i: number): number {
  return FIRST_ITEM + sharedItems + i * workers + worker;
}

/** 1..61 bytes, so most sizes need padding to 8. */
export function itemSize(item: number): number {
  return 1 + ((item * 7919) % 61);
}

export function stamp(item: number): number {
  return (item * 31 + 7) & 0xff;
}
