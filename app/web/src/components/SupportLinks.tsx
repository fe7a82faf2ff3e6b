/** The next step when the manual cannot help: the configured support page and e-mail, if any. */
import type { SupportContact } from '../server-frames.ts';

export function SupportLinks({ support }: { support: SupportContact | undefined }) {
  const url = support?.url && /^https?:\/\//i.test(support.url) ? support.url : undefined;
  const email = support?.email;
  if (!url && !email) return null;
  return (
    <p className="mt-2 text-sm text-slate-800 dark:text-slate-200" data-testid="support">
      Our support team can help:{' '}
      {url && (
        <a
          href={url}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-block py-0.5 font-medium text-blue-800 underline dark:text-blue-300"
        >
          contact support
        </a>
      )}
      {url && email && ' or '}
      {email && (
        <a
          href={`mailto:${email}`}
          className="inline-block py-0.5 font-medium text-blue-800 underline dark:text-blue-300"
        >
          {email}
        </a>
      )}
      .
    </p>
  );
}
