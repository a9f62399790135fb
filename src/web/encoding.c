/* Native UTF-8 paths behind TextEncoder/TextDecoder (src/js/encoding.js). */
#include <stdlib.h>
#include <string.h>

#include "encoding.h"

static void free_bytes(void *bytes, void *ctx) {
  (void)ctx;
  free(bytes);
}

static JSValueRef utf8_encode(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  JSStringRef s = JSValueToStringCopy(ctx, argc ? argv[0] : JSValueMakeString(ctx, NULL), exc);
  if (!s) return NULL;
  const uint16_t *u = JSStringGetCharactersPtr(s);
  size_t n = JSStringGetLength(s);
  size_t bytes = eddy__utf8_length_of_utf16(u, n);
  /* Up to 3 bytes a unit: a long string's UTF-8 can outgrow what JSC lets a buffer hold. */
  if ((uint64_t)bytes > EDDY__JS_BYTES_MAX) {
    JSStringRelease(s);
    *exc = eddy__make_error(ctx, "RangeError",
                            "TextEncoder: the encoded string would be larger than an ArrayBuffer "
                            "can be");
    return NULL;
  }
  uint8_t *buf = malloc(bytes ? bytes : 1);
  if (!buf) {
    JSStringRelease(s);
    return eddy__throw_type_error(ctx, exc, "out of memory");
  }
  eddy__utf16_encode_into(u, n, buf, bytes, NULL);
  JSStringRelease(s);
  /* The buffer becomes the Uint8Array's storage: no second copy. */
  return JSObjectMakeTypedArrayWithBytesNoCopy(ctx, kJSTypedArrayTypeUint8Array, buf, bytes,
                                               free_bytes, NULL, exc);
}

static JSValueRef utf8_encode_into(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                   const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 2 || JSValueGetTypedArrayType(ctx, argv[1], NULL) != kJSTypedArrayTypeUint8Array)
    return eddy__throw_type_error(ctx, exc, "destination must be a Uint8Array");
  JSStringRef s = JSValueToStringCopy(ctx, argv[0], exc);
  if (!s) return NULL;
  JSObjectRef dst = (JSObjectRef)argv[1];
  uint8_t *p = JSObjectGetTypedArrayBytesPtr(ctx, dst, exc);
  if (p) p += JSObjectGetTypedArrayByteOffset(ctx, dst, exc);
  size_t cap = JSObjectGetTypedArrayByteLength(ctx, dst, exc);
  size_t read = 0;
  size_t written = eddy__utf16_encode_into(JSStringGetCharactersPtr(s), JSStringGetLength(s),
                                           p, cap, &read);
  JSStringRelease(s);
  JSValueRef pair[2] = {JSValueMakeNumber(ctx, (double)read), JSValueMakeNumber(ctx, (double)written)};
  return JSObjectMakeArray(ctx, 2, pair, exc);
}

