/* TextDecoder for every encoding of the Encoding Standard other than UTF-8 (src/js/encoding.js):
 * UTF-16LE/BE, the single-byte encodings, gb18030 and GBK, Big5, EUC-JP, ISO-2022-JP,
 * Shift_JIS, EUC-KR, replacement and x-user-defined.
 *
 * Each decoder is the standard's algorithm, byte by byte, including what an error consumes
 * ("prepend" puts bytes back to be read again). Its state lives in an Int32Array the
 * TextDecoder owns, so that decode(chunk, {stream: true}) resumes where the last chunk ended;
 * only the end of the stream (a call without stream) runs the decoder on end-of-queue. The
 * index tables come from encoding_index.c. */
#include <stdlib.h>
#include <string.h>

#include "encoding.h"

enum {
  DEC_UTF16LE = 1,
  DEC_UTF16BE,
  DEC_GB18030, /* also GBK: the standard gives both the same decoder */
  DEC_BIG5,
  DEC_EUC_JP,
  DEC_ISO2022JP,
  DEC_SHIFT_JIS,
  DEC_EUC_KR,
  DEC_REPLACEMENT,
  DEC_X_USER_DEFINED,
  DEC_SINGLE_BYTE = 100 /* + the index in eddy__single_byte_names */
};

static const struct {
  const char *name;
  int id;
} multi_byte[] = {
    {"utf-16le", DEC_UTF16LE},       {"utf-16be", DEC_UTF16BE},
    {"gb18030", DEC_GB18030},        {"gbk", DEC_GB18030},
    {"big5", DEC_BIG5},              {"euc-jp", DEC_EUC_JP},
    {"iso-2022-jp", DEC_ISO2022JP},  {"shift_jis", DEC_SHIFT_JIS},
    {"euc-kr", DEC_EUC_KR},          {"replacement", DEC_REPLACEMENT},
    {"x-user-defined", DEC_X_USER_DEFINED},
};

/* The state array (Int32Array, all 0 for a new decoder). */
enum { S_A, S_B, S_C, S_D, S_E, S_COUNT };

/* ISO-2022-JP decoder states; 0 (ASCII) is the initial one. */
enum { J_ASCII, J_ROMAN, J_KATAKANA, J_LEAD, J_TRAIL, J_ESCAPE_START, J_ESCAPE };

#define END (-1)      /* end-of-queue */
#define CONTINUE 0
#define EMITTED 1
#define ERROR 2
#define FINISHED 3

typedef struct {
  const uint8_t *p, *end;
  uint8_t back[8]; /* prepended bytes, read before p (a stack: the top is read first) */
  int nback;
  uint16_t *out;
  size_t len, cap;
  int oom; /* 1: out of memory; 2: too long for a string */
} run;

static int next_byte(run *r) {
  if (r->nback) return r->back[--r->nback];
  if (r->p < r->end) return *r->p++;
  return END;
}

/* Prepends up to three bytes, in order: bytes[0] is read next. END entries are skipped. */
static void prepend(run *r, int a, int b, int c) {
  if (c != END) r->back[r->nback++] = (uint8_t)c;
  if (b != END) r->back[r->nback++] = (uint8_t)b;
  if (a != END) r->back[r->nback++] = (uint8_t)a;
}

