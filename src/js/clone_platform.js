(function (native, internal) {
  'use strict';

  // clone.js's platform objects and transfers, installed on the first of them: the
  // serialization of the other files' serializable objects (DOMException, Blob, CryptoKey) and
  // HTML's StructuredSerializeWithTransfer / StructuredDeserializeWithTransfer (ArrayBuffer,
  // MessagePort and stream transfers).

  const { hasOwn } = Object;
  const {
    serialize, deserialize, dataCloneError, tryCall, isDetached, call, getterOf, ownData,
    interfaceName, ABByteLength, ABTransfer,
    T_DOMEXCEPTION, T_BLOB, T_TRANSFERRED, T_CRYPTOKEY, T_PORT, T_STREAM,
  } = internal.cloneCore;

  // DOMException (dom_exception.js) is taken when one is first cloned: before that file is
  // installed no DOMException exists, and cloning does not install it.
  let domException;
  function domExceptionParts() {
    if (domException === undefined) {
      const proto = internal.DOMException.prototype;
      domException = { proto, name: getterOf(proto, 'name'), message: getterOf(proto, 'message') };
    }
    return domException;
  }

  const QuotaGetter = (Quota, key) => getterOf(Quota.prototype, key);

  // Serializable platform objects: DOMException (Web IDL) and Blob/File (blob.js, when it is
  // installed; no Blob exists before it is). Every other platform object is a DataCloneError.
  function serializePlatformObject(value, platformProto) {
    if (hasOwn(internal, 'DOMException') && platformProto === domExceptionParts().proto) {
      let name;
      let message;
      try {
        name = call(domException.name, value);
        message = call(domException.message, value);
      } catch {
        throw dataCloneError('A DOMException-like object');
      }
      const sd = ownData(value, 'stack');
      return { t: T_DOMEXCEPTION, name, message,
        stack: sd !== undefined && typeof sd.value === 'string' ? sd.value : undefined };
    }
    const Quota = internal.QuotaExceededError;
    if (Quota !== undefined && platformProto === Quota.prototype) {
      // DOMException's serialization steps, then the quota and the amount requested.
      let message;
      let quota;
      let requested;
      try {
        message = call(domExceptionParts().message, value);
        quota = call(QuotaGetter(Quota, 'quota'), value);
        requested = call(QuotaGetter(Quota, 'requested'), value);
      } catch {
        throw dataCloneError('A QuotaExceededError-like object');
      }
      const sd = ownData(value, 'stack');
      return { t: T_DOMEXCEPTION, name: 'QuotaExceededError', message, quota, requested,
        stack: sd !== undefined && typeof sd.value === 'string' ? sd.value : undefined };
    }
    const blobSerialize = internal.blobSerialize;
    if (blobSerialize !== undefined) {
      const data = blobSerialize(value);
      if (data !== undefined) return { t: T_BLOB, data };
    }
    // CryptoKey (subtle.js, once installed): the key itself; deserializing makes a new one.
    const isCryptoKey = internal.isCryptoKey;
    if (isCryptoKey !== undefined && isCryptoKey(value)) return { t: T_CRYPTOKEY, key: value };
    throw dataCloneError(`A ${interfaceName(platformProto)} object`);
  }

  // HTML's StructuredSerializeWithTransfer. transferList: an array of objects (already
  // converted from the caller's sequence<object>).
  function structuredSerializeWithTransfer(value, transferList) {
    const memory = new Map();
    // MessagePort's transfer steps, once messaging.js is installed (no port exists before).
    const ports = internal.messagePortTransfer;
    // Streams' (no stream exists before streams.js is installed).
    const streams = internal.streams;
    for (let i = 0; i < transferList.length; i++) {
      const t = transferList[i];
      if (memory.has(t)) throw dataCloneError('An object listed twice for transfer');
      if (ports !== undefined && ports.is(t)) {
        memory.set(t, { t: T_PORT, end: null });
        continue;
      }
      const kind = streams !== undefined ? streams.transferKind(t) : 0;
      if (kind !== 0) {
        memory.set(t, { t: T_STREAM, kind, data: null });
        continue;
      }
      // (A detached ArrayBuffer passes here, and fails below.)
      if (!tryCall(ABByteLength, t)) {
        throw dataCloneError('A value in the transfer list that is not transferable');
      }
      memory.set(t, { t: T_TRANSFERRED, buffer: null });
    }
    const serialized = serialize(value, memory);
    const transferDataHolders = [];
    for (let i = 0; i < transferList.length; i++) {
      const t = transferList[i];
      const holder = memory.get(t);
      if (holder.t === T_PORT) {
        if (ports.detached(t)) throw dataCloneError('A closed or already transferred MessagePort');
        holder.end = ports.ship(t);
        transferDataHolders.push(holder);
        continue;
      }
      if (holder.t === T_STREAM) {
        const transfer = internal.streamTransfer; // streams_transfer.js, installed now if need be
        if (transfer.detached(t)) throw dataCloneError('An already transferred stream');
        holder.data = transfer.transfer(t, holder.kind);
        transferDataHolders.push(holder);
        continue;
      }
      if (isDetached(t)) throw dataCloneError('A detached ArrayBuffer in the transfer list');
      // ArrayBuffer.prototype.transfer moves the data (and keeps resizability) and detaches t.
      if (ABTransfer === null) throw dataCloneError('An ArrayBuffer (no transfer on this engine)');
      holder.buffer = call(ABTransfer, t);
      transferDataHolders.push(holder);
    }
    return { serialized, transferDataHolders };
  }

  function structuredDeserializeWithTransfer(record) {
    const transferredValues = [];
    for (const holder of record.transferDataHolders) transferredValues.push(deserialize(holder));
    const deserialized = deserialize(record.serialized);
    return { deserialized, transferredValues };
  }

  // platformProto: the interface prototype clone.js's classify() met.
  internal.serializePlatformObject = serializePlatformObject;
  internal.structuredSerializeWithTransfer = structuredSerializeWithTransfer;
  internal.structuredDeserializeWithTransfer = structuredDeserializeWithTransfer;
})
