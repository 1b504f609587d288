import { createHash } from 'node:crypto';
import { currencyExponent, HttpError, parsePaymentRequest } from '../../src';
import { requestHash } from '../../src/payments';

/** The HttpError `parsePaymentRequest` throws for `input`, or undefined when it accepts it. */
function rejection(input: unknown): { code: string; field?: string } | undefined {
  try {
    parsePaymentRequest(input);
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { code: error.code, field: error.field };
  }
}

describe('parsePaymentRequest (the common valid body skips zod; everything else gets zod’s exact error)', () => {
  it('returns the schema’s key order with only the optional keys given', () => {
    // Act
    const minimal = parsePaymentRequest({ currency: 'EUR', amount: 1, merchantId: 'm_1' });
    const full = parsePaymentRequest({ description: 'd', reference: 'r', currency: 'JPY', amount: 5, merchantId: 'm-2' });
    // Assess
    expect(Object.entries(minimal)).toEqual([['merchantId', 'm_1'], ['amount', 1], ['currency', 'EUR']]);
    expect(Object.entries(full)).toEqual([
      ['merchantId', 'm-2'],
      ['amount', 5],
      ['currency', 'JPY'],
      ['reference', 'r'],
      ['description', 'd'],
    ]);
  });

  it('counts code points, not UTF-16 units: 128 emoji pass as a reference, 129 do not', () => {
    // Prepare: each emoji is two UTF-16 units
    const emoji = (n: number) => '\u{1F4B6}'.repeat(n);
    // Act
    const accepted = parsePaymentRequest({ merchantId: 'm', amount: 1, currency: 'USD', reference: emoji(128) });
    // Assess
    expect(accepted.reference).toHaveLength(256);
    expect(rejection({ merchantId: 'm', amount: 1, currency: 'USD', reference: emoji(129) })).toEqual({ code: 'invalid_field', field: 'reference' });
  });

  it.each([
    ['an inherited property name', { merchantId: 'm', amount: 1, currency: 'USD', toString: 'x' }, 'unknown_field', 'toString'],
    ['an own __proto__ key', JSON.parse('{"merchantId":"m","amount":1,"currency":"USD","__proto__":1}'), 'unknown_field', '__proto__'],
    ['a lower-case currency', { merchantId: 'm', amount: 1, currency: 'eur' }, 'invalid_field', 'currency'],
    ['a metal', { merchantId: 'm', amount: 1, currency: 'XAU' }, 'invalid_field', 'currency'],
    ['a fractional amount', { merchantId: 'm', amount: 1.5, currency: 'USD' }, 'invalid_field', 'amount'],
    ['an amount above the maximum', { merchantId: 'm', amount: 100_000_000_000, currency: 'USD' }, 'invalid_field', 'amount'],
    ['a string amount', { merchantId: 'm', amount: '1', currency: 'USD' }, 'invalid_field', 'amount'],
    ['no merchantId', { amount: 1, currency: 'USD' }, 'missing_field', 'merchantId'],
    ['a NUL in the description', { merchantId: 'm', amount: 1, currency: 'USD', description: 'a\u0000b' }, 'invalid_field', 'description'],
    ['a null reference', { merchantId: 'm', amount: 1, currency: 'USD', reference: null }, 'invalid_field', 'reference'],
  ])('rejects %s with the field named', (_name, input, code, field) => {
    // Act
    const error = rejection(input);
    // Assess
    expect(error).toEqual({ code, field });
  });

  it('still accepts an explicit undefined optional field (programmatic callers), as zod does', () => {
    // Act
    const request = parsePaymentRequest({ merchantId: 'm', amount: 1, currency: 'USD', reference: undefined });
    // Assess
    expect(request).toEqual({ merchantId: 'm', amount: 1, currency: 'USD' });
  });

  it('gives the same answer for a currency every time (the payable-code memo)', () => {
    // Act
    const answers = ['EUR', 'EUR', 'XTS', 'XTS', 'KWD'].map((code) => currencyExponent(code));
    // Assess
    expect(answers).toEqual([2, 2, undefined, undefined, 3]);
  });
});

describe('requestHash', () => {
  it('is the SHA-256 of the RFC 8785 canonical JSON, independent of key order', () => {
    // Act
    const a = requestHash({ merchantId: 'm_1', amount: 1250, currency: 'EUR', reference: 'ü' });
    const b = requestHash({ reference: 'ü', currency: 'EUR', amount: 1250, merchantId: 'm_1' });
    // Assess: the digest stored for existing rows must not change
    expect(a).toBe(b);
    expect(a).toBe(createHash('sha256').update('{"amount":1250,"currency":"EUR","merchantId":"m_1","reference":"ü"}').digest('hex'));
  });
});
