(function (native, internal) {
  'use strict';

  // Shared helpers for the embedded WHATWG classes. Runs first; everything here lands on
  // `internal`, which user scripts never see.

  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf } = Object;

  // Web IDL installs interfaces and namespaces as writable, configurable, non-enumerable globals.
  function defineGlobal(name, value) {
    defineGlobalProperty(name, { value, writable: true, configurable: true, enumerable: false });
  }
  // The same for any property of the global (operations, event handler attributes).
  function defineGlobalProperty(name, descriptor) {
    // A lazily installed API leaves alone a global the script replaced or deleted before.
    if (lazyGetters.has(name)) {
      const getter = lazyGetters.get(name);
      lazyGetters.delete(name);
      const d = getOwnPropertyDescriptor(globalThis, name);
      if (getter === null || d === undefined || d.get !== getter) return;
    }
    defineProperty(globalThis, name, descriptor);
  }
  // name -> the accessor's getter while it is there, null once the script assigned the global.
  const lazyGetters = new Map();

  // Object.prototype.toString.call(globalThis) is '[object global]', as in Node. The global is a
  // plain JSC global object (the engine does not attach data to it: see eddy__engine_of).
  defineProperty(globalThis, Symbol.toStringTag, { value: 'global', configurable: true });

  // `self`, the global's [Replaceable] attribute: a getter for the global itself, which an
  // assignment replaces with a plain data property.
  defineProperty(globalThis, 'self', {
    get: function self() { return globalThis; },
    set: function self(value) {
      defineProperty(globalThis, 'self', { value, writable: true, enumerable: true, configurable: true });
    },
    enumerable: true,
    configurable: true,
  });

  // --- APIs installed on first use --------------------------------------------------------------

  // An engine pays for an API only when a script touches it: each global below starts as an
  // accessor that compiles and runs its file (native.installFile), which redefines the global the
  // Web IDL way; assigning the global first replaces it without compiling anything. A file's
  // `needs` are the files whose `internal` helpers it calls; `require` installs them first.
  // `internals` are the `internal` members a file defines: looking one up installs the file
  // (internal's prototype, below), so a later file may use them without naming the file in
  // `needs`.
  // `handlers` are event handler attributes of the global (an assignment installs the file and
  // goes through its setter), `enumerable` the globals that Web IDL makes enumerable.
  // webidl.js (Web IDL's conversions and interface helpers, which every other file uses) is
  // compiled with the first of them, so an engine that only evaluates plain JS or logs never
  // pays for it.
  // The table is lazy_files.json, handed over as native.lazyFiles: JSON text, not an object
  // literal (compiling and running a literal of this size cost every engine's creation ~1.9 M
  // instructions), and not in this file, whose text JSC lexes three times (syntax check,
  // program, function body): ~0.45 M as a template literal here.
  const lazyFiles = JSON.parse(native.lazyFiles);

  const installed = new Set();
  // Read before the loop below replaces the global with its accessor (wasm.js patches it).
  const wasmNamespace = typeof WebAssembly === 'object' && WebAssembly !== null ? WebAssembly
                                                                                : undefined;

  function require(file) {
    if (installed.has(file)) return;
    installed.add(file);
    const entry = lazyFiles[file];
    for (const dep of entry.needs) require(dep);
    native.installFile(file);
  }

  for (const file of Object.keys(lazyFiles)) {
    const entry = lazyFiles[file];
    for (const name of entry.globals) {
      const handler = entry.handlers !== undefined && entry.handlers.includes(name);
      const enumerable = entry.enumerable !== undefined && entry.enumerable.includes(name);
      const get = function () {
        require(file);
        const d = getOwnPropertyDescriptor(globalThis, name);
        if (d === undefined) return undefined;
        return 'get' in d ? (d.get === get ? undefined : Reflect.apply(d.get, globalThis, [])) : d.value;
      };
      lazyGetters.set(name, get);
      defineProperty(globalThis, name, {
        configurable: true,
        enumerable,
        get,
        set(value) {
          if (handler) {
            require(file);
            const d = getOwnPropertyDescriptor(globalThis, name);
            if (d !== undefined && d.set !== undefined && d.get !== get) {
              Reflect.apply(d.set, globalThis, [value]);
              return;
            }
          }
          lazyGetters.set(name, null);
          defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable });
        },
      });
    }
  }

  // A lazy `internal` member (a file's `internals`) is looked up through internal's prototype,
  // a proxy that installs the member's file: `internal` is ours alone, so unlike the globals
  // it needs no accessor per name, which cost every engine's creation ~0.5 M instructions. The
  // file's `internal.name = value` finds no `set` trap and lands as an own data property of
  // `internal`, which shadows the proxy from then on (an own accessor replaced by data would
  // have left `internal` a slow dictionary object: +12k instructions per fetch, measured).
  let internalsFile; // member name -> its file, made on the first lookup that misses
  Object.setPrototypeOf(internal, new Proxy(Object.create(null), {
    get(target, name) {
      if (internalsFile === undefined) {
        internalsFile = new Map();
        for (const file of Object.keys(lazyFiles)) {
          const names = lazyFiles[file].internals;
          if (names !== undefined) for (const n of names) internalsFile.set(n, file);
        }
      }
      const file = internalsFile.get(name);
      if (file === undefined || installed.has(file)) return undefined;
      require(file);
      return Object.hasOwn(internal, name) ? internal[name] : undefined;
    },
  }));

  // Called by C for an uncaught error or unhandled rejection (see events_global.js, which replaces
  // `internal.dispatchError` with the real dispatch when it is installed). Before that no
  // listener can exist: every way to add one installs events_global.js. Returns true if prevented.
  const dispatchErrorStub = function (kind, error, promise) {
    const dispatch = internal.dispatchError;
    return dispatch === dispatchErrorStub ? false : dispatch(kind, error, promise);
  };
  internal.dispatchError = dispatchErrorStub;

  // WebAssembly is wasm.js, installed on first use like the other files (lazyFiles); the
  // namespace it patches was taken before any script could replace it.
  if (wasmNamespace !== undefined) {
    internal.wasmNamespace = wasmNamespace;
  } else {
    // This JSC has none: there is no global to provide.
    lazyGetters.delete('WebAssembly');
    delete globalThis.WebAssembly;
  }

  internal.require = require;
  internal.defineGlobal = defineGlobal;
  internal.defineGlobalProperty = defineGlobalProperty;
  // Taken before any user script runs, for code installed lazily later (modules.js).
  internal.intrinsics = {
    PromiseCtor: Promise,
    promiseThen: Promise.prototype.then,
    promiseResolve: Promise.resolve,
    setTimeout: globalThis.setTimeout,
    WeakRefCtor: WeakRef, // fetch.js: what an unread body leaves with its signal
    FinalizationRegistryCtor: FinalizationRegistry,
    // for native.httpRequest's wrapper (src/web/http_request.c), compiled by the first request
    reflectApply: Reflect.apply,
    arrayJoin: Array.prototype.join,
    stringSplit: String.prototype.split,
  };
})
