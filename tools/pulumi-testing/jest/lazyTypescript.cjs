// Stands in for @pulumi/pulumi's `typescript-shim` in Jest (jest.preset.js `moduleNameMapper`): the same TypeScript,
// loaded on first use instead of on import.
//
// Importing @pulumi/pulumi loads TypeScript (about 9 MB of JavaScript): its index re-exports the Automation API, whose
// closure serialization requires the shim at the top of runtime/closure/parseFunction.js, although only serializing a
// function uses it. Jest loads every module again for each test file, so each file that imports Pulumi paid for it
// (0.2 s to 1 s); no test here serializes a function, and one that did would get TypeScript as before.
let typescript;
const load = () => (typescript ??= require('typescript'));

module.exports = new Proxy(
  {},
  {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Object.getOwnPropertyDescriptor(load(), key);
      // A proxy may only report a property of its (empty) target as configurable.
      return descriptor && { ...descriptor, configurable: true };
    },
  },
);
