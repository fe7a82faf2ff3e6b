/** A catalog product as it crosses the boundary (catalog files) and as the rest of the app sees it. */
import { z } from 'zod';
import { safeString } from '../protocol.js';

const httpUrl = safeString({ max: 2_000 }).pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));

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
});

export type Product = z.infer<typeof ProductRecord>;
