(function (native, internal) {
  'use strict';

  // A module's top-level `for await` (the generated code's H.fa, docs/modules.md): apart from
  // modules.js, installed by the first one that runs.

  const { apply } = Reflect;
  const { promiseThen, PromiseCtor, promiseResolve } = internal.intrinsics;
  const SymbolIterator = Symbol.iterator;
  const SymbolAsyncIterator = Symbol.asyncIterator;

  function then(value, onFulfilled, onRejected) {
    return apply(promiseThen, apply(promiseResolve, PromiseCtor, [value]), [onFulfilled, onRejected]);
  }

  function forAwait(iterable) {
    let iterator, nextMethod, sync = false;
    const asyncMethod = iterable == null ? undefined : iterable[SymbolAsyncIterator];
    if (asyncMethod !== undefined && asyncMethod !== null) {
      iterator = apply(asyncMethod, iterable, []);
    } else {
      const syncMethod = iterable == null ? undefined : iterable[SymbolIterator];
      if (typeof syncMethod !== 'function') throw new TypeError(`${typeof iterable} is not async iterable`);
      iterator = apply(syncMethod, iterable, []);
      sync = true;
    }
    if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
      throw new TypeError('Result of the Symbol.asyncIterator method is not an object');
    }
    nextMethod = iterator.next;
    const state = {
      value: undefined,
      finished: false, // the iterator is done or broke: never closed
      next() {
        state.finished = true; // until the step succeeds: an error here must not close
        const result = apply(nextMethod, iterator, []);
        return then(result, (r) => {
          if (r === null || (typeof r !== 'object' && typeof r !== 'function')) {
            throw new TypeError('Iterator result is not an object');
          }
          if (r.done) return false;
          if (sync) {
            return then(r.value, (v) => {
              state.value = v;
              state.finished = false;
              return true;
            });
          }
          state.value = r.value;
          state.finished = false;
          return true;
        });
      },
      failed: false,
      fail(e) {
        state.failed = true;
        throw e;
      },
      close() {
        if (state.finished) return undefined;
        state.finished = true;
        const ret = iterator.return;
        if (ret === undefined || ret === null) return undefined;
        if (state.failed) {
          // AsyncIteratorClose with a throw completion: the original error wins.
          let r;
          try {
            r = apply(ret, iterator, []);
          } catch {
            return undefined;
          }
          return then(r, () => undefined, () => undefined);
        }
        return then(apply(ret, iterator, []), (r) => {
          if (r === null || (typeof r !== 'object' && typeof r !== 'function')) {
            throw new TypeError('Iterator result is not an object');
          }
        });
      },
    };
    return state;
  }

  internal.moduleForAwait = forAwait;
})