static int emit(run *r, uint32_t cp) {
  if (r->len >= EDDY__JS_STRING_MAX) {
    r->oom = 2; /* longer than a JavaScript string can be */
    return EMITTED;
  }
  if (r->cap - r->len < 2) {
    size_t cap = r->cap * 2 + 16;
    uint16_t *o = realloc(r->out, cap * sizeof(*o));
    if (!o) {
      r->oom = 1;
      return EMITTED;
    }
    r->out = o;
    r->cap = cap;
  }
  if (cp > 0xFFFF) {
    cp -= 0x10000;
    r->out[r->len++] = (uint16_t)(0xD800 + (cp >> 10));
    r->out[r->len++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
  } else {
    r->out[r->len++] = (uint16_t)cp;
  }
  return EMITTED;
}

static int in(int b, int lo, int hi) { return b >= lo && b <= hi; }
static int ascii(int b) { return in(b, 0x00, 0x7F); }

/* --- The decoders' handlers: one byte (or END) each, returning CONTINUE/EMITTED/ERROR/FINISHED. */

static int utf16(run *r, int32_t *s, int b, int be) {
  /* S_A: lead byte + 1 (0: none); S_B: lead surrogate (0: none). */
  if (b == END) {
    if (s[S_A] || s[S_B]) {
      s[S_A] = s[S_B] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (!s[S_A]) {
    s[S_A] = b + 1;
    return CONTINUE;
  }
  int lead = s[S_A] - 1;
  s[S_A] = 0;
  uint32_t unit = be ? (uint32_t)(lead << 8 | b) : (uint32_t)(b << 8 | lead);
  if (s[S_B]) {
    uint32_t ls = (uint32_t)s[S_B];
    s[S_B] = 0;
    if (in((int)unit, 0xDC00, 0xDFFF)) return emit(r, 0x10000 + ((ls - 0xD800) << 10) + (unit - 0xDC00));
    int b1 = (int)(unit >> 8), b2 = (int)(unit & 0xFF);
    if (be) prepend(r, b1, b2, END);
    else prepend(r, b2, b1, END);
    return ERROR;
  }
  if (in((int)unit, 0xD800, 0xDBFF)) {
    s[S_B] = (int32_t)unit;
    return CONTINUE;
  }
  if (in((int)unit, 0xDC00, 0xDFFF)) return ERROR;
  return emit(r, unit);
}

static uint32_t gb_ranges_code_point(const uint16_t *ranges, uint32_t pointer) {
  if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) return 0;
  if (pointer == 7457) return 0xE7C7;
  if (pointer >= 189000) return 0x10000 + pointer - 189000;
  return ranges[pointer];
}

static int gb18030(run *r, int32_t *s, int b, const uint16_t *index, const uint16_t *ranges) {
  /* S_A, S_B, S_C: gb18030 first, second, third. */
  if (b == END) {
    if (s[S_A] || s[S_B] || s[S_C]) {
      s[S_A] = s[S_B] = s[S_C] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (s[S_C]) {
    uint32_t cp = 0;
    if (in(b, 0x30, 0x39)) {
      uint32_t pointer =
          (((uint32_t)(s[S_A] - 0x81) * 10 + (uint32_t)(s[S_B] - 0x30)) * 126 + (uint32_t)(s[S_C] - 0x81)) * 10 +
          (uint32_t)(b - 0x30);
      cp = gb_ranges_code_point(ranges, pointer);
    }
    int second = s[S_B], third = s[S_C];
    s[S_A] = s[S_B] = s[S_C] = 0;
    if (!cp) {
      prepend(r, second, third, b);
      return ERROR;
    }
    return emit(r, cp);
  }
  if (s[S_B]) {
    if (in(b, 0x81, 0xFE)) {
      s[S_C] = b;
      return CONTINUE;
    }
    prepend(r, s[S_B], b, END);
    s[S_A] = s[S_B] = 0;
    return ERROR;
  }
  if (s[S_A]) {
    if (in(b, 0x30, 0x39)) {
      s[S_B] = b;
      return CONTINUE;
    }
    int lead = s[S_A];
    s[S_A] = 0;
    int offset = b < 0x7F ? 0x40 : 0x41;
    if (in(b, 0x40, 0x7E) || in(b, 0x80, 0xFE)) {
      uint16_t cp = index[(lead - 0x81) * 190 + (b - offset)];
      if (cp) return emit(r, cp);
    }
    if (ascii(b)) prepend(r, b, END, END);
    return ERROR;
  }
  if (ascii(b)) return emit(r, (uint32_t)b);
  if (b == 0x80) return emit(r, 0x20AC);
  if (in(b, 0x81, 0xFE)) {
    s[S_A] = b;
    return CONTINUE;
  }
  return ERROR;
}

static int big5(run *r, int32_t *s, int b, const uint32_t *index) {
  if (b == END) {
    if (s[S_A]) {
      s[S_A] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (s[S_A]) {
    int lead = s[S_A];
    s[S_A] = 0;
    int offset = b < 0x7F ? 0x40 : 0x62;
    if (in(b, 0x40, 0x7E) || in(b, 0xA1, 0xFE)) {
      int pointer = (lead - 0x81) * 157 + (b - offset);
      /* The four pointers that decode to two code points. */
      switch (pointer) {
      case 1133: emit(r, 0x00CA); return emit(r, 0x0304);
      case 1135: emit(r, 0x00CA); return emit(r, 0x030C);
      case 1164: emit(r, 0x00EA); return emit(r, 0x0304);
      case 1166: emit(r, 0x00EA); return emit(r, 0x030C);
      }
      uint32_t cp = index[pointer];
      if (cp) return emit(r, cp);
    }
    if (ascii(b)) prepend(r, b, END, END);
    return ERROR;
  }
  if (ascii(b)) return emit(r, (uint32_t)b);
  if (in(b, 0x81, 0xFE)) {
    s[S_A] = b;
    return CONTINUE;
  }
  return ERROR;
}

static int euc_jp(run *r, int32_t *s, int b, const uint16_t *jis0208, const uint16_t *jis0212) {
  /* S_A: EUC-JP lead; S_B: EUC-JP jis0212. */
  if (b == END) {
    if (s[S_A]) {
      s[S_A] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (s[S_A] == 0x8E && in(b, 0xA1, 0xDF)) {
    s[S_A] = 0;
    return emit(r, 0xFF61 - 0xA1 + (uint32_t)b);
  }
  if (s[S_A] == 0x8F && in(b, 0xA1, 0xFE)) {
    s[S_B] = 1;
    s[S_A] = b;
    return CONTINUE;
  }
  if (s[S_A]) {
    int lead = s[S_A];
    s[S_A] = 0;
    uint16_t cp = 0;
    if (in(lead, 0xA1, 0xFE) && in(b, 0xA1, 0xFE))
      cp = (s[S_B] ? jis0212 : jis0208)[(lead - 0xA1) * 94 + b - 0xA1];
    s[S_B] = 0;
    if (cp) return emit(r, cp);
    if (ascii(b)) prepend(r, b, END, END);
    return ERROR;
  }
  if (ascii(b)) return emit(r, (uint32_t)b);
  if (b == 0x8E || b == 0x8F || in(b, 0xA1, 0xFE)) {
    s[S_A] = b;
    return CONTINUE;
  }
  return ERROR;
}

static int iso2022jp(run *r, int32_t *s, int b, const uint16_t *jis0208) {
  /* S_A: decoder state; S_B: output state; S_C: lead; S_D: output flag. */
  switch (s[S_A]) {
  case J_ASCII:
  case J_ROMAN:
    if (b == 0x1B) {
      s[S_A] = J_ESCAPE_START;
      return CONTINUE;
    }
    if (b == END) return FINISHED;
    s[S_D] = 0;
    if (s[S_A] == J_ROMAN && b == 0x5C) return emit(r, 0x00A5);
    if (s[S_A] == J_ROMAN && b == 0x7E) return emit(r, 0x203E);
    if (ascii(b) && b != 0x0E && b != 0x0F) return emit(r, (uint32_t)b);
    return ERROR;
  case J_KATAKANA:
    if (b == 0x1B) {
      s[S_A] = J_ESCAPE_START;
      return CONTINUE;
    }
    if (b == END) return FINISHED;
    s[S_D] = 0;
    if (in(b, 0x21, 0x5F)) return emit(r, 0xFF61 - 0x21 + (uint32_t)b);
    return ERROR;
  case J_LEAD:
    if (b == 0x1B) {
      s[S_A] = J_ESCAPE_START;
      return CONTINUE;
    }
    if (b == END) return FINISHED;
    s[S_D] = 0;
    if (in(b, 0x21, 0x7E)) {
      s[S_C] = b;
      s[S_A] = J_TRAIL;
      return CONTINUE;
    }
    return ERROR;
  case J_TRAIL:
    if (b == 0x1B) {
      s[S_A] = J_ESCAPE_START;
      return ERROR;
    }
    s[S_A] = J_LEAD;
    if (in(b, 0x21, 0x7E)) {
      uint16_t cp = jis0208[(s[S_C] - 0x21) * 94 + b - 0x21];
      return cp ? emit(r, cp) : ERROR;
    }
    return ERROR;
  case J_ESCAPE_START:
    if (b == 0x24 || b == 0x28) {
      s[S_C] = b;
      s[S_A] = J_ESCAPE;
      return CONTINUE;
    }
    prepend(r, b, END, END);
    s[S_D] = 0;
    s[S_A] = s[S_B];
    return ERROR;
  default: { /* J_ESCAPE */
    int lead = s[S_C], state = -1;
    s[S_C] = 0;
    if (lead == 0x28 && b == 0x42) state = J_ASCII;
    else if (lead == 0x28 && b == 0x4A) state = J_ROMAN;
    else if (lead == 0x28 && b == 0x49) state = J_KATAKANA;
    else if (lead == 0x24 && (b == 0x40 || b == 0x42)) state = J_LEAD;
    if (state >= 0) {
      s[S_A] = s[S_B] = state;
      int output = s[S_D];
      s[S_D] = 1;
      return output ? ERROR : CONTINUE;
    }
    prepend(r, lead, b, END);
    s[S_D] = 0;
    s[S_A] = s[S_B];
    return ERROR;
  }
  }
}

static int shift_jis(run *r, int32_t *s, int b, const uint16_t *jis0208) {
  if (b == END) {
    if (s[S_A]) {
      s[S_A] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (s[S_A]) {
    int lead = s[S_A];
    s[S_A] = 0;
    int offset = b < 0x7F ? 0x40 : 0x41, lead_offset = lead < 0xA0 ? 0x81 : 0xC1;
    if (in(b, 0x40, 0x7E) || in(b, 0x80, 0xFC)) {
      int pointer = (lead - lead_offset) * 188 + b - offset;
      if (in(pointer, 8836, 10715)) return emit(r, 0xE000 - 8836 + (uint32_t)pointer);
      uint16_t cp = jis0208[pointer];
      if (cp) return emit(r, cp);
    }
    if (ascii(b)) prepend(r, b, END, END);
    return ERROR;
  }
  if (ascii(b) || b == 0x80) return emit(r, (uint32_t)b);
  if (in(b, 0xA1, 0xDF)) return emit(r, 0xFF61 - 0xA1 + (uint32_t)b);
  if (in(b, 0x81, 0x9F) || in(b, 0xE0, 0xFC)) {
    s[S_A] = b;
    return CONTINUE;
  }
  return ERROR;
}

static int euc_kr(run *r, int32_t *s, int b, const uint16_t *index) {
  if (b == END) {
    if (s[S_A]) {
      s[S_A] = 0;
      return ERROR;
    }
    return FINISHED;
  }
  if (s[S_A]) {
    int lead = s[S_A];
    s[S_A] = 0;
    if (in(b, 0x41, 0xFE)) {
      uint16_t cp = index[(lead - 0x81) * 190 + (b - 0x41)];
      if (cp) return emit(r, cp);
    }
    if (ascii(b)) prepend(r, b, END, END);
    return ERROR;
  }
  if (ascii(b)) return emit(r, (uint32_t)b);
  if (in(b, 0x81, 0xFE)) {
    s[S_A] = b;
    return CONTINUE;
  }
  return ERROR;
}

/* A lead and trail byte that form one character, decoded from a state with no lead: its code
   point, or 0 for anything the handler must see (errors, gb18030's four-byte sequences, EUC-JP's
   0x8E/0x8F, Big5's two-code-point pairs). */
static uint32_t simple_pair(int id, const void *table, uint8_t lead, uint8_t trail) {
  switch (id) {
  case DEC_SHIFT_JIS: {
    if (!(in(lead, 0x81, 0x9F) || in(lead, 0xE0, 0xFC))) return 0;
    if (!(in(trail, 0x40, 0x7E) || in(trail, 0x80, 0xFC))) return 0;
    int pointer = (lead - (lead < 0xA0 ? 0x81 : 0xC1)) * 188 + trail - (trail < 0x7F ? 0x40 : 0x41);
    if (in(pointer, 8836, 10715)) return 0xE000 - 8836 + (uint32_t)pointer;
    return ((const uint16_t *)table)[pointer];
  }
  case DEC_EUC_KR:
    if (!in(lead, 0x81, 0xFE) || !in(trail, 0x41, 0xFE)) return 0;
    return ((const uint16_t *)table)[(lead - 0x81) * 190 + (trail - 0x41)];
  case DEC_GB18030:
    if (!in(lead, 0x81, 0xFE) || !(in(trail, 0x40, 0x7E) || in(trail, 0x80, 0xFE))) return 0;
    return ((const uint16_t *)table)[(lead - 0x81) * 190 + trail - (trail < 0x7F ? 0x40 : 0x41)];
  case DEC_BIG5: {
    if (!in(lead, 0x81, 0xFE) || !(in(trail, 0x40, 0x7E) || in(trail, 0xA1, 0xFE))) return 0;
    int pointer = (lead - 0x81) * 157 + trail - (trail < 0x7F ? 0x40 : 0x62);
    if (pointer == 1133 || pointer == 1135 || pointer == 1164 || pointer == 1166) return 0;
    return ((const uint32_t *)table)[pointer];
  }
  case DEC_EUC_JP:
    if (!in(lead, 0xA1, 0xFE) || !in(trail, 0xA1, 0xFE)) return 0;
    return ((const uint16_t *)table)[(lead - 0xA1) * 94 + trail - 0xA1];
  default:
    return 0;
  }
}

/* --- native.decoderId / native.decode ------------------------------------------------------ */

static int decoder_id(const char *name) {
  for (size_t i = 0; i < sizeof(multi_byte) / sizeof(multi_byte[0]); i++)
    if (!strcmp(name, multi_byte[i].name)) return multi_byte[i].id;
  for (size_t i = 0; i < eddy__single_byte_count; i++)
    if (!strcmp(name, eddy__single_byte_names[i])) return DEC_SINGLE_BYTE + (int)i;
  return 0;
}

/* native.decoderId(name) → the number native.decode takes, or 0 for a name it does not know. */
static JSValueRef js_decoder_id(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                                const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (!argc || !JSValueIsString(ctx, argv[0])) return JSValueMakeNumber(ctx, 0);
  JSStringRef s = JSValueToStringCopy(ctx, argv[0], exc);
  if (!s) return NULL;
  char name[32];
  size_t n = JSStringGetLength(s) < sizeof(name) ? JSStringGetUTF8CString(s, name, sizeof(name)) : 0;
  JSStringRelease(s);
  return JSValueMakeNumber(ctx, n ? decoder_id(name) : 0);
}

static JSValueRef fail(JSContextRef ctx, JSValueRef *exc, run *r, const char *ctor, const char *msg) {
  free(r->out);
  *exc = eddy__make_error(ctx, ctor, msg);
  return NULL;
}

/* native.decode(id, state, input, stream, fatal) → the decoded string; throws the fatal
   TypeError on the first error when fatal is true. */
static JSValueRef js_decode(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 5 || JSValueGetTypedArrayType(ctx, argv[1], NULL) != kJSTypedArrayTypeInt32Array)
    return eddy__throw_type_error(ctx, exc, "decode: bad arguments");
  int id = (int)JSValueToNumber(ctx, argv[0], exc);
  JSObjectRef state_obj = (JSObjectRef)argv[1];
  if (JSObjectGetTypedArrayLength(ctx, state_obj, exc) < S_COUNT)
    return eddy__throw_type_error(ctx, exc, "decode: bad state");
  int32_t *s = (int32_t *)((uint8_t *)JSObjectGetTypedArrayBytesPtr(ctx, state_obj, exc) +
                           JSObjectGetTypedArrayByteOffset(ctx, state_obj, exc));
  const uint8_t *p = NULL;
  size_t len = 0;
  if (!JSValueIsUndefined(ctx, argv[2]) && eddy__buffer_source(ctx, argv[2], &p, &len, exc))
    return NULL;
  if (*exc) return NULL;
  int flush = !JSValueToBoolean(ctx, argv[3]);
  int fatal = JSValueToBoolean(ctx, argv[4]);
  if (!p) len = 0;

  const void *t1 = NULL, *t2 = NULL;
  switch (id) {
  case DEC_GB18030:
    t1 = eddy__encoding_index(EDDY__INDEX_GB18030);
    t2 = eddy__encoding_index(EDDY__INDEX_GB_RANGES);
    break;
  case DEC_BIG5: t1 = t2 = eddy__encoding_index(EDDY__INDEX_BIG5); break;
  case DEC_EUC_JP:
    t1 = eddy__encoding_index(EDDY__INDEX_JIS0208);
    t2 = eddy__encoding_index(EDDY__INDEX_JIS0212);
    break;
  case DEC_ISO2022JP:
  case DEC_SHIFT_JIS: t1 = t2 = eddy__encoding_index(EDDY__INDEX_JIS0208); break;
  case DEC_EUC_KR: t1 = t2 = eddy__encoding_index(EDDY__INDEX_EUC_KR); break;
  case DEC_UTF16LE:
  case DEC_UTF16BE:
  case DEC_REPLACEMENT:
  case DEC_X_USER_DEFINED: t1 = t2 = ""; break;
  default:
    if (id >= DEC_SINGLE_BYTE) t1 = t2 = eddy__single_byte_table((size_t)(id - DEC_SINGLE_BYTE));
  }
  if (!t1 || !t2) return eddy__throw_type_error(ctx, exc, "TextDecoder: the encoding's table is not available");

  const char *too_long =
      "TextDecoder: the decoded string would be longer than a JavaScript string can be";
  /* A single-byte encoding gives a unit a byte; the others start from as many and grow. */
  int stateless = id >= DEC_SINGLE_BYTE || id == DEC_X_USER_DEFINED;
  if (stateless && len > EDDY__JS_STRING_MAX) {
    *exc = eddy__make_error(ctx, "RangeError", too_long);
    return NULL;
  }
  run r = {.p = p, .end = p + len, .cap = (len < ((size_t)1 << 24) ? len : ((size_t)1 << 24)) + 16};
  r.out = malloc(r.cap * sizeof(*r.out));
  if (!r.out) return eddy__throw_type_error(ctx, exc, "out of memory");

  if (stateless) {
    if (r.cap < len) {
      uint16_t *o = realloc(r.out, len * sizeof(*o));
      if (!o) return fail(ctx, exc, &r, "TypeError", "out of memory");
      r.out = o;
      r.cap = len;
    }
    const uint16_t *table = t1;
    for (size_t i = 0; i < len; i++) {
      uint8_t b = p[i];
      uint16_t cp = b < 0x80 ? b : id == DEC_X_USER_DEFINED ? (uint16_t)(0xF780 + b - 0x80) : table[b - 0x80];
      if (!cp && b) {
        if (fatal) return fail(ctx, exc, &r, "TypeError", "The encoded data was not valid.");
        cp = 0xFFFD;
      }
      r.out[r.len++] = cp;
    }
  } else {
    /* Between characters (no lead byte, nothing put back), ASCII and well-formed two-byte
       characters are decoded in a tight loop (what the handlers would give for them); the
       handlers take over at anything else. Not for UTF-16, ISO-2022-JP and replacement. */
    int fast = id != DEC_UTF16LE && id != DEC_UTF16BE && id != DEC_ISO2022JP && id != DEC_REPLACEMENT;
    for (;;) {
      if (fast && !r.nback && !s[S_A] && r.p < r.end) {
        size_t left = (size_t)(r.end - r.p);
        if (r.cap - r.len < left + 8) { /* at most a unit a byte here */
          size_t cap = r.len + left + 16;
          uint16_t *o = cap <= EDDY__JS_STRING_MAX + 16 ? realloc(r.out, cap * sizeof(*o)) : NULL;
          if (!o) {
            r.oom = cap <= EDDY__JS_STRING_MAX + 16 ? 1 : 2;
            break;
          }
          r.out = o;
          r.cap = cap;
        }
        const uint8_t *q = r.p;
        uint16_t *o = r.out + r.len;
        while (q < r.end) {
          uint8_t c = *q;
          if (c < 0x80) {
            *o++ = c;
            q++;
            continue;
          }
          if (r.end - q < 2) break;
          uint32_t cp = simple_pair(id, t1, c, q[1]);
          if (!cp) break;
          if (cp > 0xFFFF) {
            cp -= 0x10000;
            *o++ = (uint16_t)(0xD800 + (cp >> 10));
            *o++ = (uint16_t)(0xDC00 + (cp & 0x3FF));
          } else {
            *o++ = (uint16_t)cp;
          }
          q += 2;
        }
        r.len = (size_t)(o - r.out);
        r.p = q;
        if (r.len > EDDY__JS_STRING_MAX) {
          r.oom = 2;
          break;
        }
      }
      int b = next_byte(&r);
      if (b == END && !flush) break;
      int st;
      switch (id) {
      case DEC_UTF16LE: st = utf16(&r, s, b, 0); break;
      case DEC_UTF16BE: st = utf16(&r, s, b, 1); break;
      case DEC_GB18030: st = gb18030(&r, s, b, t1, t2); break;
      case DEC_BIG5: st = big5(&r, s, b, t1); break;
      case DEC_EUC_JP: st = euc_jp(&r, s, b, t1, t2); break;
      case DEC_ISO2022JP: st = iso2022jp(&r, s, b, t1); break;
      case DEC_SHIFT_JIS: st = shift_jis(&r, s, b, t1); break;
      case DEC_EUC_KR: st = euc_kr(&r, s, b, t1); break;
      default: /* DEC_REPLACEMENT: one error for the whole stream, then nothing */
        if (b == END || s[S_A]) st = FINISHED;
        else {
          s[S_A] = 1;
          st = ERROR;
        }
      }
      if (r.oom) break;
      if (st == FINISHED) break;
      if (st == ERROR) {
        if (fatal) {
          memset(s, 0, S_COUNT * sizeof(*s));
          return fail(ctx, exc, &r, "TypeError", "The encoded data was not valid.");
        }
        emit(&r, 0xFFFD);
        if (r.oom) break;
      }
    }
    if (r.oom == 1) return fail(ctx, exc, &r, "TypeError", "out of memory");
    if (r.oom == 2) return fail(ctx, exc, &r, "RangeError", too_long);
    if (flush) memset(s, 0, S_COUNT * sizeof(*s));
  }
  if (r.len > EDDY__JS_STRING_MAX) return fail(ctx, exc, &r, "RangeError", too_long);
  JSStringRef str = eddy__jsstring_from_utf16(r.out, r.len);
  free(r.out);
  if (!str) return eddy__throw_type_error(ctx, exc, "out of memory");
  JSValueRef v = JSValueMakeString(ctx, str);
  JSStringRelease(str);
  return v;
}

int eddy__encoding_legacy_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "decoderId", js_decoder_id);
  eddy__set_function(e->ctx, native, "decode", js_decode);
  return 0;
}
