// How console shows an Error, for console_inspect.js (util.inspect's look-alike): the stack
// rewritten the V8 way, the real class named when the stack names only a generic error type,
// and [brackets] around a stack without frames. console_inspect.js installs this file
// (native.installFile) on the first Error it shows, so an engine that never shows one never
// compiles it; it takes no lazy_files.json entry. Its helpers, and the builtins it captured at
// its own load time, come as internal.inspectParts.
(function (native, internal) {
  'use strict';

  const { prefixOf, errorToString, framesToV8, jscFramePattern, isArray } = internal.inspectParts;

  function errorHeader(err) {
    try {
      return errorToString(err);
    } catch {
      return 'Error';
    }
  }

  function v8StyleStack(err, stack) {
    if (stack.includes('\n    at ') || stack.startsWith('    at ')) return stack;
    // The host's request frame (src/internal.h EDDY__HOST_FRAME) is eddy's, not the script's.
    const lines = stack.split('\n').filter((l) => l !== '' && l !== '__eddy_host__@[native code]');
    if (lines.length === 0 || !lines.every((l) => jscFramePattern.test(l))) return stack;
    const header = errorHeader(err);
    if (stack.startsWith(header)) return stack;
    return `${header}\n${framesToV8(lines).join('\n')}`;
  }

  function formatError(ctx, err, ctor, tag, keys) {
    const name = err.name != null ? String(err.name) : 'Error';
    const rawStack = err.stack;
    let stack = rawStack ? v8StyleStack(err, String(rawStack)) : errorHeader(err);

    // Own enumerable name/message/stack are already visible in the stack text.
    if (!ctx.showHidden && keys.length !== 0) {
      for (const k of ['name', 'message', 'stack']) {
        const i = keys.indexOf(k);
        if (i !== -1 && stack.includes(err[k])) keys.splice(i, 1);
      }
    }
    if ('cause' in err && !keys.includes('cause')) keys.push('cause');
    if (isArray(err.errors) && !keys.includes('errors')) keys.push('errors');

    // Show the real class when the stack only names a generic error type.
    let len = name.length;
    if (ctor === null || (name.endsWith('Error') && stack.startsWith(name) &&
        (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
      let fallback = 'Error';
      if (ctor === null) {
        const m = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) ||
          /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
        fallback = (m && m[1]) || '';
        len = fallback.length;
        fallback = fallback || 'Error';
      }
      const prefix = prefixOf(ctor, tag, fallback).slice(0, -1);
      if (name !== prefix) {
        if (prefix.includes(name)) {
          stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`;
        } else {
          stack = `${prefix} [${name}]${stack.slice(len)}`;
        }
      }
    }

    // Without frames (after the message, which may itself contain "    at") show [stack].
    const message = err.message;
    let from = -1;
    if (message && typeof message === 'string') {
      from = stack.indexOf(message);
      if (from !== -1) from += message.length;
    }
    if (stack.indexOf('\n    at', from) === -1) stack = `[${stack}]`;

    if (ctx.indentationLvl !== 0) {
      stack = stack.split('\n').join(`\n${' '.repeat(ctx.indentationLvl)}`);
    }
    return stack;
  }

  internal.formatError = formatError;
})
