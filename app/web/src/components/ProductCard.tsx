/** The picked product and its manual's journey: queued → fetching → indexing → ready (or failed, with retry). */
import type { ManualView, SupportContact } from '../server-frames.ts';
import type { Notice, Product } from '../state.ts';
import { asSentence, manualPageUrl, productTitle, safeImageUrl } from '../format.ts';
import { manualLabel } from '../manual-label.ts';
import { SupportLinks } from './SupportLinks.tsx';
import { useNow } from '../use-now.ts';

interface Props {
  product: Product;
  manual: ManualView | undefined;
  notice: Notice | undefined;
  support: SupportContact | undefined;
  onRetry(): void;
  /** Phones: folds the search box and this card back into the product chip. */
  onFold?: (() => void) | undefined;
}

export function ProductCard({ product, manual, notice, support, onRetry, onFold }: Props) {
  const image = safeImageUrl(product.imageUrl);
  const status = manual?.productId === product.productId ? manual : undefined;
  // "Roland Commercial" above "Roland TR-8S" says the maker twice: the brand line only adds what the name lacks.
  const brandLine = product.brand && productTitle(product) !== product.name ? product.brand : undefined;
  return (
    <section
      aria-labelledby="product-name"
      className="rounded-xl border border-slate-300 bg-white p-3 shadow-sm dark:border-slate-600 dark:bg-slate-900"
      data-testid="product-card"
    >
      <div className="flex items-center gap-3">
        {image ? (
          <img
            src={image}
            alt=""
            width={56}
            height={56}
            loading="lazy"
            className="size-14 shrink-0 rounded-md object-contain"
          />
        ) : (
          <div
            aria-hidden="true"
            className="grid size-14 shrink-0 place-items-center rounded-md bg-slate-100 text-xl font-bold text-slate-700 dark:bg-slate-800 dark:text-slate-200"
          >
            {(product.brand || product.name).slice(0, 1).toUpperCase()}
          </div>
        )}
        <div className="min-w-0 flex-1">
          {brandLine && <p className="text-sm text-slate-700 dark:text-slate-300">{brandLine}</p>}
          <h2
            id="product-name"
            className="text-lg leading-snug font-semibold break-words text-slate-900 dark:text-slate-100"
          >
            {product.name}
          </h2>
        </div>
        {onFold && (
          <button
            type="button"
            onClick={onFold}
            className="inline-flex min-h-8 shrink-0 items-center rounded-md px-2 text-sm font-medium text-blue-800 ring-1 ring-slate-300 sm:hidden dark:text-blue-300 dark:ring-slate-600"
          >
            Done
          </button>
        )}
      </div>
      <ManualStatus productId={product.productId} manual={status} onRetry={onRetry} />
      {(status?.status === 'failed' || (status?.status === 'none' && status.error)) && (
        <SupportLinks support={support} />
      )}
      {notice?.where === 'product' && (
        <p
          role="alert"
          className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200 dark:bg-red-950 dark:text-red-200"
        >
          {notice.message}{' '}
          <button type="button" onClick={onRetry} className="min-h-6 font-semibold underline">
            Try again
          </button>
        </p>
      )}
    </section>
  );
}

function ManualStatus({
  productId,
  manual,
  onRetry,
}: {
  productId: string;
  manual: ManualView | undefined;
  onRetry(): void;
}) {
  const now = useNow(manual?.retryAt !== undefined);
  const { label, value } = manualLabel(manual, now);
  const failed = manual?.status === 'failed';
  const ready = manual?.status === 'ready';
  const bar = failed ? 'bg-red-600' : ready ? 'bg-green-600' : 'bg-blue-700';
  // `none`: nothing is on its way (no manual, or not asked for yet): an empty bar would suggest otherwise.
  const inProgress = manual?.status !== 'none';
  return (
    <div className="mt-3" data-testid="manual-status" data-status={manual?.status ?? 'unknown'}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span
          id="manual-label"
          className={failed ? 'font-medium text-red-800 dark:text-red-300' : 'text-slate-800 dark:text-slate-200'}
          aria-live="polite"
        >
          {label}
        </span>
        {ready && (
          <a
            href={manualPageUrl(productId)}
            target="_blank"
            rel="noopener"
            className="inline-flex min-h-6 shrink-0 items-center py-0.5 font-medium text-blue-700 underline dark:text-blue-300"
          >
            Open manual
          </a>
        )}
      </div>
      {inProgress && (
        <div
          role="progressbar"
          aria-labelledby="manual-label"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value === undefined ? undefined : Math.round(value * 100)}
          className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
        >
          <div
            className={`h-full rounded-full transition-[width] duration-300 ${bar} ${value === undefined ? 'w-1/3 animate-pulse' : ''}`}
            style={
              value === undefined ? undefined : { width: value > 0 ? `${Math.max(2, Math.round(value * 100))}%` : '0%' }
            }
          />
        </div>
      )}
      {failed && (
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-red-800 dark:text-red-300">
          <span>{manual?.error ? asSentence(manual.error) : 'The manual could not be fetched.'}</span>
          <button
            type="button"
            onClick={onRetry}
            className="min-h-7 rounded-md bg-red-700 px-3 py-1 font-semibold text-white hover:bg-red-800"
          >
            Retry
          </button>
        </div>
      )}
    </div>
  );
}
