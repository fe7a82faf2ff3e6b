/** A catalog product as it crosses the boundary (catalog files) and as the rest of the app sees it. */
import { z } from 'zod';
import { safeString, type SupportContact } from '../../shared/protocol.js';

const httpUrl = safeString({ max: 2_000 }).pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));
/** A page customers are sent to: https only (a support page over plain http is not one to send them to). */
const httpsUrl = safeString({ max: 2_000 }).pipe(z.url({ protocol: /^https$/, message: 'must be an https URL' }));

// Unknown fields are dropped, not rejected: catalog exports grow columns the app does not use. Every
// string is a safe string (no NUL, control characters or lone surrogates): Postgres must hold it.
export const ProductRecord = z.object({
  id: safeString({ max: 200 }).trim().min(1, 'id must not be empty'),
  // The distributor's export pads brands with spaces (" Roland Commercial "): trim, don't reject.
  brand: safeString({ max: 200 }).trim().min(1, 'brand must not be empty'),
  name: safeString({ max: 300 }).trim().min(1, 'name must not be empty'),
  category: safeString({ max: 100 }).trim().default(''),
  aliases: z
    .array(safeString({ max: 200 }).trim().min(1))
    .max(50)
    .default([]),
  manualUrl: httpUrl.optional(),
  imageUrl: httpUrl.optional(),
  /** The product's own support page (the maker's), where a customer reaches a person. */
  supportUrl: httpsUrl.optional(),
});

export type Product = z.infer<typeof ProductRecord>;

/**
 * Where a customer asking about this product reaches a person: the operator's SUPPORT_URL and
 * SUPPORT_EMAIL as configured, and the product's own support page as the address when no SUPPORT_URL
 * is set, so that with default settings a "not in the manual" answer is no dead end.
 */
export function supportContactFor(
  product: Pick<Product, 'supportUrl'> | undefined,
  configured: SupportContact | undefined,
): SupportContact | undefined {
  const url = configured?.url ?? product?.supportUrl;
  const email = configured?.email;
  return url || email ? { ...(url ? { url } : {}), ...(email ? { email } : {}) } : undefined;
}
