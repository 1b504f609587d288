// Replaces pg's lib/stream.js in the bundle (see build.mjs). pg's version picks Node or Cloudflare
// sockets at load time by probing `new Response(...)`; on Node < 21 (no global `navigator`) that
// loads undici, ~70 ms of every cold start. The bundle only ever runs on Node.
'use strict';

module.exports = {
  getStream: () => new (require('node:net').Socket)(),
  getSecureStream: (options) => require('node:tls').connect(options),
};
