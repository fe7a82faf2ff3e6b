/**
 * The next step when the manual cannot help: the support page and e-mail (the operator's, or the
 * product's own from the catalog), and, where there is a conversation, a copy of it as plain text to
 * paste into the message (src/summary.ts). Links carry nothing of the session: the page's address as
 * given (http(s) only), and a mailto with at most a subject naming the product.
 */
import { useState } from 'react';
import type { Contact } from '../state.ts';

const LINK = 'inline-block py-0.5 font-medium text-blue-800 underline dark:text-blue-300';
/** Phones get 44 px targets (WCAG 2.5.5), pointers the compact size. */
const BUTTON =
  'inline-flex min-h-7 items-center justify-center rounded-md px-2 text-sm font-medium ring-1 ring-slate-400 hover:bg-slate-200 max-sm:min-h-11 dark:ring-slate-500 dark:hover:bg-slate-700';

/** A plain e-mail address; anything else is not turned into a mailto link. */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function SupportLinks({
  support,
  lead = 'Our support team can help:',
  subject,
  conversation,
}: {
  support: Contact | undefined;
  /** The sentence before the links. */
  lead?: string;
  /** The e-mail's subject (the product asked about). */
  subject?: string | undefined;
  /** The conversation as plain text, offered to copy for the message to support. */
  conversation?: (() => string) | undefined;
}) {
  const url = support?.url && /^https?:\/\//i.test(support.url) ? support.url : undefined;
  const email = support?.email && EMAIL.test(support.email) ? support.email : undefined;
  if (!url && !email) return null;
  const mailto = `mailto:${email}${subject ? `?subject=${encodeURIComponent(subject)}` : ''}`;
  return (
    <div className="mt-2 text-sm text-slate-800 dark:text-slate-200" data-testid="support">
      <p>
        {lead}{' '}
        {url && (
          <a href={url} target="_blank" rel="noopener noreferrer" className={LINK} data-testid="support-url">
            contact support
          </a>
        )}
        {url && email && ' or '}
        {email && (
          <a href={mailto} className={LINK} data-testid="support-email">
            {email}
          </a>
        )}
        .
      </p>
      {conversation && (
        <p className="mt-1 flex flex-wrap items-center gap-2">
          <CopyConversation text={conversation} />
          <span className="text-slate-700 dark:text-slate-300">
            Paste it into your message so they see what you asked.
          </span>
        </p>
      )}
    </div>
  );
}

/** Copies the conversation (plain text, no session id) to the clipboard. */
export function CopyConversation({ text }: { text: () => string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(text()).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <button type="button" className={BUTTON} onClick={copy} data-testid="copy-conversation">
      {copied ? 'Conversation copied' : 'Copy conversation'}
    </button>
  );
}
