// A stand-in for eddy's C `native` object (src/js/README.md), for running src/js/*.js under
// Node inside a vm context. Objects handed to the context (typed arrays, ArrayBuffers, errors)
// are created with the context's own constructors so instanceof checks behave as in eddy.
'use strict';

const http = require('http');
const zlib = require('zlib');
const util = require('util');
const vm = require('vm');

// curl error codes the mock maps Node's errors to.
const CURL = {
  COULDNT_RESOLVE_HOST: [6, "Couldn't resolve host name"],
  COULDNT_CONNECT: [7, "Couldn't connect to server"],
  OPERATION_TIMEDOUT: [28, 'Timeout was reached'],
  BAD_CONTENT_ENCODING: [61, 'Unrecognized or bad HTTP Content or Transfer-Encoding'],
  RECV_ERROR: [56, 'Failure when receiving data from the peer'],
  UNSUPPORTED_PROTOCOL: [1, 'Unsupported protocol'],
};

function curlError(err) {
  switch (err && err.code) {
    case 'ECONNREFUSED': return CURL.COULDNT_CONNECT;
    case 'ENOTFOUND': case 'EAI_AGAIN': return CURL.COULDNT_RESOLVE_HOST;
    case 'ETIMEDOUT': return CURL.OPERATION_TIMEDOUT;
    case 'Z_DATA_ERROR': return CURL.BAD_CONTENT_ENCODING;
    default: return CURL.RECV_ERROR;
  }
}

function createNative(ctx, opts) {
  // The context's builtins (they are not properties of the sandbox object).
  const C = vm.runInContext('({ Uint8Array, ArrayBuffer, TypeError, Array, Object })', ctx);
  const encoder = new util.TextEncoder();
  const decoders = {
    true: new util.TextDecoder('utf-8', { fatal: true, ignoreBOM: true }),
    false: new util.TextDecoder('utf-8', { fatal: false, ignoreBOM: true }),
  };
  const transfers = new Map();
  let nextId = 1;
  const stats = { requests: [] };

  function toCtxU8(buf) {
    const u8 = new C.Uint8Array(buf.length);
    u8.set(buf);
    return u8;
  }

  function toCtxArray(list) {
    const a = new C.Array();
    for (const x of list) a.push(x);
    return a;
  }

  const native = {
    version: '0.1.0',
    baseURL: opts.baseURL,

    print(level, text) {
      (level >= 2 ? process.stderr : process.stdout).write(String(text) + '\n');
    },

    reportError(error, skipDispatch) {
      if (!skipDispatch && opts.internal.dispatchError && opts.internal.dispatchError(1, error)) return;
      opts.onHostError(1, error);
    },

    utf8Encode(s) {
      return toCtxU8(Buffer.from(String(s), 'utf8'));
    },

    utf8EncodeInto(s, u8) {
      const r = encoder.encodeInto(String(s), u8);
      return new C.Array(r.read, r.written);
    },

    utf8Decode(input, fatal) {
      try {
        return decoders[!!fatal].decode(input);
      } catch (e) {
        throw new C.TypeError('The encoded data was not valid for encoding utf-8');
      }
    },

    urlParse(input, base) {
      let u;
      try {
        u = base === undefined ? new URL(input) : new URL(input, base);
      } catch {
        return null;
      }
      const r = new C.Object();
      for (const k of ['href', 'protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash']) {
        r[k] = u[k];
      }
      return r;
    },

    httpRequest(spec, onResponse, onEnd) {
      const id = nextId++;
      const names = [];
      for (let i = 0; i < spec.headers.length; i += 2) {
        names.push(spec.headers[i], spec.headers[i + 1]);
      }
      const hasAE = names.some((n, i) => i % 2 === 0 && n.toLowerCase() === 'accept-encoding');
      if (spec.decompress && !hasAE) names.push('accept-encoding', 'gzip, deflate');
      const hasHost = names.some((n, i) => i % 2 === 0 && n.toLowerCase() === 'host');
      stats.requests.push({ method: spec.method, url: spec.url, headers: names.slice() });
      const u = new URL(spec.url);
      if (u.protocol !== 'http:') {
        setImmediate(() => onEnd(...CURL.UNSUPPORTED_PROTOCOL, null));
        return id;
      }
      // The raw-array form of `headers` keeps duplicates but does not add Host by itself.
      if (!hasHost) names.unshift('host', u.host);
      const t = { req: null, aborted: false };
      transfers.set(id, t);
      const done = (code, message, body) => {
        if (t.aborted || !transfers.has(id)) return;
        transfers.delete(id);
        onEnd(code, message, body);
      };
      const req = http.request({
        method: spec.method,
        hostname: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: names,
      });
      t.req = req;
      req.on('response', (res) => {
        if (t.aborted) return;
        const raw = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          raw.push(res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]);
        }
        let stream = res;
        const enc = (res.headers['content-encoding'] || '').toLowerCase();
        if (spec.decompress && (enc === 'gzip' || enc === 'deflate')) {
          stream = res.pipe(enc === 'gzip' ? zlib.createGunzip() : zlib.createInflate());
        }
        onResponse(res.statusCode, res.statusMessage || '', toCtxArray(raw), spec.url);
        if (t.aborted) return;
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', () => {
          const buf = Buffer.concat(chunks);
          const ab = new C.ArrayBuffer(buf.length);
          new C.Uint8Array(ab).set(buf);
          done(0, '', ab);
        });
        stream.on('error', (e) => done(...curlError(e), null));
        res.on('error', (e) => done(...curlError(e), null));
        res.on('aborted', () => done(...CURL.RECV_ERROR, null));
      });
      req.on('error', (e) => done(...curlError(e), null));
      if (spec.body) req.end(Buffer.from(spec.body.buffer, spec.body.byteOffset, spec.body.byteLength));
      else req.end();
      return id;
    },

    httpAbort(id) {
      const t = transfers.get(id);
      if (!t) return;
      t.aborted = true;
      transfers.delete(id);
      t.req.destroy();
    },
  };

  // For mock-only tests: what was sent, and how many transfers are still open.
  native.__stats = stats;
  native.__openTransfers = () => transfers.size;
  return native;
}

module.exports = { createNative };
