import { describe, expect, it } from 'vitest';
import { supportContactFor } from './product.js';

describe('supportContactFor', () => {
  const product = { supportUrl: 'https://maker.example/support' };

  it("sends the customer to the product's own support page when no SUPPORT_URL is set", () => {
    expect(supportContactFor(product, undefined)).toEqual({ url: 'https://maker.example/support' });
    expect(supportContactFor(product, { email: 'help@shop.example' })).toEqual({
      url: 'https://maker.example/support',
      email: 'help@shop.example',
    });
  });

  it("keeps the operator's SUPPORT_URL over the product's page, and gives nothing when neither exists", () => {
    expect(supportContactFor(product, { url: 'https://shop.example/help' })).toEqual({
      url: 'https://shop.example/help',
    });
    expect(supportContactFor({}, undefined)).toBeUndefined();
    expect(supportContactFor(undefined, {})).toBeUndefined();
  });
});
