(function (native, internal) {
  'use strict';

  // HTML's structured serialize / deserialize (StructuredSerializeInternal, StructuredDeserialize
  // and their "with transfer" forms) and structuredClone() on top of them. The walk lives on
  // `internal` so that later users (MessagePort, postMessage) share it; the "with transfer" forms
  // and the serialization of other files' platform objects are clone_platform.js, installed on
  // first use:
  //
  //   internal.structuredSerialize(value)                      -> serialized
  //   internal.structuredSerializeWithTransfer(value, list)    -> { serialized, transferDataHolders }
  //   internal.structuredDeserialize(serialized)               -> value
  //   internal.structuredDeserializeWithTransfer(record)       -> { deserialized, transferredValues }
  //
  // A serialized value is a primitive or a record (a plain object with a numeric tag `t`) that
  // refers to no object of the original graph: ArrayBuffer contents are copied at serialization
  // (or moved, when transferred), Blob bytes are immutable and shared. Deserializing consumes a
  // record: the ArrayBuffers it holds become the result's, so a record is deserialized once.
  //
  // Every object is classified by its internal slots, which JS cannot read directly. The
  // prototype chain, read without running any trap (native.cloneProto: the stored [[Prototype]],
  // or false for a Proxy, revoked or not), names the candidate; one brand check through the
  // intrinsic's own method then confirms it. Objects whose chain was rewired away from their
  // intrinsic (say Object.setPrototypeOf(new Map(), null)) are caught by the non-throwing checks
  // that exist (Array.isArray, Error.isError, ArrayBuffer.isView), and otherwise cloned as the
  // ordinary objects they look like.

  const { requireArgs, interfacePrototypes } = internal;
  const {
    defineProperty, getOwnPropertyDescriptor, getPrototypeOf, keys: objectKeys, hasOwn,
  } = Object;
  // See clone.c: one native call per object either way, the cheaper one where JSC can name a Proxy.
  const { cloneIsExotic } = native;
  const cloneProto = typeof cloneIsExotic === 'function'
    ? (o) => (cloneIsExotic(o) ? false : getPrototypeOf(o))
    : native.cloneProto;
  const { apply } = Reflect;
  const ArrayIsArray = Array.isArray;
  const ArrayBufferIsView = ArrayBuffer.isView;
  const ErrorIsError = typeof Error.isError === 'function' ? Error.isError : null;

  // --- intrinsics, taken when this file is installed ----------------------------------------------

  const getterOf = (o, k) => getOwnPropertyDescriptor(o, k).get;
  const call = (f, self, ...args) => apply(f, self, args);
  // f's `this`-first form, as a bound Function.prototype.call: no rest array per call, which
  // the Map and Set copies below pay per entry.
  const uncurry = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);

  const ObjectCtor = Object;
  const ArrayCtor = Array;
  const BooleanCtor = Boolean;
  const NumberCtor = Number;
  const StringCtor = String;
  const SymbolIterator = Symbol.iterator;
  const SymbolToStringTag = Symbol.toStringTag;
  const BooleanValueOf = Boolean.prototype.valueOf;
  const NumberValueOf = Number.prototype.valueOf;
  const BigIntValueOf = BigInt.prototype.valueOf;
  const StringValueOf = String.prototype.valueOf;
  const DateGetTime = Date.prototype.getTime;
  const DateCtor = Date;
  const RegExpCtor = RegExp;
  const RegExpSource = getterOf(RegExp.prototype, 'source');
  // [[OriginalFlags]], one getter per flag (the `flags` getter would read overridable properties).
  const regExpFlags = [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'],
    ['m', 'multiline'], ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]
    .filter(([, name]) => getOwnPropertyDescriptor(RegExp.prototype, name) !== undefined)
    .map(([letter, name]) => [letter, getterOf(RegExp.prototype, name)]);

  const ArrayBufferCtor = ArrayBuffer;
  const ABProto = ArrayBuffer.prototype;
  const ABByteLength = getterOf(ABProto, 'byteLength');
  const SABByteLength = typeof SharedArrayBuffer === 'function'
    ? getterOf(SharedArrayBuffer.prototype, 'byteLength') : null;
  const ABResizable = getOwnPropertyDescriptor(ABProto, 'resizable') ? getterOf(ABProto, 'resizable') : null;
  const ABMaxByteLength = ABResizable ? getterOf(ABProto, 'maxByteLength') : null;
  const ABDetached = getOwnPropertyDescriptor(ABProto, 'detached') ? getterOf(ABProto, 'detached') : null;
  const ABResize = ABResizable ? ABProto.resize : null;
  const ABTransfer = typeof ABProto.transfer === 'function' ? ABProto.transfer : null;

  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const TATag = getterOf(TypedArrayProto, Symbol.toStringTag);
  const TABuffer = getterOf(TypedArrayProto, 'buffer');
  const TAByteOffset = getterOf(TypedArrayProto, 'byteOffset');
  const TAByteLength = getterOf(TypedArrayProto, 'byteLength');
  const TALength = getterOf(TypedArrayProto, 'length');
  const TAValues = TypedArrayProto.values;
  const TASet = TypedArrayProto.set;
  const Uint8ArrayCtor = Uint8Array;
  const DataViewCtor = DataView;
  const DVBuffer = getterOf(DataView.prototype, 'buffer');
  const DVByteOffset = getterOf(DataView.prototype, 'byteOffset');
  const DVByteLength = getterOf(DataView.prototype, 'byteLength');

  const typedArrayCtors = new Map();
  for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array']) {
    const ctor = globalThis[name];
    if (typeof ctor === 'function') typedArrayCtors.set(name, ctor);
  }

  const MapCtor = Map;
  const MapForEach = Map.prototype.forEach;
  const MapSet = Map.prototype.set;
  const MapHas = Map.prototype.has;
  const SetCtor = Set;
  const SetForEach = Set.prototype.forEach;
  const SetAdd = Set.prototype.add;
  const mapSetOf = uncurry(MapSet);
  const setAddOf = uncurry(SetAdd);
  const SetHas = Set.prototype.has;

  // HTML: a serialized error keeps its name only if it is one of these.
  const errorCtors = new Map([['Error', Error], ['EvalError', EvalError], ['RangeError', RangeError],
    ['ReferenceError', ReferenceError], ['SyntaxError', SyntaxError], ['TypeError', TypeError],
    ['URIError', URIError]]);

  // --- classification --------------------------------------------------------------------------

  const K_ORDINARY = 0;
  const K_ARRAY = 1;
  const K_BOOLEAN = 2;
  const K_NUMBER = 3;
  const K_BIGINT = 4;
  const K_STRING = 5;
  const K_DATE = 6;
  const K_REGEXP = 7;
  const K_ARRAYBUFFER = 8;
  const K_TYPEDARRAY = 9;
  const K_DATAVIEW = 10;
  const K_MAP = 11;
  const K_SET = 12;
  const K_ERROR = 13;
  const K_PLATFORM = 14;
  const K_REJECT = 15; // other internal slots: never serializable

  const tryCall = (f, v, arg) => {
    try {
      call(f, v, arg);
      return true;
    } catch {
      return false;
    }
  };

  // Confirms that v has the internal slots its prototype suggests.
  function hasSlots(kind, v) {
    switch (kind) {
      case K_ARRAY: return ArrayIsArray(v);
      case K_BOOLEAN: return tryCall(BooleanValueOf, v);
      case K_NUMBER: return tryCall(NumberValueOf, v);
      case K_BIGINT: return tryCall(BigIntValueOf, v);
      case K_STRING: return tryCall(StringValueOf, v);
      case K_DATE: return tryCall(DateGetTime, v);
      case K_REGEXP: return tryCall(RegExpSource, v);
      case K_ARRAYBUFFER: return tryCall(ABByteLength, v);
      case K_TYPEDARRAY: return TATag.call(v) !== undefined;
      case K_DATAVIEW: return tryCall(DVBuffer, v);
      case K_MAP: return tryCall(MapHas, v);
      case K_SET: return tryCall(SetHas, v);
      case K_ERROR: return ErrorIsError === null || ErrorIsError(v);
      default: return true;
    }
  }

  // prototype -> kind; and for K_REJECT, what to call the object in the error message.
  const kindByProto = new Map();
  const rejectName = new Map();
  kindByProto.set(Object.prototype, K_ORDINARY);
  kindByProto.set(Array.prototype, K_ARRAY);
  kindByProto.set(Boolean.prototype, K_BOOLEAN);
  kindByProto.set(Number.prototype, K_NUMBER);
  kindByProto.set(BigInt.prototype, K_BIGINT);
  kindByProto.set(String.prototype, K_STRING);
  kindByProto.set(Date.prototype, K_DATE);
  kindByProto.set(RegExp.prototype, K_REGEXP);
  kindByProto.set(ABProto, K_ARRAYBUFFER);
  kindByProto.set(TypedArrayProto, K_TYPEDARRAY);
  for (const ctor of typedArrayCtors.values()) kindByProto.set(ctor.prototype, K_TYPEDARRAY);
  kindByProto.set(DataView.prototype, K_DATAVIEW);
  kindByProto.set(Map.prototype, K_MAP);
  kindByProto.set(Set.prototype, K_SET);
  for (const ctor of [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError,
    globalThis.AggregateError, globalThis.SuppressedError]) {
    if (typeof ctor === 'function') kindByProto.set(ctor.prototype, K_ERROR);
  }
  const wasm = typeof WebAssembly === 'object' && WebAssembly !== null ? WebAssembly : {};
  for (const name of ['CompileError', 'LinkError', 'RuntimeError']) {
    if (typeof wasm[name] === 'function') kindByProto.set(wasm[name].prototype, K_ERROR);
  }

  function reject(proto, name) {
    if (proto !== null && typeof proto === 'object' && !kindByProto.has(proto)) {
      kindByProto.set(proto, K_REJECT);
      rejectName.set(proto, name);
    }
  }
  for (const name of ['WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Promise',
    'SharedArrayBuffer', 'DisposableStack', 'AsyncDisposableStack']) {
    const ctor = globalThis[name];
    if (typeof ctor === 'function') reject(ctor.prototype, name);
  }
  for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'Tag', 'Exception']) {
    if (typeof wasm[name] === 'function') reject(wasm[name].prototype, `WebAssembly.${name}`);
  }
  if (typeof Intl === 'object' && Intl !== null) {
    for (const name of Object.getOwnPropertyNames(Intl)) {
      const ctor = Intl[name];
      if (typeof ctor === 'function' && typeof ctor.prototype === 'object') reject(ctor.prototype, `Intl.${name}`);
    }
  }
  reject(Symbol.prototype, 'Symbol');
  reject(getPrototypeOf([][Symbol.iterator]()), 'Array Iterator');
  reject(getPrototypeOf(new Map().entries()), 'Map Iterator');
  reject(getPrototypeOf(new Set().values()), 'Set Iterator');
  reject(getPrototypeOf(''[Symbol.iterator]()), 'String Iterator');
  reject(getPrototypeOf(/(?:)/[Symbol.matchAll]('')), 'RegExp String Iterator');
  reject(getPrototypeOf(function* () {}).prototype, 'Generator');
  reject(getPrototypeOf(async function* () {}).prototype, 'AsyncGenerator');
  if (typeof Iterator === 'function' && typeof Iterator.from === 'function') {
    reject(getPrototypeOf(Iterator.from({ next() { return { done: true }; } })), 'Iterator');
    if (typeof Iterator.prototype.map === 'function') {
      reject(getPrototypeOf([].values().map((x) => x)), 'Iterator Helper');
    }
  }

  // The prototypes that are themselves objects with a [[*Data]] slot (ES: "Boolean.prototype is
  // a Boolean object", and so on). Their own chain starts at Object.prototype.
  const wrapperPrototypes = new Map([[Boolean.prototype, K_BOOLEAN], [Number.prototype, K_NUMBER],
    [String.prototype, K_STRING]]);

  let platformProto = null; // the interface prototype that classify() met, for K_PLATFORM

  // v: an object, not callable; proto: its stored [[Prototype]] (native.cloneProto, not false).
  function classify(v, proto) {
    let p = proto;
    while (p !== null) {
      const k = kindByProto.get(p);
      if (k !== undefined) {
        if (k === K_ORDINARY) break;
        if (k === K_REJECT) {
          platformProto = p;
          return K_REJECT;
        }
        if (hasSlots(k, v)) return k;
      } else if (interfacePrototypes.has(p)) {
        platformProto = p;
        return K_PLATFORM;
      }
      p = cloneProto(p);
      if (p === false) break; // a Proxy in the chain: nothing more is known without traps
    }
    if (ArrayIsArray(v)) return K_ARRAY;
    if (ErrorIsError !== null && ErrorIsError(v)) return K_ERROR;
    if (ArrayBufferIsView(v)) return TATag.call(v) !== undefined ? K_TYPEDARRAY : K_DATAVIEW;
    const w = wrapperPrototypes.get(v);
    return w === undefined ? K_ORDINARY : w;
  }

  function dataCloneError(what) {
    return new internal.DOMException(`${what} could not be cloned.`, 'DataCloneError');
  }

  function interfaceName(proto) {
    const d = getOwnPropertyDescriptor(proto, SymbolToStringTag);
    return d !== undefined && typeof d.value === 'string' ? d.value : 'platform';
  }

  // --- serialization -----------------------------------------------------------------------------

  // Record tags.
  const T_BOOLEAN = 1;
  const T_NUMBER = 2;
  const T_BIGINT = 3;
  const T_STRING = 4;
  const T_DATE = 5;
  const T_REGEXP = 6;
  const T_ARRAYBUFFER = 7;
  const T_VIEW = 8;
  const T_MAP = 9;
  const T_SET = 10;
  const T_ERROR = 11;
  const T_ARRAY = 12;
  const T_OBJECT = 13;
  const T_DOMEXCEPTION = 14;
  const T_BLOB = 15;
  const T_TRANSFERRED = 16; // a transferred ArrayBuffer's data holder
  const T_CRYPTOKEY = 17;
  const T_PORT = 18; // a transferred MessagePort's data holder (messaging.js)
  const T_STREAM = 19; // a transferred ReadableStream, WritableStream or TransformStream's

  // An object's stored [[Prototype]], once it is known not to be one of the exotic objects
  // nothing can clone: a Proxy, the global object, a module namespace object.
  function cloneableProto(value) {
    const proto = cloneProto(value);
    if (proto === false) {
      throw dataCloneError(value === globalThis ? 'The global object' : 'A Proxy');
    }
    if (proto === null) {
      // A module namespace object is exotic too; it is the one with this own property.
      const tag = getOwnPropertyDescriptor(value, SymbolToStringTag);
      if (tag !== undefined && tag.value === 'Module' && !tag.writable && !tag.configurable) {
        throw dataCloneError('A module namespace object');
      }
    }
    return proto;
  }

  // HTML's StructuredSerializeInternal (forStorage false). memory: Map object -> record.
  function serialize(value, memory) {
    const type = typeof value;
    if (type !== 'object' || value === null) {
      if (type === 'function') throw dataCloneError('A function');
      if (type === 'symbol') throw dataCloneError(StringCtor(value));
      return value; // undefined, null, boolean, number, bigint, string: the value itself
    }
    const seen = memory.get(value);
    if (seen !== undefined) return seen;

    const proto = cloneableProto(value);

    let rec;
    switch (classify(value, proto)) {
      case K_BOOLEAN:
        rec = { t: T_BOOLEAN, v: call(BooleanValueOf, value) };
        break;
      case K_NUMBER:
        rec = { t: T_NUMBER, v: call(NumberValueOf, value) };
        break;
      case K_BIGINT:
        rec = { t: T_BIGINT, v: call(BigIntValueOf, value) };
        break;
      case K_STRING:
        rec = { t: T_STRING, v: call(StringValueOf, value) };
        break;
      case K_DATE:
        rec = { t: T_DATE, v: call(DateGetTime, value) };
        break;
      case K_REGEXP: {
        let flags = '';
        for (let i = 0; i < regExpFlags.length; i++) {
          if (call(regExpFlags[i][1], value)) flags += regExpFlags[i][0];
        }
        rec = { t: T_REGEXP, source: call(RegExpSource, value), flags };
        break;
      }
      case K_ARRAYBUFFER:
        rec = serializeArrayBuffer(value);
        break;
      case K_TYPEDARRAY:
      case K_DATAVIEW:
        rec = serializeView(value, memory);
        break;
      case K_MAP: {
        rec = { t: T_MAP, entries: [] };
        memory.set(value, rec);
        // The entries as they are now; getters run below may change the map.
        const copied = [];
        call(MapForEach, value, (v, k) => {
          copied.push(k, v);
        });
        const out = rec.entries;
        for (let i = 0; i < copied.length; i += 2) {
          const k = serialize(copied[i], memory);
          out.push(k, serialize(copied[i + 1], memory));
        }
        return rec;
      }
      case K_SET: {
        rec = { t: T_SET, values: [] };
        memory.set(value, rec);
        const copied = [];
        call(SetForEach, value, (v) => {
          copied.push(v);
        });
        const out = rec.values;
        for (let i = 0; i < copied.length; i++) out.push(serialize(copied[i], memory));
        return rec;
      }
      case K_ERROR:
        return serializeError(value, memory);
      case K_ARRAY: {
        rec = { t: T_ARRAY, length: value.length, props: [] };
        memory.set(value, rec);
        serializeProperties(value, rec.props, memory);
        return rec;
      }
      case K_PLATFORM:
        rec = internal.serializePlatformObject(value, platformProto);
        break;
      case K_REJECT:
        throw dataCloneError(`A ${rejectName.get(platformProto)} object`);
      default: {
        rec = { t: T_OBJECT, props: [] };
        memory.set(value, rec);
        serializeProperties(value, rec.props, memory);
        return rec;
      }
    }
    memory.set(value, rec);
    return rec;
  }

  // For each key of EnumerableOwnProperties(value, key) that is still an own property when its
  // turn comes: Get, then serialize, depth first (so getters run in that order).
  function serializeProperties(value, props, memory) {
    const ks = objectKeys(value);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (!hasOwn(value, k)) continue;
      const v = value[k];
      props.push(k, serialize(v, memory));
    }
  }

  const isDetached = (buf) => (ABDetached !== null ? call(ABDetached, buf) : false);
  const isResizable = (buf) => (ABResizable !== null ? call(ABResizable, buf) : false);

  function serializeArrayBuffer(buf) {
    if (isDetached(buf)) throw dataCloneError('A detached ArrayBuffer');
    const len = call(ABByteLength, buf);
    let copy;
    try {
      copy = new Uint8ArrayCtor(len);
    } catch {
      throw dataCloneError(`An ArrayBuffer of ${len} bytes (out of memory)`);
    }
    if (len > 0) call(TASet, copy, new Uint8ArrayCtor(buf, 0, len));
    return { t: T_ARRAYBUFFER, bytes: copy.buffer, max: isResizable(buf) ? call(ABMaxByteLength, buf) : -1 };
  }

  // Whether a view on a resizable buffer follows the buffer's length (created without a length)
  // rather than having a fixed one. No getter says so: resize the buffer by one element and see
  // whether the view's length follows, then put the buffer back as it was. Runs no user code.
  function tracksLength(view, buf, offset, byteLength, elementSize, isTA) {
    const len = call(ABByteLength, buf);
    // A tracking view always ends within one element of the buffer's end.
    if (len - (offset + byteLength) >= elementSize) return false;
    const viewByteLength = isTA ? TAByteLength : DVByteLength;
    const max = call(ABMaxByteLength, buf);
    try {
      if (len + elementSize <= max) {
        call(ABResize, buf, len + elementSize);
        let grew;
        try {
          grew = call(viewByteLength, view) !== byteLength;
        } finally {
          call(ABResize, buf, len);
        }
        return grew;
      }
      // At its maximum: shrink so that a fixed view would end past the end, and restore the
      // bytes cut off.
      if (byteLength === 0) return false; // an empty view at the very end: the same either way
      const cut = offset + byteLength - 1;
      const saved = new Uint8ArrayCtor(len - cut);
      call(TASet, saved, new Uint8ArrayCtor(buf, cut, len - cut));
      call(ABResize, buf, cut);
      let inBounds;
      try {
        if (isTA) {
          inBounds = tryCall(TAValues, view);
        } else {
          inBounds = tryCall(DVByteLength, view);
        }
      } finally {
        call(ABResize, buf, len);
        call(TASet, new Uint8ArrayCtor(buf, cut, len - cut), saved);
      }
      return inBounds;
    } catch {
      return false;
    }
  }

  // What a view's serialization records, read by readView (which runs no script).
  let viewCtor;
  let viewBuffer;
  let viewOffset;
  let viewLength; // elements of a typed array, bytes of a DataView; -1 follows the buffer

  function readView(view) {
    const isTA = TATag.call(view) !== undefined;
    let buf;
    let offset;
    let byteLength;
    let ctor;
    let elementSize;
    if (isTA) {
      ctor = TATag.call(view);
      buf = call(TABuffer, view);
      offset = call(TAByteOffset, view);
      byteLength = call(TAByteLength, view);
      // Out of bounds (or detached) views read as empty: tell them apart from empty ones.
      if (byteLength === 0 && !tryCall(TAValues, view)) throw dataCloneError('An out-of-bounds TypedArray');
      elementSize = typedArrayCtors.get(ctor).BYTES_PER_ELEMENT;
    } else {
      ctor = 'DataView';
      buf = call(DVBuffer, view);
      try {
        offset = call(DVByteOffset, view);
        byteLength = call(DVByteLength, view);
      } catch {
        throw dataCloneError('An out-of-bounds DataView');
      }
      elementSize = 1;
    }
    // A view on a SharedArrayBuffer: HTML refuses the buffer itself (not cross-origin isolated).
    if (SABByteLength !== null && !tryCall(ABByteLength, buf) && tryCall(SABByteLength, buf)) {
      throw dataCloneError('A view on a SharedArrayBuffer');
    }
    const auto = isResizable(buf) && tracksLength(view, buf, offset, byteLength, elementSize, isTA);
    viewCtor = ctor;
    viewBuffer = buf;
    viewOffset = offset;
    viewLength = auto ? -1 : isTA ? call(TALength, view) : byteLength;
  }

  function serializeView(view, memory) {
    readView(view);
    const ctor = viewCtor;
    const offset = viewOffset;
    const length = viewLength;
    const bufRec = serialize(viewBuffer, memory);
    return { t: T_VIEW, ctor, buffer: bufRec, offset, length };
  }

  function ownData(obj, key) {
    const d = getOwnPropertyDescriptor(obj, key);
    return d !== undefined && 'value' in d ? d : undefined;
  }

  // An error's serialization, its cause (when it has one) still the original value.
  function readError(value) {
    let name = value.name;
    if (typeof name !== 'string' || !errorCtors.has(name)) name = 'Error';
    const md = ownData(value, 'message');
    const message = md === undefined ? undefined : `${md.value}`;
    // "Interesting accompanying data": the stack and JSC's position properties as they are, and
    // the cause (an own data property, so no getter runs), serialized like any value.
    const rec = { t: T_ERROR, name, message, stack: undefined, line: undefined, column: undefined,
      sourceURL: undefined, hasCause: false, cause: undefined };
    const sd = ownData(value, 'stack');
    if (sd !== undefined && typeof sd.value === 'string') rec.stack = sd.value;
    const ld = ownData(value, 'line');
    if (ld !== undefined && typeof ld.value === 'number') rec.line = ld.value;
    const cd = ownData(value, 'column');
    if (cd !== undefined && typeof cd.value === 'number') rec.column = cd.value;
    const ud = ownData(value, 'sourceURL');
    if (ud !== undefined && typeof ud.value === 'string') rec.sourceURL = ud.value;
    const cause = ownData(value, 'cause');
    if (cause !== undefined) {
      rec.hasCause = true;
      rec.cause = cause.value;
    }
    return rec;
  }

  function serializeError(value, memory) {
    const rec = readError(value);
    memory.set(value, rec);
    if (rec.hasCause) rec.cause = serialize(rec.cause, memory);
    return rec;
  }

  function structuredSerialize(value) {
    return serialize(value, new Map());
  }

  // --- deserialization ---------------------------------------------------------------------------

  const dataDesc = { value: undefined, writable: true, enumerable: true, configurable: true };
  const hiddenDesc = { value: undefined, writable: true, enumerable: false, configurable: true };

  function defineHidden(obj, key, value) {
    hiddenDesc.value = value;
    defineProperty(obj, key, hiddenDesc);
    hiddenDesc.value = undefined;
  }

  // HTML's StructuredDeserialize. Its memory is the records themselves: each keeps the value it
  // became in `o` (records are made here and deserialized once).
  function deserialize(rec) {
    if (typeof rec !== 'object' || rec === null) return rec;
    const seen = rec.o;
    if (seen !== undefined) return seen;
    let value;
    switch (rec.t) {
      case T_BOOLEAN: value = new BooleanCtor(rec.v); break;
      case T_NUMBER: value = new NumberCtor(rec.v); break;
      case T_BIGINT: value = ObjectCtor(rec.v); break;
      case T_STRING: value = new StringCtor(rec.v); break;
      case T_DATE: value = new DateCtor(rec.v); break;
      case T_REGEXP: value = new RegExpCtor(rec.source, rec.flags); break;
      case T_ARRAYBUFFER:
        if (rec.max < 0) {
          value = rec.bytes;
        } else {
          const len = rec.bytes.byteLength;
          try {
            value = new ArrayBufferCtor(len, { maxByteLength: rec.max });
          } catch {
            throw dataCloneError(`A resizable ArrayBuffer of up to ${rec.max} bytes (out of memory)`);
          }
          call(TASet, new Uint8ArrayCtor(value, 0, len), new Uint8ArrayCtor(rec.bytes));
        }
        rec.bytes = null; // moved into the result
        break;
      case T_TRANSFERRED:
        value = rec.buffer;
        break;
      case T_VIEW: {
        const buf = deserialize(rec.buffer);
        const ctor = rec.ctor === 'DataView' ? DataViewCtor : typedArrayCtors.get(rec.ctor);
        value = rec.length < 0 ? new ctor(buf, rec.offset) : new ctor(buf, rec.offset, rec.length);
        break;
      }
      case T_MAP: {
        value = new MapCtor();
        rec.o = value;
        const e = rec.entries;
        for (let i = 0; i < e.length; i += 2) {
          const k = deserialize(e[i]);
          call(MapSet, value, k, deserialize(e[i + 1]));
        }
        return value;
      }
      case T_SET: {
        value = new SetCtor();
        rec.o = value;
        const vs = rec.values;
        for (let i = 0; i < vs.length; i++) call(SetAdd, value, deserialize(vs[i]));
        return value;
      }
      case T_ERROR:
        value = makeError(rec);
        rec.o = value;
        if (rec.hasCause) defineHidden(value, 'cause', deserialize(rec.cause));
        return value;
      case T_ARRAY: {
        value = new ArrayCtor(rec.length);
        rec.o = value;
        defineProperties(value, rec.props);
        return value;
      }
      case T_OBJECT: {
        value = {};
        rec.o = value;
        defineProperties(value, rec.props);
        return value;
      }
      case T_DOMEXCEPTION:
        if (rec.quota !== undefined) {
          const options = { __proto__: null };
          if (rec.quota !== null) options.quota = rec.quota;
          if (rec.requested !== null) options.requested = rec.requested;
          value = new internal.QuotaExceededError(rec.message, options);
        } else {
          value = new internal.DOMException(rec.message, rec.name);
        }
        if (rec.stack !== undefined) defineHidden(value, 'stack', rec.stack);
        break;
      case T_BLOB:
        value = internal.blobDeserialize(rec.data);
        break;
      case T_CRYPTOKEY:
        value = internal.cloneCryptoKey(rec.key);
        break;
      case T_PORT:
        value = internal.messagePortTransfer.receive(rec.end);
        break;
      case T_STREAM:
        value = internal.streamTransfer.receive(rec.kind, rec.data);
        break;
      default:
        throw dataCloneError('A value of an unknown serialized type');
    }
    rec.o = value;
    return value;
  }

  // An error's deserialization but for its cause.
  function makeError(rec) {
    const Ctor = errorCtors.get(rec.name) || Error;
    const value = new Ctor();
    if (rec.message !== undefined) defineHidden(value, 'message', rec.message);
    for (let i = 0; i < errorExtras.length; i++) {
      const key = errorExtras[i];
      if (rec[key] !== undefined) defineHidden(value, key, rec[key]);
      else delete value[key]; // the clone's own would point here, not at the original
    }
    return value;
  }
  const errorExtras = ['stack', 'line', 'column', 'sourceURL'];

  // CreateDataProperty for each deserialized property: never a setter on the prototype chain.
  function defineProperties(obj, props) {
    for (let i = 0; i < props.length; i += 2) {
      const v = deserialize(props[i + 1]);
      dataDesc.value = v;
      defineProperty(obj, props[i], dataDesc);
    }
    dataDesc.value = undefined;
  }

  function structuredDeserialize(serialized) {
    return deserialize(serialized);
  }

  // --- one walk, when nothing is transferred -----------------------------------------------------

  // Within one engine and with nothing to transfer, StructuredDeserialize(StructuredSerialize(v))
  // can be built in one walk that makes each copy as its original is serialized. That is the same
  // to any script: serialization runs every getter and throws every DataCloneError in the spec's
  // order (the walk reads the originals exactly as serialize() does), and deserializing plain data
  // runs no script: it only creates objects no script can reach yet (CreateDataProperty on fresh
  // objects, the intrinsic Map/Set adders, intrinsic constructors that read nothing overridable),
  // so making them earlier cannot be observed; a walk that throws leaves its copies unreachable.
  // The few kinds whose deserialization calls other files (platform objects) go through their
  // records. memory: Map original -> copy.

  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const { setPrototypeOf } = Object;

  // Scratch for the entries of the Maps and Sets being copied: each walk level takes a segment
  // past the end and gives it back, so no array (nor closure) is made per Map or per entry.
  const scratch = [];
  const pushEntry = (v, k) => {
    scratch.push(k, v);
  };
  const pushValue = (v) => {
    scratch.push(v);
  };

  function cloneValue(value, memory) {
    const type = typeof value;
    if (type !== 'object' || value === null) {
      if (type === 'function') throw dataCloneError('A function');
      if (type === 'symbol') throw dataCloneError(StringCtor(value));
      return value;
    }
    const seen = memory.get(value);
    if (seen !== undefined) return seen;
    const proto = cloneableProto(value);
    let copy;
    switch (classify(value, proto)) {
      case K_ORDINARY:
        // A copy without a prototype takes plain assignments as CreateDataProperty (no setter
        // or read-only property of Object.prototype can intervene; "__proto__" becomes an own
        // key), which is several times cheaper than defineProperty; the prototype comes last.
        copy = { __proto__: null };
        memory.set(value, copy);
        cloneProperties(value, copy, memory);
        setPrototypeOf(copy, ObjectProto);
        return copy;
      case K_ARRAY: {
        const length = value.length;
        copy = new ArrayCtor(length);
        setPrototypeOf(copy, null);
        memory.set(value, copy);
        cloneArrayProperties(value, length, copy, memory);
        setPrototypeOf(copy, ArrayProto);
        return copy;
      }
      case K_BOOLEAN: copy = new BooleanCtor(call(BooleanValueOf, value)); break;
      case K_NUMBER: copy = new NumberCtor(call(NumberValueOf, value)); break;
      case K_BIGINT: copy = ObjectCtor(call(BigIntValueOf, value)); break;
      case K_STRING: copy = new StringCtor(call(StringValueOf, value)); break;
      case K_DATE: copy = new DateCtor(call(DateGetTime, value)); break;
      case K_REGEXP: {
        let flags = '';
        for (let i = 0; i < regExpFlags.length; i++) {
          if (call(regExpFlags[i][1], value)) flags += regExpFlags[i][0];
        }
        copy = new RegExpCtor(call(RegExpSource, value), flags);
        break;
      }
      case K_ARRAYBUFFER:
        copy = deserialize(serializeArrayBuffer(value));
        break;
      case K_TYPEDARRAY:
      case K_DATAVIEW:
        return cloneView(value, memory);
      case K_MAP: {
        copy = new MapCtor();
        memory.set(value, copy);
        // The entries as they are now; getters run below may change the map.
        const start = scratch.length;
        call(MapForEach, value, pushEntry);
        const end = scratch.length;
        try {
          for (let i = start; i < end; i += 2) {
            const k = cloneValue(scratch[i], memory);
            mapSetOf(copy, k, cloneValue(scratch[i + 1], memory));
          }
        } finally {
          scratch.length = start;
        }
        return copy;
      }
      case K_SET: {
        copy = new SetCtor();
        memory.set(value, copy);
        const start = scratch.length;
        call(SetForEach, value, pushValue);
        const end = scratch.length;
        try {
          for (let i = start; i < end; i++) setAddOf(copy, cloneValue(scratch[i], memory));
        } finally {
          scratch.length = start;
        }
        return copy;
      }
      case K_ERROR:
        return cloneError(value, memory);
      case K_PLATFORM:
        copy = deserialize(internal.serializePlatformObject(value, platformProto));
        break;
      case K_REJECT:
        throw dataCloneError(`A ${rejectName.get(platformProto)} object`);
      default:
        throw dataCloneError('A value of an unknown kind');
    }
    memory.set(value, copy);
    return copy;
  }

  // serializeProperties' reads, each value stored into the copy as it is cloned.
  function cloneProperties(value, copy, memory) {
    const ks = objectKeys(value);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (!hasOwn(value, k)) continue;
      copy[k] = cloneValue(value[k], memory);
    }
  }

  function cloneError(value, memory) {
    const rec = readError(value);
    const copy = makeError(rec);
    memory.set(value, copy);
    if (rec.hasCause) defineHidden(copy, 'cause', cloneValue(rec.cause, memory));
    return copy;
  }

  // cloneProperties for an array: its keys start with its indices, ascending, so when the key at
  // position length - 1 is that index, the first `length` keys are every index below length,
  // and those are read and stored by number (a string index costs a conversion per access).
  function cloneArrayProperties(value, length, copy, memory) {
    const ks = objectKeys(value);
    let i = 0;
    if (length > 0 && ks.length >= length && ks[length - 1] === `${length - 1}`) {
      for (; i < length; i++) {
        if (!hasOwn(value, i)) continue;
        copy[i] = cloneValue(value[i], memory);
      }
    }
    for (; i < ks.length; i++) {
      const k = ks[i];
      if (!hasOwn(value, k)) continue;
      copy[k] = cloneValue(value[k], memory);
    }
  }

  function cloneView(view, memory) {
    readView(view);
    const ctor = viewCtor === 'DataView' ? DataViewCtor : typedArrayCtors.get(viewCtor);
    const offset = viewOffset;
    const length = viewLength;
    // The buffer's copy, shared with every other view of it in the value.
    const buf = cloneValue(viewBuffer, memory);
    const copy = length < 0 ? new ctor(buf, offset) : new ctor(buf, offset, length);
    memory.set(view, copy);
    return copy;
  }

  // --- structuredClone -------------------------------------------------------------------------

  // Web IDL sequence<object>.
  function toObjectSequence(v, where) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      throw new TypeError(`${where} is not a sequence`);
    }
    const method = v[SymbolIterator];
    if (typeof method !== 'function') throw new TypeError(`${where} is not iterable`);
    const out = [];
    const it = call(method, v);
    if (it === null || (typeof it !== 'object' && typeof it !== 'function')) {
      throw new TypeError(`${where}: the iterator is not an object`);
    }
    const next = it.next;
    for (;;) {
      const r = call(next, it);
      if (r === null || (typeof r !== 'object' && typeof r !== 'function')) {
        throw new TypeError(`${where}: the iterator result is not an object`);
      }
      if (r.done) break;
      const item = r.value;
      if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
        throw new TypeError(`${where}: every element must be an object`);
      }
      out.push(item);
    }
    return out;
  }

  function structuredClone(value, options = undefined) {
    requireArgs(arguments.length, 1, 'structuredClone');
    let transfer = [];
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object' && typeof options !== 'function') {
        throw new TypeError("structuredClone: 'options' must be an object");
      }
      const t = options.transfer;
      if (t !== undefined) transfer = toObjectSequence(t, "structuredClone: 'transfer'");
    }
    if (transfer.length === 0) return structuredCloneValue(value);
    const record = internal.structuredSerializeWithTransfer(value, transfer);
    return internal.structuredDeserializeWithTransfer(record).deserialized;
  }

  // StructuredDeserialize(StructuredSerialize(value)) in one walk (see cloneValue).
  function structuredCloneValue(value) {
    const type = typeof value;
    if (type !== 'object' || value === null) return cloneValue(value, null);
    return cloneValue(value, new MapCtor());
  }

  internal.structuredSerialize = structuredSerialize;
  internal.structuredDeserialize = structuredDeserialize;
  // For clone_platform.js, installed on the first platform object or transfer.
  internal.cloneCore = {
    serialize, deserialize, dataCloneError, tryCall, isDetached, call, getterOf, ownData,
    interfaceName, ABByteLength, ABTransfer,
    T_DOMEXCEPTION, T_BLOB, T_TRANSFERRED, T_CRYPTOKEY, T_PORT, T_STREAM,
  };
  internal.structuredCloneValue = structuredCloneValue;
  internal.defineGlobal('structuredClone', structuredClone);
})
