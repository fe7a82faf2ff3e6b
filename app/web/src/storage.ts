/**
 * Per-tab persistence (sessionStorage): the session id and the picked product survive a reload, so the
 * page can resume. Storage may be unavailable (privacy modes); then the page simply starts fresh.
 */
import type { SessionStorageLike } from './protocol-client.ts';
import type { Product } from './state.ts';

const PRODUCT_KEY = 'hsc.product';

export function tabStorage(): SessionStorageLike | undefined {
  try {
    const storage = window.sessionStorage;
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
