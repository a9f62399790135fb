(function (native, internal) {
  'use strict';

  // Bare specifiers from files: PACKAGE_RESOLVE, as Node's ESM resolver, through node_modules
  // and package.json's "exports", "module" and "main". Apart from modules.js, whose loader
  // installs this file on the first bare specifier it resolves from the file system.

  const { ownKeys } = Reflect;
  const jsonParse = JSON.parse;
  const ArrayIsArray = Array.isArray;
  const { normalizePath, pathFromFileURL, displayName, positioned } = internal.modulesCore;

  // --- the file system and node_modules (PACKAGE_RESOLVE, as Node's ESM resolver) ------------

  const CONDITIONS = ['eddy', 'import', 'default'];

  function readJSONFile(path) {
    const text = native.readFile(path);
    if (text === null) return null;
    try {
      return jsonParse(text);
    } catch (e) {
      throw positioned(new SyntaxError(`Invalid package configuration ${path}: ${e.message}`));
    }
  }

  function resolveTarget(dir, target, patternMatch) {
    if (typeof target === 'string') {
      if (!target.startsWith('./')) return undefined;
      const t = patternMatch === undefined ? target : target.split('*').join(patternMatch);
      return dir + '/' + normalizePath(t);
    }
    if (ArrayIsArray(target)) {
      for (const t of target) {
        const r = resolveTarget(dir, t, patternMatch);
        if (r !== undefined && r !== null) return r;
      }
      return undefined;
    }
    if (target !== null && typeof target === 'object') {
      for (const key of ownKeys(target)) {
        if (key === 'default' || CONDITIONS.indexOf(key) >= 0) {
          const r = resolveTarget(dir, target[key], patternMatch);
          if (r !== undefined) return r;
        }
      }
      return undefined;
    }
    return null; // null target: explicitly not exported
  }

  function exportsResolve(dir, subpath, exports) {
    let map = exports;
    const keys = map !== null && typeof map === 'object' && !ArrayIsArray(map) ? ownKeys(map) : [];
    const hasSubpaths = keys.length > 0 && keys[0].startsWith('.');
    if (!hasSubpaths) {
      if (subpath !== '.') return undefined;
      return resolveTarget(dir, map, undefined);
    }
    if (keys.indexOf(subpath) >= 0 && subpath.indexOf('*') < 0) {
      return resolveTarget(dir, map[subpath], undefined);
    }
    let bestKey = '', bestMatch;
    for (const key of keys) {
      const star = key.indexOf('*');
      if (star < 0) continue;
      const prefix = key.slice(0, star), suffix = key.slice(star + 1);
      if (subpath.startsWith(prefix) && subpath.length >= key.length && subpath.endsWith(suffix) &&
          (bestKey === '' || key.length > bestKey.length)) {
        bestKey = key;
        bestMatch = subpath.slice(prefix.length, subpath.length - suffix.length);
      }
    }
    if (bestKey !== '') return resolveTarget(dir, map[bestKey], bestMatch);
    return undefined;
  }

  function resolvePackage(specifier, referrer) {
    let name, rest;
    if (specifier.startsWith('@')) {
      const parts = specifier.split('/');
      if (parts.length < 2 || parts[1] === '') return null;
      name = parts[0] + '/' + parts[1];
      rest = parts.slice(2).join('/');
    } else {
      const slash = specifier.indexOf('/');
      name = slash < 0 ? specifier : specifier.slice(0, slash);
      rest = slash < 0 ? '' : specifier.slice(slash + 1);
    }
    const subpath = rest === '' ? '.' : './' + rest;
    let dir = referrer !== null && referrer.startsWith('file:')
      ? pathFromFileURL(referrer).replace(/\/[^/]*$/, '') : native.cwd();
    for (;;) {
      const pkgDir = (dir === '/' ? '' : dir) + '/node_modules/' + name;
      if (native.fileKind(pkgDir) === 2) {
        const pjson = readJSONFile(pkgDir + '/package.json');
        let path;
        if (pjson !== null && pjson.exports !== undefined && pjson.exports !== null) {
          path = exportsResolve(pkgDir, subpath, pjson.exports);
          if (path === undefined || path === null) {
            const e = new Error(`Package subpath '${subpath}' is not defined by "exports" in ${pkgDir}/package.json imported from ${referrer === null ? native.cwd() : displayName(referrer)}`);
            e.code = 'ERR_PACKAGE_PATH_NOT_EXPORTED';
            throw e;
          }
        } else if (subpath === '.') {
          const main = pjson !== null && (typeof pjson.module === 'string' ? pjson.module
            : typeof pjson.main === 'string' ? pjson.main : null);
          path = pkgDir + '/' + normalizePath(main !== null ? main : 'index.js');
          if (main !== null && native.fileKind(path) === 2) path += '/index.js';
        } else {
          path = pkgDir + '/' + normalizePath(rest);
        }
        return path;
      }
      if (dir === '/' || dir === '') return null;
      dir = dir.replace(/\/[^/]*$/, '') || '/';
    }
  }

  internal.resolvePackage = resolvePackage;
})