int eddy__buffer_source(JSContextRef ctx, JSValueRef v, const uint8_t **p, size_t *len,
                         JSValueRef *exc) {
  JSTypedArrayType t = JSValueGetTypedArrayType(ctx, v, NULL);
  if (t == kJSTypedArrayTypeArrayBuffer) {
    *p = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)v, exc);
    *len = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)v, exc);
    return 0;
  }
  if (t != kJSTypedArrayTypeNone) {
    /* The pointer is the start of the underlying buffer, not of the view. */
    *p = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)v, exc);
    if (*p) *p += JSObjectGetTypedArrayByteOffset(ctx, (JSObjectRef)v, exc);
    *len = JSObjectGetTypedArrayByteLength(ctx, (JSObjectRef)v, exc);
    return 0;
  }
  eddy_engine *e = eddy__engine_of(ctx);
  if (JSValueIsObject(ctx, v) && JSValueIsInstanceOfConstructor(ctx, v, e->dataview_ctor, NULL)) {
    /* buffer, byteOffset and byteLength are getters a script can replace (or an object can
       merely inherit from DataView.prototype): the range is checked against the buffer. */
    JSObjectRef o = (JSObjectRef)v;
    JSValueRef buf = JSObjectGetProperty(ctx, o, eddy__n.buffer, exc);
    JSValueRef ov = *exc ? NULL : JSObjectGetProperty(ctx, o, eddy__n.byteOffset, exc);
    double off = *exc ? 0 : JSValueToNumber(ctx, ov, exc);
    JSValueRef nv = *exc ? NULL : JSObjectGetProperty(ctx, o, eddy__n.byteLength, exc);
    double n = *exc ? 0 : JSValueToNumber(ctx, nv, exc);
    if (*exc) return -1;
    if (JSValueGetTypedArrayType(ctx, buf, NULL) != kJSTypedArrayTypeArrayBuffer) {
      eddy__throw_type_error(ctx, exc, "expected an ArrayBuffer, a typed array or a DataView");
      return -1;
    }
    const uint8_t *base = JSObjectGetArrayBufferBytesPtr(ctx, (JSObjectRef)buf, exc);
    size_t size = JSObjectGetArrayBufferByteLength(ctx, (JSObjectRef)buf, exc);
    if (*exc) return -1;
    if (!(off >= 0) || !(n >= 0) || off > (double)size || n > (double)size - off) {
      *exc = eddy__make_error(ctx, "RangeError", "DataView is outside its buffer");
      return -1;
    }
    *len = (size_t)n;
    *p = base && *len ? base + (size_t)off : NULL;
    return 0;
  }
  eddy__throw_type_error(ctx, exc, "expected an ArrayBuffer, a typed array or a DataView");
  return -1;
}

static JSValueRef decode_utf8(JSContextRef ctx, size_t argc, const JSValueRef argv[],
                              JSValueRef *exc) {
  const uint8_t *p = NULL;
  size_t len = 0;
  if (argc > 0 && !JSValueIsUndefined(ctx, argv[0]) && eddy__buffer_source(ctx, argv[0], &p, &len, exc))
    return NULL;
  if (*exc) return NULL;
  int fatal = argc > 1 && JSValueToBoolean(ctx, argv[1]);
  if (!p) len = 0;
  /* JSC aborts on a string longer than it can hold: refused first, before 2 bytes a unit are
     allocated for it (only an input longer than that many units can be). */
  if (len > EDDY__JS_STRING_MAX && eddy__utf16_length_of_utf8(p, len) > EDDY__JS_STRING_MAX) {
    *exc = eddy__make_error(ctx, "RangeError",
                            "TextDecoder: the decoded string would be longer than a JavaScript "
                            "string can be");
    return NULL;
  }
  uint16_t *u16;
  size_t n;
  int st = eddy__utf8_to_utf16(p ? p : (const uint8_t *)"", len, fatal, &u16, &n);
  if (st == -1) return eddy__throw_type_error(ctx, exc, "The encoded data was not valid.");
  if (st) return eddy__throw_type_error(ctx, exc, "out of memory");
  JSStringRef s = eddy__jsstring_from_utf16(u16, n);
  free(u16);
  if (!s) return eddy__throw_type_error(ctx, exc, "out of memory");
  JSValueRef r = JSValueMakeString(ctx, s);
  JSStringRelease(s);
  return r;
}

/* utf8Decode(bufferSource, fatal), with JSC's API lock held: JSC drops it around a native
   callback, and the buffer's pointer, offset and length, the flag and the result would each
   take it again (a cost per streamed chunk). */
static JSValueRef utf8_decode(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                              const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  eddy_engine *e = eddy__engine_of(ctx);
  eddy__jsc_lock_holder lock;
  eddy__jsc_lock(&e->jsc, &lock, e->group);
  JSValueRef v = decode_utf8(ctx, argc, argv, exc);
  eddy__jsc_unlock(&e->jsc, &lock);
  return v;
}

int eddy__encoding_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "utf8Encode", utf8_encode);
  eddy__set_function(e->ctx, native, "utf8EncodeInto", utf8_encode_into);
  eddy__set_function(e->ctx, native, "utf8Decode", utf8_decode);
  return eddy__encoding_legacy_init(e, native);
}
