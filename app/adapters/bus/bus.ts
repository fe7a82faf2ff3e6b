/**
 * Events that must reach whichever gateway instance holds a socket (manual progress, catalog
 * changes). In-process for embedded mode, Redis pub/sub otherwise; both pass bus.contract.test.ts.
 */
export type BusHandler = (message: unknown) => void;

export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is active; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
