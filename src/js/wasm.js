(function (native, internal) {
  'use strict';

  // The WebAssembly namespace as the engine gives it to scripts, installed on first use (the
  // global starts as internal.js's lazy accessor): patching it at engine creation cost every
  // engine 0.9 M instructions, 6% of its creation.
  //
  // Async WebAssembly finishes through JSC's own run loop (src/runloop.c): while a compile is
  // out it is pending work, so the loop stays up (and `eddy file.js` waits) until it settles.
  // Without that run loop (native.jscRunLoop false: another JSC, or EDDY_JSC_OPTIONAL) JSC's
  // async compile would never settle: compile and instantiate then compile synchronously, and
  // settle the same promise (src/jsc_optional.h).
  const WebAssembly = internal.wasmNamespace;
  const { PromiseCtor, promiseThen } = internal.intrinsics;
  const { defineProperty } = Object;
  const { Module, Instance } = WebAssembly;
  const moduleExports = Module.exports;
  const isModule = (v) => {
    try { Reflect.apply(moduleExports, Module, [v]); return true; } catch { return false; }
  };
  const compileNow = {
    compile: (bytes) => new Module(bytes),
    instantiate(source, imports) {
      if (isModule(source)) return new Instance(source, imports);
      const module = new Module(source);
      return { module, instance: new Instance(module, imports) };
    },
  };
  for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    const now = native.jscRunLoop ? undefined : compileNow[name];
    const wrapped = {
      [name](...args) {
        if (now !== undefined) return new PromiseCtor((resolve) => resolve(now(...args)));
        const promise = Reflect.apply(original, WebAssembly, args);
        native.holdPending(1);
        // A promise of our own settles with it, so that a rejection the script leaves
        // unhandled is still reported as such.
        return new PromiseCtor((resolve, reject) => {
          Reflect.apply(promiseThen, promise, [
            (v) => { native.holdPending(-1); resolve(v); },
            (e) => { native.holdPending(-1); reject(e); },
          ]);
        });
      },
    }[name];
    defineProperty(wrapped, 'length', { value: original.length });
    defineProperty(WebAssembly, name, { value: wrapped, writable: true, enumerable: false, configurable: true });
  }
  // The Web API's compileStreaming/instantiateStreaming (a plain JSC has neither) are
  // fetch_wasm.js, installed by the first call; they compile through the functions above.
  internal.wasmCompile = WebAssembly.compile;
  internal.wasmInstantiate = WebAssembly.instantiate;
  for (const name of ['compileStreaming', 'instantiateStreaming']) {
    if (typeof WebAssembly[name] === 'function') continue;
    const method = {
      [name](source) {
        internal.require('fetch_wasm.js');
        return Reflect.apply(internal.wasmStreaming[name], undefined, arguments);
      },
    }[name];
    defineProperty(WebAssembly, name, { value: method, writable: true, enumerable: false, configurable: true });
  }
  internal.defineGlobal('WebAssembly', WebAssembly);
})
