/* Shared between the Encoding Standard's native files (src/web/encoding*.c). */
#ifndef EDDY_WEB_ENCODING_H
#define EDDY_WEB_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "../internal.h"

/* Bytes of an ArrayBuffer, a SharedArrayBuffer, a typed array or a DataView; NULL with *len 0
   when empty. 0, or -1 with *exc set. */
int eddy__buffer_source(JSContextRef ctx, JSValueRef v, const uint8_t **p, size_t *len,
                        JSValueRef *exc);

/* The Encoding Standard's indexes, built on first use from ICU's converters (and glibc's iconv
   for ISO-8859-16, which Debian's ICU data lacks), with the places those tables differ from
   the standard corrected in encoding_index.c. Process-wide, built once, thread-safe; NULL if
   the converter could not be opened. A 0 entry is the index's "null". */
enum {
  EDDY__INDEX_JIS0208,   /* 11280 pointers (Shift_JIS's extent) */
  EDDY__INDEX_JIS0212,   /* 8836 */
  EDDY__INDEX_EUC_KR,    /* 23940 */
  EDDY__INDEX_GB18030,   /* 23940 */
  EDDY__INDEX_GB_RANGES, /* 39420: the four-byte pointers that index gb18030 ranges covers */
  EDDY__INDEX_BIG5,      /* 19782, code points above U+FFFF (uint32_t entries) */
  EDDY__INDEX_COUNT
};
const void *eddy__encoding_index(int which);

/* The 128 code points of bytes 0x80–0xFF of single-byte encoding `n` (see
   eddy__single_byte_names), 0 where the byte is undefined. */
extern const char *const eddy__single_byte_names[];
extern const size_t eddy__single_byte_count;
const uint16_t *eddy__single_byte_table(size_t n);

/* Adds native.decoderId and native.decode (encoding_legacy.c). */
int eddy__encoding_legacy_init(eddy_engine *e, JSObjectRef native);

#endif
