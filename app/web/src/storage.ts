/**
 * What survives a reload. The session id is the browser's (localStorage): every tab of it resumes the
 * same conversation, and a new tab opens with it. The picked product is the tab's (sessionStorage):
 * two tabs may look at two products. Storage may be unavailable (privacy modes); then the page simply
 * starts fresh.
 */
import type { SessionStorageLike } from './protocol-client.ts';
import type { Product } from './state.ts';

const PRODUCT_KEY = 'hsc.product';

function usable(open: () => Storage): SessionStorageLike | undefined {
  try {
    const storage = open();
    storage.getItem(PRODUCT_KEY);
    return {
      getItem: (key) => storage.getItem(key),
      setItem: (key, value) => {
        try {
          storage.setItem(key, value);
        } catch {
          // quota or privacy mode: losing resume is acceptable, breaking the page is not
        }
      },
    };
  } catch {
    return undefined;
  }
}

/** Shared by the browser's tabs: where the session id lives. */
export function browserStorage(): SessionStorageLike | undefined {
  return usable(() => window.localStorage);
}

/** This tab's own: the product it shows. */
export function tabStorage(): SessionStorageLike | undefined {
  return usable(() => window.sessionStorage);
}

export function loadProduct(storage: SessionStorageLike | undefined): Product | undefined {
  try {
    const value: unknown = JSON.parse(storage?.getItem(PRODUCT_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const { productId, brand, name, imageUrl } = value as Record<string, unknown>;
    if (typeof productId !== 'string' || typeof brand !== 'string' || typeof name !== 'string') return undefined;
    return { productId, brand, name, ...(typeof imageUrl === 'string' ? { imageUrl } : {}) };
  } catch {
    return undefined;
  }
}

export function saveProduct(storage: SessionStorageLike | undefined, product: Product | undefined): void {
  storage?.setItem(PRODUCT_KEY, JSON.stringify(product ?? null));
}
