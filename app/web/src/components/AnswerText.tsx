/**
 * An answer's text as Markdown (what language models write: lists, emphasis, code, links), rendered
 * safely: react-markdown builds React elements, never HTML strings, raw HTML in the text is dropped,
 * no image is ever loaded (its alt text is shown instead: an image from a manual's text would be a
 * beacon), and a link stays a link only to the app's own routes, such as a cited page
 * (../../../shared/link-policy.ts, the server's policy too); any other is shown as its words.
 * Links open in a new tab with rel="noopener noreferrer".
 * A single newline is a line break, so the extractive model's one-step-per-line procedures stay apart,
 * and a "[p. 5]" page reference links to that page of the manual (outside code).
 */
import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import { isAppRoute } from '../../../shared/link-policy.ts';
import { linkPageReferences } from '../format.ts';

const components: Components = {
  a: ({ node: _node, href, children, ...rest }) =>
    href ? (
      <a {...rest} href={href} target="_blank" rel="noopener noreferrer" className="font-medium underline">
        {children}
      </a>
    ) : (
      <span data-testid="unlinked">{children}</span>
    ),
  img: ({ alt }) => (alt ? <span>{alt}</span> : null),
  code: ({ node: _node, className, children, ...rest }) => (
    <code {...rest} className={`rounded bg-slate-200 px-1 font-mono text-[0.9em] dark:bg-slate-700 ${className ?? ''}`}>
      {children}
    </code>
  ),
  pre: ({ node: _node, children }) => <pre className="my-2 overflow-x-auto whitespace-pre">{children}</pre>,
  ul: ({ node: _node, children }) => <ul className="my-1 list-disc pl-5">{children}</ul>,
  ol: ({ node: _node, children }) => <ol className="my-1 list-decimal pl-5">{children}</ol>,
  p: ({ node: _node, children }) => <p className="my-1 first:mt-0 last:mb-0">{children}</p>,
};

/** Applied to every link and image URL; '' leaves the element without one (see `a` above). */
const safeUrl = (url: string) => (isAppRoute(url) ? url : '');

/** Outside code (fenced or inline): single newlines become hard breaks (two trailing spaces), page references links. */
function prepare(text: string, pageUrl: ((page: number) => string) | undefined): string {
  return text
    .split(/(```[\s\S]*?```|`[^`\n]*`)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      const broken = part.replace(/([^\n])\n(?=[^\n])/g, '$1  \n');
      return pageUrl ? linkPageReferences(broken, pageUrl) : broken;
    })
    .join('');
}

export const AnswerText = memo(function AnswerText({
  text,
  pageUrl,
}: {
  text: string;
  /** Where a cited page opens; without it page references stay text. */
  pageUrl?: (page: number) => string;
}) {
  return (
    <Markdown skipHtml components={components} urlTransform={safeUrl}>
      {prepare(text, pageUrl)}
    </Markdown>
  );
});
