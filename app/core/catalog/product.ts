/** A catalog product as it crosses the boundary (catalog files) and as the rest of the app sees it. */
import { z } from 'zod';
import { isSafeLine, safeString, type SupportContact } from '../../shared/protocol.js';

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
 * URLs the fast path takes as they are: a lower-case scheme, a host of letters, digits, dots and inner
 * hyphens whose last label starts with a letter (so the URL parser cannot read it as an IPv4 address),
 * no user or port, then printable ASCII. The URL parser accepts every such string, and `z.url` then
 * gives it back unchanged (it trims, and there is nothing to trim). Punycode labels (`xn--`), which the
 * parser decodes and may reject, are left to it.
 */
const PLAIN_HTTPS_URL =
  /^https:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:[/?#][\x21-\x7E]*)?$/;
const PLAIN_HTTP_URL = new RegExp(PLAIN_HTTPS_URL.source.replace('^https:', '^https?:'));

/** A string field as `safeString({ max }).trim()` gives it, or undefined for anything else. */
function plainText(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max && isSafeLine(value) ? value.trim() : undefined;
}

function plainUrl(value: unknown, shape: RegExp): string | undefined {
  return typeof value === 'string' && value.length <= 2_000 && shape.test(value) && !value.includes('xn--')
    ? value
    : undefined;
}

/**
 * The usual record, checked without zod: undefined unless ProductRecord would accept it, and then the
 * very object it would give (same fields, values and order). The import checks a million of these, and
 * zod's generic checks (and a URL parse per link) were the largest share of its CPU time.
 */
function plainProduct(record: unknown): Product | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const r = record as Record<string, unknown>;
  const id = plainText(r.id, 200);
  const brand = plainText(r.brand, 200);
  const name = plainText(r.name, 300);
  if (!id || !brand || !name) return undefined;
  let category = '';
  if (r.category !== undefined) {
    const value = plainText(r.category, 100);
    if (value === undefined) return undefined;
    category = value;
  }
  let aliases: string[] = [];
  if (r.aliases !== undefined) {
    if (!Array.isArray(r.aliases) || r.aliases.length > 50) return undefined;
    aliases = new Array<string>(r.aliases.length);
    for (let i = 0; i < aliases.length; i++) {
      const alias = plainText(r.aliases[i], 200);
      if (!alias) return undefined;
      aliases[i] = alias;
    }
  }
  const product: Product = { id, brand, name, category, aliases };
  // Absent stays absent; present but not a plain URL (or explicitly undefined) goes to zod.
  if ('manualUrl' in r) {
    const url = plainUrl(r.manualUrl, PLAIN_HTTP_URL);
    if (url === undefined) return undefined;
    product.manualUrl = url;
  }
  if ('imageUrl' in r) {
    const url = plainUrl(r.imageUrl, PLAIN_HTTP_URL);
    if (url === undefined) return undefined;
    product.imageUrl = url;
  }
  if ('supportUrl' in r) {
    const url = plainUrl(r.supportUrl, PLAIN_HTTPS_URL);
    if (url === undefined) return undefined;
    product.supportUrl = url;
  }
  return product;
}

/** `ProductRecord.safeParse`, the same result and the same errors, faster for the usual record. */
export function parseProductRecord(record: unknown): ReturnType<typeof ProductRecord.safeParse> {
  const data = plainProduct(record);
  return data ? { success: true, data } : ProductRecord.safeParse(record);
}

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
