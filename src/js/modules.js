(function (native, internal) {
  'use strict';

  // ECMAScript modules. JSC's C API has no module loader, so eddy has its own: src/module_*.c
  // turns a module's source into a classic-script generator function plus its import/export
  // entries (docs/modules.md describes the shape), and this file is the rest of ECMA-262's
  // Source Text Module Records: graph loading, Link (InnerModuleLinking), Evaluate
  // (InnerModuleEvaluation with top-level await: ExecuteAsyncModule, GatherAvailableAncestors),
  // ResolveExport, GetExportedNames and module namespace exotic objects. Step comments name the
  // specification's algorithms so the two can be read side by side.
  //
  // Installed lazily: the first import() or host import compiles this file. Bare specifiers
  // resolved through node_modules are modules_packages.js, a top-level `for await`
  // modules_for_await.js, each installed on its first use.

  const { create, defineProperty, freeze, getOwnPropertyDescriptor, preventExtensions } = Object;
  const { apply, ownKeys } = Reflect;
  const ProxyCtor = Proxy;
  const jsonParse = JSON.parse;
  const ArrayIsArray = Array.isArray;
  const { promiseThen, PromiseCtor, promiseResolve } = internal.intrinsics;
  const SymbolToStringTag = Symbol.toStringTag;
  const stringCompare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

  const NAMESPACE = Symbol('namespace');
  const AMBIGUOUS = Symbol('ambiguous');
  const SUPPORTED_ATTRIBUTES = ['type'];

  // --- promises without user-patchable lookups ---------------------------------------------------

  function newCapability() {
    let resolve, reject;
    const promise = new PromiseCtor((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  function then(value, onFulfilled, onRejected) {
    return apply(promiseThen, apply(promiseResolve, PromiseCtor, [value]), [onFulfilled, onRejected]);
  }

  // --- module records ----------------------------------------------------------------------------

  // url -> record. A record is cyclic (source text) or synthetic (JSON).
  const moduleMap = new Map();
  // url -> [callbacks] of loads waiting for a host loader's answer for that url.
  const inFlight = new Map();
  let asyncEvaluationCount = 0;

  function ModuleRecord(url) {
    this.url = url;
    this.cyclic = true;
    this.status = 'new';
    this.requests = [];          // [{specifier, attributes: [[key, value]...]}]
    this.loaded = [];            // request index -> record ([[LoadedModules]])
    this.imports = [];           // [{request, importName (null: namespace), localName}]
    this.localExports = [];      // [{exportName, localName}]
    this.indirectExports = [];   // [{exportName, request, importName (null: all)}]
    this.starExports = [];       // [request]
    this.hasTLA = false;
    this.env = null;             // localName -> getter
    this.importsObject = null;   // the I of the generated code
    this.generator = null;
    this.namespace = null;
    this.meta = null;
    this.dfsIndex = -1;
    this.dfsAncestorIndex = -1;
    this.cycleRoot = null;
    this.asyncEvaluation = false;
    this.asyncEvaluationOrder = 0;
    this.topLevelCapability = null;
    this.asyncParentModules = [];
    this.pendingAsyncDependencies = 0;
    this.hasError = false;
    this.evaluationError = undefined;
  }

  function syntheticRecord(url, exports) {
    const m = new ModuleRecord(url);
    m.cyclic = false;
    m.status = 'evaluated';
    m.env = create(null);
    m.exportNames = [];
    for (const name of ownKeys(exports)) {
      const value = exports[name];
      m.env[name] = () => value;
      m.exportNames.push(name);
    }
    return m;
  }

  function sameRequest(a, specifier, attributes) {
    if (a.specifier !== specifier || a.attributes.length !== attributes.length) return false;
    for (let i = 0; i < attributes.length; i++) {
      if (a.attributes[i][0] !== attributes[i][0] || a.attributes[i][1] !== attributes[i][1]) return false;
    }
    return true;
  }

  function checkAttributes(attributes, url) {
    for (const [key] of attributes) {
      if (SUPPORTED_ATTRIBUTES.indexOf(key) < 0) {
        throw positioned(new SyntaxError(`Import attribute "${key}" is not supported`), url);
      }
    }
  }

  // An error of the loader itself: its stack would show only this file's frames, so it names
  // the module it is about instead.
  function positioned(error, url) {
    if (url !== undefined && error.sourceURL === undefined) {
      defineProperty(error, 'sourceURL', { value: url, writable: true, configurable: true });
    }
    defineProperty(error, 'stack', { value: url === undefined ? '' : url, writable: true, configurable: true });
    return error;
  }

  // ParseModule: source text to a record whose environment exists (InitializeEnvironment's
  // hoisting is done by calling the generator up to its first yield), not yet linked.
  function sourceRecord(url, source) {
    const parsed = native.moduleParse(source, 0, undefined, url); // throws a positioned SyntaxError
    const meta = jsonParse(parsed[1]);
    const fn = native.moduleCompile(parsed[0], url);
    const m = new ModuleRecord(url);
    for (const r of meta.requests) {
      checkAttributes(r.attributes, url);
      m.requests.push({ specifier: r.specifier, attributes: r.attributes });
    }
    const importByLocal = new Map();
    for (const i of meta.imports) {
      const entry = { request: i.request, importName: i.import, localName: i.local };
      m.imports.push(entry);
      importByLocal.set(i.local, entry);
    }
    for (const x of meta.exports) {
      const ie = importByLocal.get(x.local);
      if (ie === undefined || ie.importName === null) {
        m.localExports.push({ exportName: x.export, localName: x.local });
      } else {
        // Re-export of an imported binding: an indirect export (ParseModule step 10.b.ii).
        m.indirectExports.push({ exportName: x.export, request: ie.request, importName: ie.importName });
      }
    }
    for (const x of meta.reexports) {
      m.indirectExports.push({ exportName: x.export, request: x.request, importName: x.import });
    }
    for (const s of meta.stars) m.starExports.push(s);
    m.hasTLA = meta.tla;
    m.importsObject = create(null);
    const holder = makeHolder(m);
    m.generator = fn(holder, m.importsObject);
    const envFn = m.generator.next().value;
    m.env = create(null);
    const getters = envFn();
    for (const name of ownKeys(getters)) m.env[name] = getOwnPropertyDescriptor(getters, name).get;
    return m;
  }

  // The H of the generated code: what module code reaches through syntax.
  function makeHolder(m) {
    return {
      import(specifier, options) {
        return dynamicImport(m.url, specifier, options);
      },
      get meta() {
        if (m.meta === null) {
          // HostGetImportMetaProperties: url and resolve(), Node's and the browsers' pair, and
          // for a file the path and its directory, as Node, Deno and Bun give them.
          const meta = create(null);
          meta.url = m.url;
          meta.resolve = function resolve(specifier) {
            return resolveSync(`${specifier}`, m.url);
          };
          if (m.url.startsWith('file:')) {
            const filename = pathFromFileURL(m.url);
            meta.filename = filename;
            meta.dirname = filename.slice(0, filename.lastIndexOf('/')) || '/';
          }
          m.meta = meta;
        }
        return m.meta;
      },
      get arguments() {
        throw new ReferenceError("Can't find variable: arguments");
      },
      n(fn) {
        defineProperty(fn, 'name', { value: 'default', configurable: true });
      },
      // modules_for_await.js, installed by the first top-level for await.
      fa: (iterable) => internal.moduleForAwait(iterable),
    };
  }

  // --- resolution --------------------------------------------------------------------------------

  const schemeRe = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
  const isRelative = (s) => s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..';

  function normalizePath(path) {
    const out = [];
    for (const part of path.split('/')) {
      if (part === '..') out.pop();
      else if (part !== '.' && part !== '') out.push(part);
    }
    return out.join('/');
  }

  // Characters a file URL's path keeps as they are (the URL standard's path percent-encode set
  // spares these), and no "?" or "#" that would end the path.
  const plainPathRe = /^[A-Za-z0-9/._~!$&'()*+,;=:@-]*$/;

  const pathEscapeRe = /[\u{0}-\u{20}"#%<>?\\`{}\u{7f}-\u{10ffff}]/gu;

  function fileURLFromPath(path) {
    if (plainPathRe.test(path) && path.startsWith('/') && path.indexOf('/./') < 0 &&
        path.indexOf('/../') < 0 && !path.endsWith('/.') && !path.endsWith('/..')) {
      return 'file://' + path;
    }
    // As Node's pathToFileURL: %, \\, newlines and tabs escaped first, then the URL standard's
    // path percent-encode set (and ? and #), as UTF-8 with upper-case hex; the URL parser then
    // only resolves dot segments.
    const encoded = path.replace(pathEscapeRe, (c) => encodeURIComponent(c).replace(/%[0-9a-f]{2}/g, (h) => h.toUpperCase()));
    return internal.parseURL('file://' + encoded, undefined).href;
  }

  function pathFromFileURL(url) {
    const rec = internal.parseURL(url, undefined);
    return decodeURIComponent(rec.pathname);
  }

  const displayName = (url) => (url.startsWith('file:') ? pathFromFileURL(url) : url);

  // The module map key of a specifier before any host is asked: relative and absolute ones
  // resolved against the referrer, bare ones unchanged. Referrers that are not URLs (names a host
  // declared, like "app/main.js") resolve relative specifiers like paths.
  function resolveName(specifier, referrer) {
    if (schemeRe.test(specifier)) {
      const rec = internal.parseURL(specifier, undefined);
      return rec === null ? specifier : rec.href;
    }
    if (specifier.startsWith('/')) {
      if (referrer !== null && schemeRe.test(referrer) && !referrer.startsWith('file:')) {
        return resolveAgainst(specifier, referrer);
      }
      return fileURLFromPath(normalizePath(specifier).replace(/^/, '/'));
    }
    if (isRelative(specifier)) {
      // The common case, a plain relative path from a file: path arithmetic gives what the URL
      // parser would, without its cost (~40 us a call in the interpreter).
      if (referrer !== null && referrer.startsWith('file:///') && plainPathRe.test(specifier) &&
          plainPathRe.test(referrer) && referrer.indexOf('//', 8) < 0 && specifier.indexOf('//') < 0) {
        const dir = referrer.slice(7, referrer.lastIndexOf('/') + 1);
        return 'file:///' + normalizePath(dir + specifier);
      }
      if (referrer !== null && schemeRe.test(referrer)) return resolveAgainst(specifier, referrer);
      const dir = referrer === null ? '' : referrer.slice(0, referrer.lastIndexOf('/') + 1);
      return normalizePath(dir + specifier);
    }
    return specifier;
  }

  // A relative or absolute-path specifier against a referrer URL: one that cannot be a base
  // (a data: URL's opaque path) resolves nothing, as in Node and browsers.
  function resolveAgainst(specifier, referrer) {
    const rec = internal.parseURL(specifier, referrer);
    if (rec !== null) return rec.href;
    const e = new TypeError(`Cannot resolve '${specifier}' against ${displayName(referrer).slice(0, 80)}`);
    throw positioned(e, referrer);
  }

  function notFound(specifier, referrer) {
    const from = referrer === null ? '' : ` imported from ${displayName(referrer)}`;
    const e = new Error(`Cannot find module '${specifier}'${from}`);
    e.code = 'ERR_MODULE_NOT_FOUND';
    return positioned(e, referrer === null ? undefined : referrer);
  }

  // The module map key of a file: its real path, as Node does, so a package reached through two
  // symlinks is one module.
  function fileKey(path) {
    const real = native.realpath(path);
    return real === null ? null : fileURLFromPath(real);
  }

  // import.meta.resolve: synchronous, so without the host's asynchronous loader.
  function resolveSync(specifier, referrer) {
    const name = resolveName(specifier, referrer);
    if (moduleMap.has(name) || native.moduleDeclared(name, false)) return name;
    if (native.moduleFiles && !schemeRe.test(name) && !isRelative(specifier) && !specifier.startsWith('/')) {
      const path = internal.resolvePackage(name, referrer);
      if (path !== null) return fileURLFromPath(path);
    }
    if (schemeRe.test(name) || !isRelative(specifier)) {
      if (schemeRe.test(name)) return name;
      throw new TypeError(`Cannot resolve module '${specifier}' from ${referrer === null ? 'the host' : displayName(referrer)}`);
    }
    return name;
  }

  // --- fetching: host-declared modules, the host's loader, the file system -----------------------

  function moduleKind(url, attributes) {
    let type;
    for (const [k, v] of attributes) if (k === 'type') type = v;
    if (type === undefined) {
      if (url.endsWith('.json')) {
        throw new TypeError(`Module "${url}" needs an import attribute of "type: json"`);
      }
      return 'js';
    }
    if (type === 'json') return 'json';
    throw new TypeError(`Import attribute "type" with value "${type}" is not supported`);
  }

  function instantiate(url, source, kind) {
    const existing = moduleMap.get(url);
    if (existing !== undefined) return existing;
    let m;
    if (kind === 'json') {
      let value;
      try {
        value = jsonParse(source);
      } catch (e) {
        throw positioned(new SyntaxError(`${displayName(url)}: ${e.message}`), url);
      }
      m = syntheticRecord(url, { default: value });
      m.isJSON = true;
    } else {
      m = sourceRecord(url, source);
    }
    moduleMap.set(url, m);
    return m;
  }

  // One module map entry per URL: a JavaScript module imported as JSON fails, and vice versa.
  function checkKind(m, kind) {
    if ((kind === 'json') !== (m.isJSON === true)) {
      throw new TypeError(`Module "${m.url}" is not a ${kind === 'json' ? 'JSON' : 'JavaScript'} module`);
    }
    return m;
  }

  // HostLoadImportedModule: calls done(error, record) once, synchronously when it can.
  function hostLoad(referrer, request, done) {
    const { specifier, attributes } = request;
    let name, kind;
    try {
      name = resolveName(specifier, referrer);
      kind = moduleKind(name, attributes);
    } catch (e) {
      done(e);
      return;
    }
    const finish = (url, source) => {
      let m;
      try {
        m = moduleMap.get(url);
        if (m === undefined) {
          m = instantiate(url, source, kind);
        }
        checkKind(m, kind);
      } catch (e) {
        done(e);
        return;
      }
      done(null, m);
    };
    const hit = moduleMap.get(name);
    if (hit !== undefined) {
      finish(name, null);
      return;
    }
    const declared = native.moduleDeclared(name, true);
    if (declared !== undefined) {
      finish(name, declared);
      return;
    }
    if (native.hasModuleLoader) {
      const waiting = inFlight.get(name);
      if (waiting !== undefined) {
        waiting.push(finish);
        return;
      }
      let answer;
      try {
        answer = native.moduleHostLoad(name, referrer === null ? '' : referrer);
      } catch (e) {
        done(e);
        return;
      }
      if (answer === null) {
        // The host does not know it: the file system may.
      } else if (ArrayIsArray(answer)) {
        finish(answer[0], answer[1]);
        return;
      } else {
        const list = [finish];
        inFlight.set(name, list);
        pendingAnswers.set(answer, (error, found, url, source) => {
          inFlight.delete(name);
          for (const f of list) {
            if (error !== null) done(error);
            else if (!found) fromFiles(name, specifier, referrer, kind, f, done);
            else f(url === null ? name : url, source);
          }
        });
        return;
      }
    }
    fromFiles(name, specifier, referrer, kind, finish, done);
  }

  function fromFiles(name, specifier, referrer, kind, finish, done) {
    let path = null;
    try {
      if (name.startsWith('data:')) {
        // modules_data.js, run by this file alone (no lazy_files.json entry, which every
        // engine's creation pays for)
        if (internal.moduleDataSource === undefined) native.installFile('modules_data.js');
        finish(name, internal.moduleDataSource(name, kind));
        return;
      }
      if (native.moduleFiles) {
        if (name.startsWith('file:')) path = pathFromFileURL(name);
        else if (!schemeRe.test(name) && !isRelative(specifier)) path = internal.resolvePackage(name, referrer);
      }
      if (path === null) throw notFound(specifier, referrer);
      const url = fileKey(path);
      if (url === null) throw notFound(specifier, referrer);
      const hit = moduleMap.get(url);
      if (hit !== undefined) {
        finish(url, null);
        return;
      }
      const source = native.readFile(path);
      if (source === null) throw notFound(specifier, referrer);
      if (kind === 'js' && url.endsWith('.json')) moduleKind(url, []);
      finish(url, source);
    } catch (e) {
      done(e);
    }
  }

  // id -> callback(error, url, source) for host loader answers that come later.
  const pendingAnswers = new Map();
  internal.moduleAnswer = function (id, status, url, source) {
    const cb = pendingAnswers.get(id);
    if (cb === undefined) return;
    pendingAnswers.delete(id);
    if (status === 1) cb(null, true, url, source);
    else if (status === 0) cb(null, false, null, null);
    else cb(url instanceof Error ? url : new Error(`${url}`));
  };

  // --- LoadRequestedModules ------------------------------------------------------------------

  function loadRequestedModules(root, callback) {
    const state = { pending: 1, visited: new Set(), isLoading: true, callback };
    innerModuleLoading(state, root);
  }

  function innerModuleLoading(state, module) {
    if (module.cyclic && module.status === 'new' && !state.visited.has(module)) {
      state.visited.add(module);
      const count = module.requests.length;
      state.pending += count;
      for (let i = 0; i < count; i++) {
        const loaded = module.loaded[i];
        if (loaded !== undefined) {
          innerModuleLoading(state, loaded);
        } else {
          hostLoad(module.url, module.requests[i], (error, record) => {
            if (error === null) module.loaded[i] = record;
            continueModuleLoading(state, error, record);
          });
        }
        if (!state.isLoading) return;
      }
    }
    if (--state.pending === 0) {
      state.isLoading = false;
      for (const m of state.visited) if (m.status === 'new') m.status = 'unlinked';
      state.callback(null);
    }
  }

  function continueModuleLoading(state, error, record) {
    if (!state.isLoading) return;
    if (error !== null) {
      state.isLoading = false;
      state.callback(error);
      return;
    }
    innerModuleLoading(state, record);
  }

  // --- ResolveExport, GetExportedNames, namespaces -----------------------------------------------

  function getImportedModule(m, request) {
    return m.loaded[request];
  }

  function resolveExport(module, exportName, resolveSet) {
    if (!module.cyclic) {
      return module.env[exportName] !== undefined && module.exportNames.indexOf(exportName) >= 0
        ? { module, bindingName: exportName } : null;
    }
    if (resolveSet === undefined) resolveSet = [];
    for (const r of resolveSet) {
      if (r.module === module && r.exportName === exportName) return null; // circular import request
    }
    resolveSet.push({ module, exportName });
    for (const e of module.localExports) {
      if (e.exportName === exportName) return { module, bindingName: e.localName };
    }
    for (const e of module.indirectExports) {
      if (e.exportName === exportName) {
        const imported = getImportedModule(module, e.request);
        if (e.importName === null) return { module: imported, bindingName: NAMESPACE };
        return resolveExport(imported, e.importName, resolveSet);
      }
    }
    if (exportName === 'default') return null;
    let starResolution = null;
    for (const request of module.starExports) {
      const imported = getImportedModule(module, request);
      const resolution = resolveExport(imported, exportName, resolveSet);
      if (resolution === AMBIGUOUS) return AMBIGUOUS;
      if (resolution !== null) {
        if (starResolution === null) {
          starResolution = resolution;
        } else if (resolution.module !== starResolution.module ||
                   resolution.bindingName !== starResolution.bindingName) {
          return AMBIGUOUS;
        }
      }
    }
    return starResolution;
  }

  function getExportedNames(module, exportStarSet) {
    if (!module.cyclic) return module.exportNames.slice();
    if (exportStarSet.has(module)) return [];
    exportStarSet.add(module);
    const names = [];
    for (const e of module.localExports) names.push(e.exportName);
    for (const e of module.indirectExports) names.push(e.exportName);
    for (const request of module.starExports) {
      const starNames = getExportedNames(getImportedModule(module, request), exportStarSet);
      for (const n of starNames) {
        if (n !== 'default' && names.indexOf(n) < 0) names.push(n);
      }
    }
    return names;
  }

  function bindingGetter(resolution) {
    if (resolution.bindingName === NAMESPACE) {
      const target = resolution.module;
      return () => getModuleNamespace(target);
    }
    const getter = resolution.module.env[resolution.bindingName];
    if (getter === undefined) {
      throw new SyntaxError(`Exported binding '${resolution.bindingName}' needs to refer to a top-level declared variable.`);
    }
    return getter;
  }

  // GetModuleNamespace / ModuleNamespaceCreate. The exotic object's internal methods (ECMA-262
  // 10.4.6) are the Proxy's traps; its target holds one non-configurable writable data property
  // per export, so every invariant the Proxy checks agrees with what the traps report.
  function getModuleNamespace(module) {
    if (module.namespace !== null) return module.namespace;
    const names = [];
    const getters = create(null);
    for (const name of getExportedNames(module, new Set())) {
      const resolution = resolveExport(module, name);
      if (resolution !== null && resolution !== AMBIGUOUS) {
        names.push(name);
        getters[name] = bindingGetter(resolution);
      }
    }
    names.sort(stringCompare);
    const target = create(null);
    for (const name of names) {
      defineProperty(target, name, { value: undefined, writable: true, enumerable: true, configurable: false });
    }
    defineProperty(target, SymbolToStringTag, { value: 'Module', writable: false, enumerable: false, configurable: false });
    preventExtensions(target);
    const keys = freeze([...names, SymbolToStringTag]);
    const isExport = (p) => typeof p === 'string' && getters[p] !== undefined;
    const ns = new ProxyCtor(target, {
      get(t, p) {
        if (typeof p === 'symbol') return t[p];
        const g = getters[p];
        return g === undefined ? undefined : g();
      },
      getOwnPropertyDescriptor(t, p) {
        if (!isExport(p)) return getOwnPropertyDescriptor(t, p);
        return { value: getters[p](), writable: true, enumerable: true, configurable: false };
      },
      has(t, p) {
        return typeof p === 'symbol' ? p in t : isExport(p);
      },
      set() {
        return false;
      },
      deleteProperty(t, p) {
        if (typeof p === 'symbol') return delete t[p];
        return !isExport(p);
      },
      defineProperty(t, p, desc) {
        if (typeof p === 'symbol') {
          try {
            defineProperty(t, p, desc);
            return true;
          } catch {
            return false;
          }
        }
        if (!isExport(p)) return false;
        const value = getters[p]();
        if (desc.configurable === true || desc.enumerable === false || 'get' in desc || 'set' in desc ||
            desc.writable === false) {
          return false;
        }
        return 'value' in desc ? Object.is(desc.value, value) : true;
      },
      ownKeys() {
        return keys.slice();
      },
      setPrototypeOf(t, proto) {
        return proto === null;
      },
      preventExtensions() {
        return true;
      },
    });
    module.namespace = ns;
    return ns;
  }

  // --- Link ----------------------------------------------------------------------------------

  function requestName(module, request) {
    return module.requests[request].specifier;
  }

  function link(module) {
    const stack = [];
    try {
      innerModuleLinking(module, stack, 0);
    } catch (e) {
      for (const m of stack) {
        m.status = 'unlinked';
        m.dfsIndex = m.dfsAncestorIndex = -1;
      }
      throw e;
    }
  }

  function innerModuleLinking(module, stack, index) {
    if (!module.cyclic) return index;
    const s = module.status;
    if (s === 'linking' || s === 'linked' || s === 'evaluating-async' || s === 'evaluated' || s === 'evaluating') {
      return index;
    }
    module.status = 'linking';
    module.dfsIndex = module.dfsAncestorIndex = index;
    index++;
    stack.push(module);
    for (let i = 0; i < module.requests.length; i++) {
      const required = getImportedModule(module, i);
      index = innerModuleLinking(required, stack, index);
      if (required.cyclic && required.status === 'linking') {
        module.dfsAncestorIndex = Math.min(module.dfsAncestorIndex, required.dfsAncestorIndex);
      }
    }
    initializeEnvironment(module);
    if (module.dfsAncestorIndex === module.dfsIndex) {
      let done;
      do {
        done = stack.pop();
        done.status = 'linked';
      } while (done !== module);
    }
    return index;
  }

  function linkError(module, request, name, resolution) {
    const what = resolution === AMBIGUOUS
      ? `contains conflicting star exports for name '${name}'`
      : `does not provide an export named '${name}'`;
    return positioned(new SyntaxError(`The requested module '${requestName(module, request)}' ${what}`), module.url);
  }

  function initializeEnvironment(module) {
    for (const e of module.indirectExports) {
      if (e.importName === null) continue;
      const resolution = resolveExport(module, e.exportName);
      if (resolution === null || resolution === AMBIGUOUS) {
        throw linkError(module, e.request, e.importName, resolution);
      }
    }
    const I = module.importsObject;
    for (const ie of module.imports) {
      const imported = getImportedModule(module, ie.request);
      if (ie.importName === null) {
        defineProperty(I, ie.localName, { value: getModuleNamespace(imported), writable: false, enumerable: true, configurable: true });
        continue;
      }
      const resolution = resolveExport(imported, ie.importName);
      if (resolution === null || resolution === AMBIGUOUS) {
        throw linkError(module, ie.request, ie.importName, resolution);
      }
      if (resolution.bindingName === NAMESPACE) {
        defineProperty(I, ie.localName, { value: getModuleNamespace(resolution.module), writable: false, enumerable: true, configurable: true });
      } else {
        defineProperty(I, ie.localName, { get: bindingGetter(resolution), enumerable: true, configurable: true });
      }
    }
  }

  // --- Evaluate ------------------------------------------------------------------------------

  function evaluate(module) {
    if (module.status === 'evaluating-async' || module.status === 'evaluated') {
      if (module.cycleRoot !== null) module = module.cycleRoot;
    }
    if (module.topLevelCapability !== null) return module.topLevelCapability.promise;
    const capability = newCapability();
    module.topLevelCapability = capability;
    if (!module.cyclic) {
      capability.resolve(undefined);
      return capability.promise;
    }
    const stack = [];
    try {
      innerModuleEvaluation(module, stack, 0);
    } catch (e) {
      for (const m of stack) {
        m.status = 'evaluated';
        m.hasError = true;
        m.evaluationError = e;
      }
      capability.reject(e);
      return capability.promise;
    }
    if (!module.asyncEvaluation) capability.resolve(undefined);
    return capability.promise;
  }

  function innerModuleEvaluation(module, stack, index) {
    if (!module.cyclic) return index;
    const s = module.status;
    if (s === 'evaluating-async' || s === 'evaluated') {
      if (module.hasError) throw module.evaluationError;
      return index;
    }
    if (s === 'evaluating') return index;
    module.status = 'evaluating';
    module.dfsIndex = module.dfsAncestorIndex = index;
    module.pendingAsyncDependencies = 0;
    index++;
    stack.push(module);
    for (let i = 0; i < module.requests.length; i++) {
      let required = getImportedModule(module, i);
      index = innerModuleEvaluation(required, stack, index);
      if (!required.cyclic) continue;
      if (required.status === 'evaluating') {
        module.dfsAncestorIndex = Math.min(module.dfsAncestorIndex, required.dfsAncestorIndex);
      } else {
        required = required.cycleRoot;
        if (required.hasError) throw required.evaluationError;
      }
      if (required.asyncEvaluation) {
        module.pendingAsyncDependencies++;
        required.asyncParentModules.push(module);
      }
    }
    if (module.pendingAsyncDependencies > 0 || module.hasTLA) {
      module.asyncEvaluation = true;
      module.asyncEvaluationOrder = ++asyncEvaluationCount;
      if (module.pendingAsyncDependencies === 0) executeAsyncModule(module);
    } else {
      executeModule(module);
    }
    if (module.dfsAncestorIndex === module.dfsIndex) {
      let done;
      do {
        done = stack.pop();
        done.status = done.asyncEvaluation ? 'evaluating-async' : 'evaluated';
        done.cycleRoot = module;
      } while (done !== module);
    }
    return index;
  }

  // A module without top-level await runs to completion in one step of its generator.
  function executeModule(module) {
    const gen = module.generator;
    module.generator = null;
    gen.next();
  }

  // With top-level await, every `yield` of the generated code is an `await`: each step resumes
  // after the awaited value settles, as an async function's would.
  function executeAsyncModule(module) {
    const gen = module.generator;
    module.generator = null;
    const onFulfilled = () => asyncModuleExecutionFulfilled(module);
    const onRejected = (e) => asyncModuleExecutionRejected(module, e);
    const step = (method, arg) => {
      let r;
      try {
        r = method === 0 ? gen.next(arg) : gen.throw(arg);
      } catch (e) {
        onRejected(e);
        return;
      }
      if (r.done) {
        onFulfilled();
        return;
      }
      then(r.value, resume, resumeThrow);
    };
    const resume = (v) => step(0, v);
    const resumeThrow = (e) => step(1, e);
    step(0, undefined);
  }

  function asyncModuleExecutionFulfilled(module) {
    if (module.status === 'evaluated') return;
    module.asyncEvaluation = false;
    module.status = 'evaluated';
    if (module.topLevelCapability !== null) module.topLevelCapability.resolve(undefined);
    const execList = [];
    gatherAvailableAncestors(module, execList);
    execList.sort((a, b) => a.asyncEvaluationOrder - b.asyncEvaluationOrder);
    for (const m of execList) {
      if (m.status === 'evaluated') continue;
      if (m.hasTLA) {
        executeAsyncModule(m);
        continue;
      }
      try {
        executeModule(m);
      } catch (e) {
        asyncModuleExecutionRejected(m, e);
        continue;
      }
      m.asyncEvaluation = false;
      m.status = 'evaluated';
      if (m.topLevelCapability !== null) m.topLevelCapability.resolve(undefined);
    }
  }

  function gatherAvailableAncestors(module, execList) {
    for (const m of module.asyncParentModules) {
      if (execList.indexOf(m) < 0 && !m.cycleRoot.hasError) {
        if (--m.pendingAsyncDependencies === 0) {
          execList.push(m);
          if (!m.hasTLA) gatherAvailableAncestors(m, execList);
        }
      }
    }
  }

  function asyncModuleExecutionRejected(module, error) {
    if (module.status === 'evaluated') return;
    module.hasError = true;
    module.evaluationError = error;
    module.status = 'evaluated';
    for (const m of module.asyncParentModules) asyncModuleExecutionRejected(m, error);
    if (module.topLevelCapability !== null) module.topLevelCapability.reject(error);
  }

  // --- entry points: import(), the host's imports ------------------------------------------------

  // Loads, links and evaluates the module `name` resolves to from referrer; callback(error,
  // module) after its evaluation settled.
  function importModule(referrer, request, callback) {
    hostLoad(referrer, request, (error, module) => {
      if (error !== null) {
        callback(error);
        return;
      }
      loadRequestedModules(module, (err) => {
        if (err !== null) {
          callback(err);
          return;
        }
        let promise;
        try {
          link(module);
          promise = evaluate(module);
        } catch (e) {
          callback(e);
          return;
        }
        then(promise, () => callback(null, module), (e) => callback(e));
      });
    });
  }

  function attributesFrom(options) {
    if (options === undefined) return [];
    if (options === null || (typeof options !== 'object' && typeof options !== 'function')) {
      throw new TypeError('The second argument of import() must be an object');
    }
    const attrs = options.with;
    if (attrs === undefined) return [];
    if (attrs === null || (typeof attrs !== 'object' && typeof attrs !== 'function')) {
      throw new TypeError("The 'with' option of import() must be an object");
    }
    const out = [];
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (typeof value !== 'string') throw new TypeError(`Import attribute "${key}" must be a string`);
      out.push([key, value]);
    }
    out.sort((a, b) => stringCompare(a[0], b[0]));
    for (const [key] of out) {
      if (SUPPORTED_ATTRIBUTES.indexOf(key) < 0) throw new SyntaxError(`Import attribute "${key}" is not supported`);
    }
    return out;
  }

  // EvaluateImportCall + ContinueDynamicImport.
  function dynamicImport(referrer, specifier, options) {
    const capability = newCapability();
    let request;
    try {
      request = { specifier: `${specifier}`, attributes: attributesFrom(options) };
    } catch (e) {
      capability.reject(e);
      return capability.promise;
    }
    importModule(referrer, request, (error, module) => {
      if (error !== null) capability.reject(error);
      else capability.resolve(getModuleNamespace(module));
    });
    return capability.promise;
  }

  // A classic script's import(): the parser rewrites it to __eddy_import(referrer)(...).
  const scriptImporters = new Map();
  internal.scriptImporter = function (referrer) {
    let f = scriptImporters.get(referrer);
    if (f === undefined) {
      // A script named by an absolute path is that file; one with a synthetic name like
      // "[eval]" or "<eval>" resolves from the working directory, as Node's -e does.
      let ref = referrer === '' ? null : referrer;
      if (ref !== null && ref.startsWith('/')) ref = fileURLFromPath(ref);
      else if (ref !== null && native.moduleFiles && /^[[<]/.test(ref)) {
        ref = fileURLFromPath(native.cwd().replace(/\/?$/, '/') + ref);
      }
      f = (specifier, options) => dynamicImport(ref, specifier, options);
      scriptImporters.set(referrer, f);
    }
    return f;
  };

  // eddy_import: a specifier from the host, resolved without a referrer.
  internal.moduleImport = function (specifier) {
    return dynamicImport(null, specifier, undefined);
  };

  // For modules_packages.js, installed on the first bare specifier resolved from the file system.
  internal.modulesCore = { normalizePath, pathFromFileURL, displayName, positioned };

  // eddy_call_export: import, walk the dotted path from the namespace, call, await.
  internal.moduleCallExport = function (specifier, path, args) {
    return then(dynamicImport(null, specifier, undefined), (ns) => {
      let holder = ns, fn = ns;
      for (const part of path.split('.')) {
        if (fn === null || fn === undefined) {
          throw new TypeError(`'${path}' is not a function exported by '${specifier}'`);
        }
        holder = fn;
        fn = fn[part];
      }
      if (typeof fn !== 'function') {
        throw new TypeError(`'${path}' is not a function exported by '${specifier}' (it is ${fn === null ? 'null' : typeof fn})`);
      }
      return apply(fn, holder === ns ? undefined : holder, args);
    });
  };

})
