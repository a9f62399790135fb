/* libFuzzer target: the ES module source transformer (src/module_*.c), compiled into the
   target as it is into its unit test. The first byte picks the goal (module or script, with or
   without a name for dynamic import); the rest is UTF-8 source, converted to UTF-16 as the
   loader does. What must hold, beyond no crash or sanitizer report:
   - the result is exactly one of success (code, and meta for a module) or a SyntaxError (a
     message and a 1-based position), and frees cleanly;
   - a module's meta is valid JSON (the loader parses it);
   - the transformed code has as many line terminators as the source (module_parse.h: lines stay
     exact), plus, for a module, the one that starts the trailer after the source (ENV). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"
#include "module_parse.h"
#include "utf.h"

#define CHECK(cond, what)                                                                      \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "fuzz_module_parse: %s (%s:%d)\n", what, __FILE__, __LINE__);            \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

/* Each terminator unit on its own: a CR LF is two, so that a trailer's LF after a source's
   final CR still counts as added. */
static size_t line_terminators(const uint16_t *s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\r' || s[i] == '\n' || s[i] == 0x2028 || s[i] == 0x2029) count++;
  return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t mode = data[0];
  data++;
  size--;
  uint16_t *src = NULL;
  size_t n = 0;
  if (eddy__utf8_to_utf16(data, size, 0, &src, &n)) return 0;
  eddy__parse_goal goal = (mode & 1) ? EDDY__PARSE_SCRIPT : EDDY__PARSE_MODULE;
  static const uint16_t import_name[] = {'$', 'e', 'd', 'd', 'y', 'I', 'm', 'p', 'o', 'r', 't'};
  const uint16_t *name = (mode & 2) ? import_name : NULL;
  eddy__parse_result r;
  int rc = eddy__module_parse(src, n, goal, name, name ? sizeof import_name / 2 : 0, &r);
  if (rc == 0) {
    CHECK(r.code || r.code_len == 0, "success without code");
    CHECK(!r.error, "success with an error");
    if (goal == EDDY__PARSE_MODULE) {
      CHECK(r.meta && strlen(r.meta) == r.meta_len, "a module without its meta");
      eddy_value *meta = NULL;
      CHECK(eddy_value_from_json(r.meta, r.meta_len, &meta, NULL) == EDDY_OK,
            "meta is not JSON");
      CHECK(eddy_value_type(meta) == EDDY_TYPE_OBJECT, "meta is not an object");
      eddy_value_free(meta);
    }
    size_t trailer = goal == EDDY__PARSE_MODULE ? 1 : 0;
    CHECK(line_terminators(src, n) + trailer == line_terminators(r.code, r.code_len),
          "the transformation added or removed a line");
  } else if (rc == 1) {
    CHECK(r.error && !r.code && !r.meta, "a SyntaxError with code");
    CHECK(r.error_line >= 1 && r.error_column >= 1, "a SyntaxError without a position");
  } else {
    CHECK(rc == EDDY_ENOMEM, "an unexpected status");
  }
  eddy__parse_result_free(&r);
  free(src);
  return 0;
}
