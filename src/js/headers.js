(function (native, internal) {
  'use strict';

  // Fetch's Headers. The header list is a flat array [name0, value0, name1, value1, …] with
  // lower-cased names — the same shape native.httpRequest takes and onResponse delivers — so
  // requests and responses pass it through without conversion. Names go on the wire
  // lower-cased (HTTP field names are case-insensitive). The list is only ever mutated in place,
  // so a holder of the array (Request) always sees the current headers.
  //
  // Guards: only 'immutable' is enforced. Like other server-side runtimes, eddy does not filter
  // forbidden request/response header names ('request' and 'response' behave like 'none').

  const { toDOMString, requireArgs } = internal;

  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  // After normalisation: no NUL/CR/LF, and ByteString (nothing above U+00FF).
  const invalidValueRe = /[\0\r\n]|[^\x00-\xFF]/;

  const isHttpWhitespace = (c) => c === 0x20 || c === 0x09 || c === 0x0A || c === 0x0D;

  function normalizeValue(v) {
    let start = 0;
    let end = v.length;
    while (start < end && isHttpWhitespace(v.charCodeAt(start))) start++;
    while (end > start && isHttpWhitespace(v.charCodeAt(end - 1))) end--;
    return start === 0 && end === v.length ? v : v.slice(start, end);
  }

  function checkName(name, where) {
    name = toDOMString(name);
    if (!tokenRe.test(name)) throw new TypeError(`${where}: '${name}' is an invalid header name`);
    return name.toLowerCase();
  }

  function checkValue(value, name, where) {
    value = normalizeValue(toDOMString(value));
    if (invalidValueRe.test(value)) {
      throw new TypeError(`${where}: invalid value for header '${name}'`);
    }
    return value;
  }

  // --- operations on flat lists (shared with fetch.js) ----------------------------------------

  function listGet(list, name) {
    let out = null;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) out = out === null ? list[i + 1] : out + ', ' + list[i + 1];
    }
    return out;
  }

  function listHas(list, name) {
    for (let i = 0; i < list.length; i += 2) if (list[i] === name) return true;
    return false;
  }

  function listDelete(list, name) {
    let j = 0;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) continue;
      list[j] = list[i];
      list[j + 1] = list[i + 1];
      j += 2;
    }
    list.length = j;
  }

  function listSet(list, name, value) {
    let found = false;
    let j = 0;
    for (let i = 0; i < list.length; i += 2) {
      if (list[i] === name) {
        if (found) continue;
        found = true;
        list[j] = name;
        list[j + 1] = value;
      } else {
        list[j] = list[i];
        list[j + 1] = list[i + 1];
      }
      j += 2;
    }
    list.length = j;
    if (!found) list.push(name, value);
  }

  // Fetch's "sort and combine": by name; values of one name joined with ", " except set-cookie,
  // which stays one entry per value.
  function sortAndCombine(list) {
    const names = [];
    const values = new Map();
    for (let i = 0; i < list.length; i += 2) {
      const n = list[i];
      const v = values.get(n);
      if (v === undefined) {
        values.set(n, [list[i + 1]]);
        names.push(n);
      } else {
        v.push(list[i + 1]);
      }
    }
    names.sort();
    const out = [];
    for (const n of names) {
      const v = values.get(n);
      if (n === 'set-cookie') {
        for (const one of v) out.push([n, one]);
      } else {
        out.push([n, v.length === 1 ? v[0] : v.join(', ')]);
      }
    }
    return out;
  }

  let headersListOf;

  // Appends HeadersInit (sequence of pairs, record, or Headers) to a flat list, validating.
  function fillList(list, init, where) {
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
      // HeadersInit is not nullable: null is a TypeError like any other non-object.
      if (init === undefined) return list;
      throw new TypeError(`${where}: headers must be an object`);
    }
    const iter = init[Symbol.iterator];
    if (iter !== undefined && iter !== null) {
      if (typeof iter !== 'function') throw new TypeError(`${where}: headers is not iterable`);
      // Another Headers iterated by the iterator it came with: copying its raw list is
      // observably the same. A script's own @@iterator or next() is used as Web IDL says.
      const other = iter === headersIterator && headersIteratorProto.next === headersIteratorNext
        ? headersListOf(init) : undefined;
      if (other !== undefined) {
        for (let i = 0; i < other.length; i++) list.push(other[i]);
        return list;
      }
      const iterator = Reflect.apply(iter, init, []);
      if (iterator === null || (typeof iterator !== 'object' && typeof iterator !== 'function')) {
        throw new TypeError(`${where}: headers' iterator is not an object`);
      }
      const next = iterator.next;
      for (;;) {
        const step = Reflect.apply(next, iterator, []);
        if (step === null || (typeof step !== 'object' && typeof step !== 'function')) {
          throw new TypeError(`${where}: headers' iterator result is not an object`);
        }
        if (step.done) break;
        const pair = step.value;
        if (pair === null || (typeof pair !== 'object' && typeof pair !== 'function') ||
            typeof pair[Symbol.iterator] !== 'function') {
          throw new TypeError(`${where}: each header must be a [name, value] pair`);
        }
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError(`${where}: each header must be a [name, value] pair`);
        const name = checkName(p[0], where);
        list.push(name, checkValue(p[1], name, where));
      }
      return list;
    }
    for (const key of Reflect.ownKeys(init)) {
      const d = Reflect.getOwnPropertyDescriptor(init, key);
      if (d === undefined || !d.enumerable) continue;
      const name = checkName(key, where);
      list.push(name, checkValue(init[key], name, where));
    }
    return list;
  }

  class Headers {
    #list = [];
    #guard = 'none';
    // Sorted-and-combined pairs for iteration; null after any mutation.
    #sorted = null;

    constructor(init = undefined) {
      if (init !== undefined) fillList(this.#list, init, 'Headers constructor');
    }

    #mutable(where) {
      if (this.#guard === 'immutable') throw new TypeError(`${where}: headers are immutable`);
      this.#sorted = null;
    }

    append(name, value) {
      requireArgs(arguments.length, 2, 'Headers.append');
      name = checkName(name, 'Headers.append');
      value = checkValue(value, name, 'Headers.append');
      this.#mutable('Headers.append');
      this.#list.push(name, value);
    }

    delete(name) {
      requireArgs(arguments.length, 1, 'Headers.delete');
      name = checkName(name, 'Headers.delete');
      this.#mutable('Headers.delete');
      listDelete(this.#list, name);
    }

    get(name) {
      requireArgs(arguments.length, 1, 'Headers.get');
      return listGet(this.#list, checkName(name, 'Headers.get'));
    }

    getSetCookie() {
      const list = this.#list;
      const out = [];
      for (let i = 0; i < list.length; i += 2) if (list[i] === 'set-cookie') out.push(list[i + 1]);
      return out;
    }

    has(name) {
      requireArgs(arguments.length, 1, 'Headers.has');
      return listHas(this.#list, checkName(name, 'Headers.has'));
    }

    set(name, value) {
      requireArgs(arguments.length, 2, 'Headers.set');
      name = checkName(name, 'Headers.set');
      value = checkValue(value, name, 'Headers.set');
      this.#mutable('Headers.set');
      listSet(this.#list, name, value);
    }

    static {
      headersListOf = (v) => (v !== null && typeof v === 'object' && #list in v ? v.#list : undefined);

      const pairs = (h) => h.#sorted ??= sortAndCombine(h.#list);
      internal.definePairIterable(Headers, 'Headers', pairs, (h) => h.#list);

      // Takes ownership of `list` (flat, names already lower-cased, values trusted).
      internal.headersFromList = (list, guard) => {
        const h = new Headers();
        h.#list = list;
        h.#guard = guard;
        return h;
      };
      internal.headersList = (h) => h.#list;
      internal.setHeadersGuard = (h, guard) => {
        h.#guard = guard;
      };
      internal.headersGuard = (h) => h.#guard;
    }
  }
  internal.makeInterface(Headers);
  const headersIterator = Headers.prototype[Symbol.iterator];
  const headersIteratorProto = Object.getPrototypeOf(Reflect.apply(headersIterator, new Headers(), []));
  const headersIteratorNext = headersIteratorProto.next;

  internal.headersInitToList = (init, where) => fillList([], init, where || 'Headers');
  internal.headersListGet = listGet;
  internal.headersListHas = listHas;
  internal.headersListDelete = listDelete;
  internal.headersListSet = listSet;

  internal.defineGlobal('Headers', Headers);
})
