/** The connection state, always visible: the customer knows whether typing reaches the server. */
import type { ConnectionInfo } from '../protocol-client.ts';

const LOOK = {
  connecting: {
    dot: 'bg-amber-500',
    box: 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100',
  },
  open: { dot: 'bg-green-600', box: 'bg-green-50 text-green-900 ring-green-300 dark:bg-green-950 dark:text-green-100' },
  switching: {
    dot: 'bg-amber-500',
    box: 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100',
  },
  reconnecting: {
    dot: 'bg-amber-500',
    box: 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100',
  },
  offline: { dot: 'bg-red-600', box: 'bg-red-50 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-100' },
} as const;

export function connectionLabel(info: ConnectionInfo): string {
  switch (info.state) {
    case 'connecting':
      return 'Connecting…';
    case 'open':
      return 'Connected';
    case 'switching':
      // The server said it is shutting down: not "Connected", though the old socket still answers.
      return 'Switching server…';
    case 'reconnecting':
      return info.retryInMs !== undefined && info.retryInMs >= 1000
        ? `Reconnecting in ${Math.ceil(info.retryInMs / 1000)} s…`
        : 'Reconnecting…';
    case 'offline':
      return 'Offline: waiting for your network';
  }
}

export function ConnectionBadge({ info }: { info: ConnectionInfo }) {
  const look = LOOK[info.state];
  return (
    <p
      role="status"
      data-connection={info.state}
      className={`inline-flex shrink-0 items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ring-1 ${look.box}`}
      title={info.reason}
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${look.dot}`} />
      {connectionLabel(info)}
    </p>
  );
}
