/* UTF-8 <-> UTF-16 conversions (utf.c), with no JSC type, so that pure-C parts (module_parse.c)
   use them too; making JSC strings from them is jsstring.c's. Internal, not part of the ABI. */
#ifndef EDDY_UTF_H
#define EDDY_UTF_H

#include <stddef.h>
#include <stdint.h>

/* WHATWG UTF-8 decode into UTF-16; invalid sequences become U+FFFD (or fail when fatal).
   *out is malloc'd (caller frees). Returns 0, -1 on invalid input with fatal, EDDY_ENOMEM. */
int eddy__utf8_to_utf16(const uint8_t *s, size_t len, int fatal, uint16_t **out, size_t *out_len);
/* UTF-16 to UTF-8, lone surrogates → U+FFFD. *out malloc'd, NUL-terminated. */
int eddy__utf16_to_utf8(const uint16_t *s, size_t len, char **out, size_t *out_len);
size_t eddy__utf8_length_of_utf16(const uint16_t *s, size_t len);
/* Encodes into dst of cap bytes without splitting a sequence; *read is in UTF-16 units. */
size_t eddy__utf16_encode_into(const uint16_t *s, size_t len, uint8_t *dst, size_t cap,
                               size_t *read);
/* UTF-16 units eddy__utf8_to_utf16 (not fatal) makes of s, without allocating. */
size_t eddy__utf16_length_of_utf8(const uint8_t *s, size_t len);
/* s with each invalid sequence replaced by U+FFFD, as the UTF-16 round trip would give it, in
   one allocation (*out malloc'd, NUL-terminated). 0 or EDDY_ENOMEM. */
int eddy__utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len);

#endif
