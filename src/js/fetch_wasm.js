(function (native, internal) {
  'use strict';

  // WebAssembly.compileStreaming and instantiateStreaming (the WebAssembly Web API): a Response,
  // or a promise of one, whose body is compiled once its bytes are in. Installed by the first
  // call (internal.js defines the two methods); compiles through WebAssembly.compile and
  // instantiate as internal.js had them at engine creation (internal.wasmCompile/Instantiate).

  const { PromiseCtor, promiseThen, promiseResolve } = internal.intrinsics;
  const { wasmCompile, wasmInstantiate, responseParts } = internal;
  // Byte-case-insensitive `application/wasm`, once HTTP tab or space is trimmed off both ends.
  const wasmType = /^[\t ]*application\/wasm[\t ]*$/i;

  // "Compile a potential WebAssembly response": source resolved, checked, its body consumed as
  // an ArrayBuffer, then compile(bytes).
  function compileResponse(name, source, compile) {
    return promiseThen.call(promiseResolve.call(PromiseCtor, source), (v) => {
      const r = responseParts(v);
      if (r === null) throw new TypeError(`WebAssembly.${name}: the argument is not a Response`);
      const type = r.contentType;
      if (type === null || !wasmType.test(type)) {
        throw new TypeError(`WebAssembly.${name}: the response's Content-Type is ${
          type === null ? 'missing' : `'${type.slice(0, 100)}'`}, not 'application/wasm'`);
      }
      if (r.status < 200 || r.status > 299) {
        throw new TypeError(`WebAssembly.${name}: the response's status ${r.status} is not ok`);
      }
      return promiseThen.call(r.arrayBuffer(), compile);
    });
  }

  internal.wasmStreaming = {
    compileStreaming: (source) => compileResponse('compileStreaming', source, (bytes) => wasmCompile(bytes)),
    instantiateStreaming: (source, importObject) => compileResponse('instantiateStreaming', source,
      (bytes) => wasmInstantiate(bytes, importObject)),
  };
})
