/**
 * A resume that failed (the server no longer has the conversation this browser kept), said plainly
 * above the conversation until dismissed, with what the page still shows offered as a copy.
 */
import { CopyConversation } from './SupportLinks.tsx';

export function SessionLost({
  message,
  conversation,
  onDismiss,
}: {
  message: string;
  /** The conversation this page still shows, as plain text; absent when it shows none. */
  conversation: (() => string) | undefined;
  onDismiss(): void;
}) {
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-300 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-700"
      data-testid="session-lost"
    >
      <p className="min-w-0 flex-1 basis-64">{message}</p>
      {conversation && <CopyConversation text={conversation} />}
      <button
        type="button"
        onClick={onDismiss}
        className="inline-flex min-h-7 items-center rounded-md px-2 font-medium underline max-sm:min-h-11"
      >
        Dismiss
      </button>
    </div>
  );
}
