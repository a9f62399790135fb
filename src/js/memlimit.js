(function (native, internal) {
  'use strict';
  // Installed by C only when the host set eddy_options.memory_limit (src/memlimit.c). A buffer of
  // 1 MiB or more is announced to native.memoryReserve before JSC allocates it: zeroed pages cost
  // nothing until written, and one native call (fill, set) can then write gigabytes between two
  // of the watchdog's checks. memoryReserve throws RangeError('memory limit exceeded') when it
  // does not fit. Smaller buffers, and everything else, are left to the periodic check.
  const reserve = native.memoryReserve;
  const MIN = 1 << 20;
  const { apply, construct, defineProperty, getOwnPropertyDescriptor } = Reflect;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;

  // An upper bound of what ToIndex(value) will give, without running user code twice: objects
  // (whose valueOf the constructor itself calls) are left to the periodic check.
  function lengthOf(value) {
    if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol' ||
        typeof value === 'bigint') return 0;
    const n = +value;
    return n > 0 ? n : 0;
  }

  function announce(bytes) {
    if (bytes >= MIN) reserve(bytes);
  }

  // The global stays a constructor with the same prototype, statics, name and length, and
  // `constructor` on its prototype points at the wrapper, so `x.constructor === Uint8Array` and
  // subclassing hold. A plain function, not a Proxy: JSC optimises `new` through it (a Proxy's
  // construct trap made `new Uint8Array(16)` ten times slower, this less than twice).
  function guardConstructor(name, bytesOf) {
    const desc = getOwnPropertyDescriptor(globalThis, name);
    const C = desc && desc.value;
    if (typeof C !== 'function') return;
    const guarded = function (length) {
      if (new.target === undefined) return apply(C, this, arguments); // C's own TypeError
      announce(bytesOf(length));
      if (new.target !== guarded) return construct(C, arguments, new.target);
      return arguments.length <= 1 ? new C(length) : construct(C, arguments);
    };
    for (const key of Reflect.ownKeys(C)) {
      if (key === 'prototype') continue;
      defineProperty(guarded, key, getOwnPropertyDescriptor(C, key));
    }
    defineProperty(guarded, 'prototype', { value: C.prototype, writable: false });
    Object.setPrototypeOf(guarded, ObjectGetPrototypeOf(C)); // %TypedArray%'s from, of, species
    const ctorDesc = getOwnPropertyDescriptor(C.prototype, 'constructor');
    if (ctorDesc && ctorDesc.value === C) defineProperty(C.prototype, 'constructor', { ...ctorDesc, value: guarded });
    defineProperty(globalThis, name, { ...desc, value: guarded });
  }

  // A method that grows its receiver to args[0] bytes: what it adds is announced.
  function guardGrowth(proto, name, currentLength) {
    const desc = proto && getOwnPropertyDescriptor(proto, name);
    const original = desc && desc.value;
    if (typeof original !== 'function') return;
    const method = {
      [name](length) {
        const wanted = lengthOf(length);
        if (wanted >= MIN) {
          let current = 0;
          try { current = currentLength(this); } catch { /* the original throws its own error */ }
          announce(wanted - current);
        }
        return apply(original, this, arguments);
      },
    }[name];
    defineProperty(method, 'length', { value: original.length });
    defineProperty(proto, name, { ...desc, value: method });
  }

  guardConstructor('ArrayBuffer', lengthOf);
  guardConstructor('SharedArrayBuffer', lengthOf);
  const typedArrays = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array'];
  for (const name of typedArrays) {
    const C = globalThis[name];
    if (typeof C !== 'function') continue;
    const size = C.BYTES_PER_ELEMENT;
    guardConstructor(name, (length) => lengthOf(length) * size);
  }

  const byteLength = (proto) => {
    const get = proto && getOwnPropertyDescriptor(proto, 'byteLength')?.get;
    return (buffer) => apply(get, buffer, []);
  };
  const abProto = ArrayBuffer.prototype;
  guardGrowth(abProto, 'resize', byteLength(abProto));
  guardGrowth(abProto, 'transfer', byteLength(abProto));
  guardGrowth(abProto, 'transferToFixedLength', byteLength(abProto));
  if (typeof SharedArrayBuffer === 'function') {
    const sabProto = SharedArrayBuffer.prototype;
    guardGrowth(sabProto, 'grow', byteLength(sabProto));
  }
})
