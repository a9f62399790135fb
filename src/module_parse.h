/* ES module source transformation for JSC's C API, which has no modules of its own.

   eddy__module_parse() reads JavaScript source (UTF-16) and, for the MODULE goal, writes a classic
   script that evaluates to a generator function, plus a JSON description of the module record
   (its requests, import and export entries) for the loader in src/js/modules.js:

     (function*(H,I){"use strict";yield ENV;<the module's source, edited>
     function ENV(){return{__proto__:null,get x(){return x},...}}})

   H (the holder) and I (the imports object) are parameters, ENV a function; their names start with
   a prefix P that no identifier of the source starts with ("$eddy", else "$eddy1", "$eddy2", ...):
   H = P"h", I = P"i", ENV = P"env", the default export's binding D = P"d", and P"s0", P"e0", ...
   in the rewrite of each top-level for await. The edits never add or remove a line terminator
   inside the source, so lines stay exact (columns on an edited line may shift; line breaks inside
   a top-level for await's head move, with the head, after its iterable). Blanked import and
   export statements start with ; and a statement that an edit would make start with ( starts
   with 0, so that no statement joins the one before it. For the SCRIPT goal only dynamic import(
   is rewritten, to the caller's name.

   Pure C: no JSC types, no global state; any thread may call it, each call is independent. */
#ifndef EDDY_MODULE_PARSE_H
#define EDDY_MODULE_PARSE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { EDDY__PARSE_MODULE = 0, EDDY__PARSE_SCRIPT = 1 } eddy__parse_goal;

typedef struct {
  uint16_t *code;   /* malloc'd transformed source (UTF-16), code_len units, not NUL-terminated */
  size_t code_len;
  char *meta;       /* malloc'd UTF-8 JSON, NUL-terminated (MODULE goal only; NULL for SCRIPT) */
  size_t meta_len;  /* strlen(meta) */
  char *error;      /* malloc'd UTF-8 SyntaxError message, else NULL */
  unsigned error_line, error_column; /* 1-based; the column counts UTF-16 units */
} eddy__parse_result;

/* Transforms src[0..len). import_name (import_name_len units) replaces the `import` keyword of each
   dynamic import( in the SCRIPT goal (NULL: left as it is); it is ignored for MODULE. Returns 0
   (code and, for MODULE, meta set), 1 (SyntaxError: error and its position set, code and meta
   NULL), EDDY_ENOMEM, or EDDY_EINVAL (out NULL, or src NULL with len > 0). Nesting deeper than
   1000 levels is a SyntaxError ("Code is too deeply nested"); recursion stays within 1 MB of
   stack, even under AddressSanitizer. *out is overwritten; free it with
   eddy__parse_result_free() whatever the return value. */
int eddy__module_parse(const uint16_t *src, size_t len, eddy__parse_goal goal,
                       const uint16_t *import_name, size_t import_name_len,
                       eddy__parse_result *out);

/* Frees what *r owns and zeroes it; r may be NULL. */
void eddy__parse_result_free(eddy__parse_result *r);

#endif
