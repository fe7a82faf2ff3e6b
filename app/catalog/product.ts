/** A catalog product as it crosses the boundary (catalog files) and as the rest of the app sees it. */
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2_000);

// Unknown fields are dropped, not rejected: catalog exports grow columns the app does not use.
export const ProductRecord = z.object({
  id: z.string().trim().min(1, 'id must not be empty').max(200),
  // The distributor's export pads brands with spaces (" Roland Commercial "): trim, don't reject.
  brand: z.string().trim().min(1, 'brand must not be empty').max(200),
  name: z.string().trim().min(1, 'name must not be empty').max(300),
  category: z.string().trim().max(100).default(''),
  aliases: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  manualUrl: httpUrl.optional(),
  imageUrl: httpUrl.optional(),
});

export type Product = z.infer<typeof ProductRecord>;
