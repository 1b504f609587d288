import { createHash } from 'node:crypto';
import { canonicalJson, computeConfigHash } from '../../src';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Doubles from their IEEE 754 bit patterns, as RFC 8785 Appendix B lists them. */
const fromHex = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

describe('RFC 8785 vectors', () => {
  it('serializes the §3.2.2 example (numbers, strings, literals) exactly as the RFC prints it', () => {
    // Prepare: the RFC's input, as text, so JSON.parse sees the RFC's own number spellings.
    const input =
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
      '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
      '  "literals": [null, true, false]\n}';
    const expected = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';

    // Act
    const canonical = canonicalJson(JSON.parse(input));

    // Assess
    expect(canonical).toBe(expected);
    expect(computeConfigHash(JSON.parse(input))).toBe(sha256(expected));
  });

  it('sorts keys by UTF-16 code units (§3.2.3)', () => {
    // Prepare
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    const expected =
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
      '"€":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';

    // Act
    const canonical = canonicalJson(input);

    // Assess
    expect(canonical).toBe(expected);
    expect(computeConfigHash(input)).toBe(sha256(expected));
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('Appendix B: %s -> %s', (hex, expected) => {
    // Act + Assess
    expect(canonicalJson(fromHex(hex))).toBe(expected);
  });

  it.each([
    ['1e+30', '1e+30'],
    ['4.50', '4.5'],
    ['2e-3', '0.002'],
    ['0.000001', '0.000001'],
    ['1E30', '1e+30'],
  ])('spells the number %s as %s', (spelling, expected) => {
    // Act + Assess
    expect(canonicalJson(JSON.parse(spelling))).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p, which JSON cannot represent', (value) => {
    // Act + Assess
    expect(() => canonicalJson({ value })).toThrow();
  });
});

describe('computeConfigHash stability', () => {
  const canonical = '{"database":{"instanceClass":"db.t4g.medium","instanceCount":1},"lambda":{"cpu":0.5,"memory":1024}}';

  it.each([
    ['key order', '{"lambda":{"memory":1024,"cpu":0.5},"database":{"instanceCount":1,"instanceClass":"db.t4g.medium"}}'],
    ['whitespace', '{\n\t"database" : { "instanceClass" : "db.t4g.medium" , "instanceCount" : 1 },\r\n "lambda": {"cpu": 0.5, "memory": 1024}\n}'],
    ['number spelling', '{"database":{"instanceClass":"db.t4g.medium","instanceCount":1.0},"lambda":{"cpu":5e-1,"memory":1.024E3}}'],
  ])('is unchanged by %s', (_what, text) => {
    // Act
    const hash = computeConfigHash(JSON.parse(text));

    // Assess
    expect(hash).toBe(sha256(canonical));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a value changes', () => {
    // Act + Assess
    expect(computeConfigHash(JSON.parse(canonical.replace('1024', '2048')))).not.toBe(sha256(canonical));
  });
});
