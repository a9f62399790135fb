/* ES module transformation (see module_parse.h): a linear-time tokenizer and a permissive
   recursive-descent parser over UTF-16 source. There is no syntax tree: the parser streams over
   tokens, records edits (insertions, replacements, blanked ranges) as it goes, and keeps scope
   bookkeeping only for the names that matter (the module's imported bindings), so a module that
   imports nothing costs little more than tokenizing it. The output is the source with the edits
   applied, plus the module record as JSON.

   Invalid input is mostly left for JSC to report when it compiles the output; this file reports
   what the output would hide (module-only early errors, errors inside blanked declarations) and
   never reads out of bounds or recurses without bound. */
#include "module_parse.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"
#include "utf.h"

#define MAX_DEPTH 1000

/* ---- tokens ------------------------------------------------------------------------------- */

enum {
  T_EOF, T_NAME, T_PRIVATE, T_NUM, T_STR, T_TEMPLATE, T_REGEX,
  T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_DOT, T_ELLIPSIS, T_SEMI,
  T_COMMA, T_QUESTION, T_QDOT, T_COLON, T_ARROW, T_ASSIGN, T_OPASSIGN, T_INC, T_DEC, T_BANG,
  T_TILDE, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_SLASHEQ, T_BINOP, T_INVALID
};

/* Keywords. Those up to K_WITH are always reserved; K_YIELD..K_PUBLIC are reserved in strict
   (module) code; the rest are contextual and valid identifiers. */
enum {
  K_NONE,
  K_BREAK, K_CASE, K_CATCH, K_CLASS, K_CONST, K_CONTINUE, K_DEBUGGER, K_DEFAULT, K_DELETE, K_DO,
  K_ELSE, K_ENUM, K_EXPORT, K_EXTENDS, K_FALSE, K_FINALLY, K_FOR, K_FUNCTION, K_IF, K_IMPORT,
  K_IN, K_INSTANCEOF, K_NEW, K_NULL, K_RETURN, K_SUPER, K_SWITCH, K_THIS, K_THROW, K_TRUE, K_TRY,
  K_TYPEOF, K_VAR, K_VOID, K_WHILE, K_WITH,
  K_YIELD, K_AWAIT, K_LET, K_STATIC, K_IMPLEMENTS, K_INTERFACE, K_PACKAGE, K_PRIVATE,
  K_PROTECTED, K_PUBLIC,
  K_ASYNC, K_OF, K_GET, K_SET, K_TARGET, K_META, K_FROM, K_AS, K_EVAL, K_ARGUMENTS
};

typedef struct {
  uint8_t t;    /* T_* */
  uint8_t kw;   /* K_* of an identifier (also when spelled with escapes) */
  uint8_t prec; /* binary operator precedence, 0 if none */
  uint8_t nl;   /* a line terminator precedes the token */
  uint8_t esc;  /* identifier spelled with unicode escapes: never a keyword */
  uint8_t tail; /* template part that ends with ` (not ${) */
  size_t a, b;  /* source range */
  size_t noff;  /* escaped identifier: decoded name at arena[noff], nlen units */
  size_t nlen;
} token;

/* A name: a range of the source, or of the arena (decoded escapes and string values). */
typedef struct {
  size_t off, len;
  int arena;
} nref;

/* ---- module record, scopes, edits --------------------------------------------------------- */

typedef struct { nref key, val; } attr;
typedef struct { nref spec; size_t attr0, nattr, next_same; } request; /* next_same: same specifier */
typedef struct { size_t req; nref import; int ns; nref local; size_t pos; } import_ent;
typedef struct { nref export, local; size_t pos; } export_ent;
typedef struct { nref export; size_t req; nref import; int ns; } reexport_ent;

enum { D_VAR, D_LET, D_CONST, D_FUNCTION, D_CLASS, D_IMPORT, D_PARAM, D_CATCH };
typedef struct { nref name; size_t pos; uint8_t kind; } tldecl;

enum { SC_MODULE, SC_BLOCK, SC_PAREN, SC_PARAMS, SC_BODY, SC_CLASS };
typedef struct { uint8_t kind; size_t ref0, decl0; unsigned init0; } scope;
typedef struct { uint32_t id; size_t owner; } decl;
enum { R_PLAIN, R_CALL, R_SHORTHAND };
typedef struct { uint32_t id; uint8_t kind, stmt; unsigned init; size_t a, b; } ref;

/* Pieces of edit text. In PC_LIT text, \1 stands for the generated-name prefix. */
enum { PC_LIT, PC_NUM, PC_SRC, PC_SRCED, PC_U16 };
typedef struct { uint8_t k; const char *lit; const uint16_t *u16; size_t a, b; } piece;

/* rank orders edits at one position: 0 attaches to the text before it, 1 replaces, 2 attaches
   to the text after it. */
enum { ED_TEXT, ED_BLANK, ED_STMT, ED_MOVE };
typedef struct {
  size_t pos, del, aux; /* ED_MOVE: aux = end of the part that is copied elsewhere */
  uint32_t seq, pc0, pcn;
  uint8_t rank, kind;
} edit;

typedef struct { token local; nref local_name, exp; size_t exp_pos; } spec_tmp;

typedef struct { nref key; uint32_t h; uint32_t val; int used; } hent;
typedef struct { hent *t; size_t cap, count; } htab;

#define VEC(T) struct { T *v; size_t n, cap; }

/* What the code around an expression or statement allows. */
enum { AW_IDENT, AW_TLA, AW_ASYNC, AW_RESERVED, AW_PARAM, AW_FIELD };
enum { Y_IDENT, Y_EXPR, Y_ERROR };
enum { ARGS_TOP, ARGS_FN, ARGS_ERR };
typedef struct {
  uint8_t aw, yd;
  uint8_t ret;  /* return allowed */
  uint8_t nt;   /* new.target allowed */
  uint8_t args; /* what `arguments` means */
  uint8_t top;  /* no enclosing function (arrows included) */
} ctx;

typedef struct parser {
  const uint16_t *s;
  size_t n;
  int module;
  const uint16_t *import_name;
  size_t import_name_len;
  jmp_buf jb;
  int status;
  char *msg;
  size_t err_pos;
  char *tmp; /* a UTF-8 copy of a name for an error message */

  size_t pos;
  unsigned long ntok;
  token cur, pk;
  int has_peek;
  size_t prev_end;
  size_t hashbang_end;

  ctx c;
  unsigned depth, fn_depth, init_depth;
  int decl_top, export_collect;
  size_t stmt_start; /* first token of the expression statement being parsed */
  size_t lab[3 * 8];  /* labels of the statement about to be parsed: name a, b, colon end */
  unsigned nlab;
  size_t args_edit;  /* the last top-level `arguments` edit, at args_pos */
  size_t args_pos;
  long e_ref;     /* with E_IDENT: the identifier's reference (-1: none) and its range */
  size_t e_a, e_b;
  nref nm_default;

  VEC(uint16_t) arena;
  VEC(nref) eddy_names;

  htab inter; /* imported local names -> id */
  VEC(nref) inter_names;
  VEC(uint8_t) inter_ns; /* by id: the import is a namespace import */
  uint64_t int_len, int_c0[2];

  VEC(scope) scopes;
  VEC(decl) decls;
  VEC(ref) refs;

  VEC(edit) edits;
  VEC(piece) pieces;
  uint32_t seq;

  VEC(request) requests;
  htab req_index; /* specifier -> its first request */
  VEC(attr) attrs;
  VEC(import_ent) imports;
  VEC(export_ent) exports;
  VEC(reexport_ent) reexports;
  VEC(size_t) stars;
  VEC(tldecl) tldecls;
  htab export_names;
  int anon_default_fn, tla;
  unsigned fa_count;
  int seen_code, late_import;
  VEC(spec_tmp) specs;
  htab scratch; /* a temporary table, empty between uses (freed on failure) */

  VEC(uint16_t) out;
  VEC(char) meta;
  char pfx[32];
  size_t pfx_len;
} parser;

static _Noreturn void oom(parser *p) {
  p->status = EDDY_ENOMEM;
  longjmp(p->jb, 1);
}

static void *vgrow(parser *p, void *v, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return v;
  size_t c = *cap ? *cap : 8;
  while (c < need) {
    if (c > SIZE_MAX / 2) oom(p);
    c *= 2;
  }
  if (c > SIZE_MAX / size) oom(p);
  void *nv = realloc(v, c * size);
  if (!nv) oom(p);
  *cap = c;
  return nv;
}

#define VRESERVE(p, vec, extra)                                                              \
  ((vec).n + (extra) > (vec).cap                                                             \
       ? (void)((vec).v = vgrow((p), (vec).v, &(vec).cap, (vec).n + (extra), sizeof *(vec).v)) \
       : (void)0)
#define VPUSH(p, vec) (VRESERVE(p, vec, 1), &(vec).v[(vec).n++])

static const uint16_t *nptr(const parser *p, nref r) {
  return r.arena ? p->arena.v + r.off : p->s + r.off;
}

/* ---- errors ------------------------------------------------------------------------------- */


__attribute__((format(printf, 3, 4)))
static _Noreturn void fail(parser *p, size_t pos, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  free(p->msg);
  p->msg = strdup(buf);
  if (!p->msg) oom(p);
  p->err_pos = pos;
  p->status = 1;
  longjmp(p->jb, 1);
}

/* A UTF-8 copy of a name for a message (owned by the parser). */
static const char *name8(parser *p, nref r) {
  free(p->tmp);
  p->tmp = NULL;
  /* Messages quote at most 200 units; lone surrogates become U+FFFD. */
  if (eddy__utf16_to_utf8(nptr(p, r), r.len < 200 ? r.len : 200, &p->tmp, NULL)) oom(p);
  return p->tmp;
}

static const char *text8(parser *p, size_t a, size_t b) {
  nref r = {a, b - a, 0};
  return name8(p, r);
}

/* ---- characters --------------------------------------------------------------------------- */

/* ASCII identifier characters: 1 = part, 2 = start. */
#define ID3(c) [c] = 3
static const uint8_t idclass[128] = {
  ID3('$'), ID3('_'),
  ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
  ID3('a'), ID3('b'), ID3('c'), ID3('d'), ID3('e'), ID3('f'), ID3('g'), ID3('h'), ID3('i'), ID3('j'),
  ID3('k'), ID3('l'), ID3('m'), ID3('n'), ID3('o'), ID3('p'), ID3('q'), ID3('r'), ID3('s'), ID3('t'),
  ID3('u'), ID3('v'), ID3('w'), ID3('x'), ID3('y'), ID3('z'),
  ID3('A'), ID3('B'), ID3('C'), ID3('D'), ID3('E'), ID3('F'), ID3('G'), ID3('H'), ID3('I'), ID3('J'),
  ID3('K'), ID3('L'), ID3('M'), ID3('N'), ID3('O'), ID3('P'), ID3('Q'), ID3('R'), ID3('S'), ID3('T'),
  ID3('U'), ID3('V'), ID3('W'), ID3('X'), ID3('Y'), ID3('Z'),
};
#undef ID3
static int is_id_ascii(unsigned c) { return c < 0x80 && (idclass[c] & 1); }
static int is_id_start_ascii(unsigned c) { return c < 0x80 && (idclass[c] & 2); }
static int is_ws_wide(unsigned c) {
  return c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}
static int is_lt(unsigned c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
/* Outside strings, comments and the like, a valid program has non-ASCII characters only in
   identifiers or as white space; so everything else non-ASCII counts as an identifier part. */
static int is_id_wide(unsigned c) { return c >= 0x80 && !is_ws_wide(c) && c != 0x2028 && c != 0x2029; }
static int is_digit(unsigned c) { return (unsigned)(c - '0') < 10; }
static int is_hex(unsigned c) { return is_digit(c) || (unsigned)((c | 0x20) - 'a') < 6; }
static int hexval(unsigned c) { return is_digit(c) ? (int)(c - '0') : (int)((c | 0x20) - 'a' + 10); }

/* ---- keywords ----------------------------------------------------------------------------- */

static int kw_eq(const uint16_t *s, const char *lit, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != (uint16_t)lit[i]) return 0;
  return 1;
}

/* Dispatches on length and first letter; s[0] & 31 folds case, so kw_eq checks every unit. */
static uint8_t kw_lookup(const uint16_t *s, size_t n) {
  if (n < 2 || n > 10) return K_NONE;
#define KW(lit, id) if (kw_eq(s, lit, n)) return id
  switch (n * 32 + (s[0] & 31)) {
    case 2 * 32 + ('a' & 31): KW("as", K_AS); break;
    case 2 * 32 + ('d' & 31): KW("do", K_DO); break;
    case 2 * 32 + ('i' & 31): KW("if", K_IF); KW("in", K_IN); break;
    case 2 * 32 + ('o' & 31): KW("of", K_OF); break;
    case 3 * 32 + ('f' & 31): KW("for", K_FOR); break;
    case 3 * 32 + ('g' & 31): KW("get", K_GET); break;
    case 3 * 32 + ('l' & 31): KW("let", K_LET); break;
    case 3 * 32 + ('n' & 31): KW("new", K_NEW); break;
    case 3 * 32 + ('s' & 31): KW("set", K_SET); break;
    case 3 * 32 + ('t' & 31): KW("try", K_TRY); break;
    case 3 * 32 + ('v' & 31): KW("var", K_VAR); break;
    case 4 * 32 + ('c' & 31): KW("case", K_CASE); break;
    case 4 * 32 + ('e' & 31): KW("else", K_ELSE); KW("enum", K_ENUM); KW("eval", K_EVAL); break;
    case 4 * 32 + ('f' & 31): KW("from", K_FROM); break;
    case 4 * 32 + ('m' & 31): KW("meta", K_META); break;
    case 4 * 32 + ('n' & 31): KW("null", K_NULL); break;
    case 4 * 32 + ('t' & 31): KW("this", K_THIS); KW("true", K_TRUE); break;
    case 4 * 32 + ('v' & 31): KW("void", K_VOID); break;
    case 4 * 32 + ('w' & 31): KW("with", K_WITH); break;
    case 5 * 32 + ('a' & 31): KW("await", K_AWAIT); KW("async", K_ASYNC); break;
    case 5 * 32 + ('b' & 31): KW("break", K_BREAK); break;
    case 5 * 32 + ('c' & 31): KW("catch", K_CATCH); KW("class", K_CLASS); KW("const", K_CONST); break;
    case 5 * 32 + ('f' & 31): KW("false", K_FALSE); break;
    case 5 * 32 + ('s' & 31): KW("super", K_SUPER); break;
    case 5 * 32 + ('t' & 31): KW("throw", K_THROW); break;
    case 5 * 32 + ('w' & 31): KW("while", K_WHILE); break;
    case 5 * 32 + ('y' & 31): KW("yield", K_YIELD); break;
    case 6 * 32 + ('d' & 31): KW("delete", K_DELETE); break;
    case 6 * 32 + ('e' & 31): KW("export", K_EXPORT); break;
    case 6 * 32 + ('i' & 31): KW("import", K_IMPORT); break;
    case 6 * 32 + ('p' & 31): KW("public", K_PUBLIC); break;
    case 6 * 32 + ('r' & 31): KW("return", K_RETURN); break;
    case 6 * 32 + ('s' & 31): KW("switch", K_SWITCH); KW("static", K_STATIC); break;
    case 6 * 32 + ('t' & 31): KW("typeof", K_TYPEOF); KW("target", K_TARGET); break;
    case 7 * 32 + ('d' & 31): KW("default", K_DEFAULT); break;
    case 7 * 32 + ('e' & 31): KW("extends", K_EXTENDS); break;
    case 7 * 32 + ('f' & 31): KW("finally", K_FINALLY); break;
    case 7 * 32 + ('p' & 31): KW("package", K_PACKAGE); KW("private", K_PRIVATE); break;
    case 8 * 32 + ('c' & 31): KW("continue", K_CONTINUE); break;
    case 8 * 32 + ('d' & 31): KW("debugger", K_DEBUGGER); break;
    case 8 * 32 + ('f' & 31): KW("function", K_FUNCTION); break;
    case 9 * 32 + ('a' & 31): KW("arguments", K_ARGUMENTS); break;
    case 9 * 32 + ('i' & 31): KW("interface", K_INTERFACE); break;
    case 9 * 32 + ('p' & 31): KW("protected", K_PROTECTED); break;
    case 10 * 32 + ('i' & 31): KW("instanceof", K_INSTANCEOF); KW("implements", K_IMPLEMENTS); break;
    default: break;
  }
#undef KW
  return K_NONE;
}

/* ---- lexer -------------------------------------------------------------------------------- */

/* Characters that end a run inside a string, template or comment (ASCII only: no non-ASCII
   character does, except U+2028/U+2029 in comments, tested separately). */
enum { X_SQ = 1, X_DQ = 2, X_BS = 4, X_LT = 8, X_TPL = 16, X_STAR = 32 };
static const uint8_t xclass[128] = {
  ['\''] = X_SQ, ['"'] = X_DQ, ['\\'] = X_BS | X_TPL, ['\n'] = X_LT, ['\r'] = X_LT,
  ['`'] = X_TPL, ['$'] = X_TPL, ['*'] = X_STAR,
};

static size_t skip_line(const uint16_t *s, size_t n, size_t i) {
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80 ? xclass[c] & X_LT : (c == 0x2028 || c == 0x2029)) break;
    i++;
  }
  return i;
}

/* Decodes \uXXXX or \u{...} at s[i] (the backslash); returns the code point or -1. */
static long read_uescape(const uint16_t *s, size_t n, size_t *i) {
  size_t j = *i;
  if (j + 1 >= n || s[j + 1] != 'u') return -1;
  j += 2;
  long cp = 0;
  if (j < n && s[j] == '{') {
    j++;
    size_t d = 0;
    while (j < n && is_hex(s[j])) {
      cp = cp * 16 + hexval(s[j]);
      if (cp > 0x10FFFF) return -1;
      j++;
      d++;
    }
    if (!d || j >= n || s[j] != '}') return -1;
    j++;
  } else {
    for (int k = 0; k < 4; k++, j++) {
      if (j >= n || !is_hex(s[j])) return -1;
      cp = cp * 16 + hexval(s[j]);
    }
  }
  *i = j;
  return cp;
}

static void arena_cp(parser *p, long cp) {
  if (cp >= 0x10000) {
    cp -= 0x10000;
    *VPUSH(p, p->arena) = (uint16_t)(0xD800 + (cp >> 10));
    *VPUSH(p, p->arena) = (uint16_t)(0xDC00 + (cp & 0x3FF));
  } else {
    *VPUSH(p, p->arena) = (uint16_t)cp;
  }
}

static const uint16_t eddy_word[5] = {'$', 'e', 'd', 'd', 'y'};

/* Scans an identifier name from s[i]; fills t (name, escapes, keyword); returns its end. */
static size_t lex_ident(parser *p, token *t, size_t i) {
  const uint16_t *s = p->s;
  size_t n = p->n, a = i;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      if (!(idclass[c] & 1)) break;
    } else if (!is_id_wide(c)) {
      break;
    }
    i++;
  }
  t->esc = 0;
  if (i < n && s[i] == '\\') {
    /* Slow path: decode the whole name into the arena. */
    t->esc = 1;
    t->noff = p->arena.n;
    i = a;
    while (i < n) {
      unsigned c = s[i];
      if (c == '\\') {
        size_t at = i;
        long cp = read_uescape(s, n, &i);
        if (cp < 0 || (cp < 0x80 && !is_id_ascii((unsigned)cp)) ||
            (cp >= 0x80 && cp <= 0xFFFF && !is_id_wide((unsigned)cp)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
          fail(p, at, "Invalid unicode escape in identifier");
        arena_cp(p, cp);
      } else if (c < 0x80 ? is_id_ascii(c) : is_id_wide(c)) {
        *VPUSH(p, p->arena) = (uint16_t)c;
        i++;
      } else {
        break;
      }
    }
    t->nlen = p->arena.n - t->noff;
    const uint16_t *d = p->arena.v + t->noff;
    t->kw = kw_lookup(d, t->nlen);
    if (t->nlen >= 5 && !memcmp(d, eddy_word, sizeof eddy_word)) {
      nref *r = VPUSH(p, p->eddy_names);
      r->off = t->noff;
      r->len = t->nlen;
      r->arena = 1;
    }
    return i;
  }
  t->kw = kw_lookup(s + a, i - a);
  if (s[a] == '$' && i - a >= 5 && !memcmp(s + a, eddy_word, sizeof eddy_word)) {
    nref *r = VPUSH(p, p->eddy_names);
    r->off = a;
    r->len = i - a;
    r->arena = 0;
  }
  return i;
}

/* Scans a template part starting at s[i] (after ` or }); returns its end. */
static size_t lex_template(parser *p, token *t, size_t i, size_t start) {
  const uint16_t *s = p->s;
  size_t n = p->n;
  for (;;) {
    while (i < n && (s[i] >= 0x80 || !(xclass[s[i]] & X_TPL))) i++;
    if (i >= n) fail(p, start, "Unterminated template literal");
    unsigned c = s[i];
    if (c == '`') {
      t->tail = 1;
      return i + 1;
    }
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '$' && i + 1 < n && s[i + 1] == '{') {
      t->tail = 0;
      return i + 2;
    }
    i++;
  }
}

/* ASCII characters that white-space and comment skipping looks at. */
static const uint8_t skipclass[128] = {
  ['\t'] = 1, ['\n'] = 1, [11] = 1, [12] = 1, ['\r'] = 1, [' '] = 1, ['/'] = 1, ['<'] = 1, ['-'] = 1, ['#'] = 1,
};

#define AT(k) ((k) < n ? s[(k)] : 0)

static void lex(parser *p, token *t) {
  const uint16_t *s = p->s;
  size_t n = p->n, i = p->pos;
  int nl = 0;
  t->kw = 0;
  t->prec = 0;
  t->esc = 0;
  t->tail = 0;
  for (;;) {
    if (i >= n) {
      t->t = T_EOF;
      t->a = t->b = n;
      t->nl = 1;
      p->pos = n;
      p->ntok++;
      return;
    }
    unsigned c = s[i];
    /* Most tokens follow at once: anything but white space, / < - # starts one. */
    if (c < 0x80 && !(skipclass[c])) break;
    if (c == ' ' || c == '\t') {
      i++;
      while (i < n && s[i] == ' ') i++;
    } else if (c == '\n' || c == '\r') {
      nl = 1;
      i++;
    } else if (c == '/') {
      unsigned d = AT(i + 1);
      if (d == '/') {
        i = skip_line(s, n, i + 2);
      } else if (d == '*') {
        size_t start = i;
        i += 2;
        for (;;) {
          while (i < n && (s[i] < 0x80 ? !(xclass[s[i]] & (X_STAR | X_LT)) : s[i] < 0x2028 || s[i] > 0x2029))
            i++;
          if (i + 1 >= n) fail(p, start, "Multiline comment was not closed properly");
          unsigned e = s[i];
          if (e == '*' && s[i + 1] == '/') {
            i += 2;
            break;
          }
          if (is_lt(e)) nl = 1;
          i++;
        }
      } else {
        break;
      }
    } else if (c == 11 || c == 12) {
      i++;
    } else if (c >= 0x80) {
      if (is_ws_wide(c)) i++;
      else if (c == 0x2028 || c == 0x2029) {
        nl = 1;
        i++;
      } else {
        break;
      }
    } else if (c == '<' && AT(i + 1) == '!' && AT(i + 2) == '-' && AT(i + 3) == '-') {
      if (p->module) fail(p, i, "HTML comments are not allowed in modules");
      i = skip_line(s, n, i + 4);
    } else if (c == '-' && (nl || p->ntok == 0) && AT(i + 1) == '-' && AT(i + 2) == '>') {
      if (p->module) fail(p, i, "HTML comments are not allowed in modules");
      i = skip_line(s, n, i + 3);
    } else if (c == '#' && i == 0 && AT(1) == '!') {
      i = skip_line(s, n, 2);
      p->hashbang_end = i;
    } else {
      break;
    }
  }
  t->a = i;
  t->nl = (uint8_t)nl;
  p->ntok++;
  unsigned c = s[i];
  if (c >= 0x80 || is_id_start_ascii(c) || c == '\\') {
    t->t = T_NAME;
    i = lex_ident(p, t, i);
    if (i == t->a) fail(p, i, "Invalid character");
    goto done;
  }
  if (is_digit(c) || (c == '.' && is_digit(AT(i + 1)))) {
    t->t = T_NUM;
    if (c == '0' && ((AT(i + 1) | 0x20) == 'x' || (AT(i + 1) | 0x20) == 'o' || (AT(i + 1) | 0x20) == 'b')) {
      i += 2;
      while (i < n && (is_hex(s[i]) || s[i] == '_')) i++;
    } else {
      while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
      if (i < n && s[i] == '.') {
        i++;
        while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
      }
      if (i < n && (s[i] | 0x20) == 'e' &&
          (is_digit(AT(i + 1)) || ((AT(i + 1) == '+' || AT(i + 1) == '-') && is_digit(AT(i + 2))))) {
        i += 2;
        while (i < n && (is_digit(s[i]) || s[i] == '_')) i++;
      }
    }
    if (i < n && s[i] == 'n') i++;
    goto done;
  }
  i++;
  switch (c) {
    case '(': t->t = T_LPAREN; break;
    case ')': t->t = T_RPAREN; break;
    case '[': t->t = T_LBRACK; break;
    case ']': t->t = T_RBRACK; break;
    case '{': t->t = T_LBRACE; break;
    case '}': t->t = T_RBRACE; break;
    case ';': t->t = T_SEMI; break;
    case ',': t->t = T_COMMA; break;
    case '~': t->t = T_TILDE; break;
    case ':': t->t = T_COLON; break;
    case '"':
    case '\'':
      for (;;) {
        unsigned stop = (c == '"' ? X_DQ : X_SQ) | X_BS | X_LT;
        while (i < n && (s[i] >= 0x80 || !(xclass[s[i]] & stop))) i++;
        if (i >= n) fail(p, t->a, "Unterminated string literal");
        unsigned d = s[i];
        if (d == c) {
          i++;
          break;
        }
        if (d == '\\') {
          i++;
          if (i < n && s[i] == '\r' && AT(i + 1) == '\n') i++;
          i++;
          continue;
        }
        if (d == '\n' || d == '\r') fail(p, t->a, "Unterminated string literal");
        i++;
      }
      t->t = T_STR;
      break;
    case '`':
      t->t = T_TEMPLATE;
      i = lex_template(p, t, i, t->a);
      break;
    case '.':
      if (AT(i) == '.' && AT(i + 1) == '.') {
        i += 2;
        t->t = T_ELLIPSIS;
      } else {
        t->t = T_DOT;
      }
      break;
    case '#':
      if (i < n && (s[i] >= 0x80 || is_id_start_ascii(s[i]) || s[i] == '\\')) {
        token tmp = *t;
        i = lex_ident(p, &tmp, i);
        t->t = T_PRIVATE;
      } else {
        t->t = T_INVALID;
      }
      break;
    case '?':
      if (AT(i) == '?') {
        if (AT(i + 1) == '=') {
          i += 2;
          t->t = T_OPASSIGN;
        } else {
          i++;
          t->t = T_BINOP;
          t->prec = 1;
        }
      } else if (AT(i) == '.' && !is_digit(AT(i + 1))) {
        i++;
        t->t = T_QDOT;
      } else {
        t->t = T_QUESTION;
      }
      break;
    case '=':
      if (AT(i) == '>') {
        i++;
        t->t = T_ARROW;
      } else if (AT(i) == '=') {
        i += AT(i + 1) == '=' ? 2 : 1;
        t->t = T_BINOP;
        t->prec = 7;
      } else {
        t->t = T_ASSIGN;
      }
      break;
    case '!':
      if (AT(i) == '=') {
        i += AT(i + 1) == '=' ? 2 : 1;
        t->t = T_BINOP;
        t->prec = 7;
      } else {
        t->t = T_BANG;
      }
      break;
    case '+':
    case '-':
      if (AT(i) == c) {
        i++;
        t->t = c == '+' ? T_INC : T_DEC;
      } else if (AT(i) == '=') {
        i++;
        t->t = T_OPASSIGN;
      } else {
        t->t = c == '+' ? T_PLUS : T_MINUS;
        t->prec = 10;
      }
      break;
    case '*':
      if (AT(i) == '*') {
        if (AT(i + 1) == '=') {
          i += 2;
          t->t = T_OPASSIGN;
        } else {
          i++;
          t->t = T_BINOP;
          t->prec = 12;
        }
      } else if (AT(i) == '=') {
        i++;
        t->t = T_OPASSIGN;
      } else {
        t->t = T_STAR;
        t->prec = 11;
      }
      break;
    case '/':
      if (AT(i) == '=') {
        i++;
        t->t = T_SLASHEQ;
      } else {
        t->t = T_SLASH;
        t->prec = 11;
      }
      break;
    case '%':
      if (AT(i) == '=') {
        i++;
        t->t = T_OPASSIGN;
      } else {
        t->t = T_BINOP;
        t->prec = 11;
      }
      break;
    case '<':
      if (AT(i) == '<') {
        if (AT(i + 1) == '=') {
          i += 2;
          t->t = T_OPASSIGN;
        } else {
          i++;
          t->t = T_BINOP;
          t->prec = 9;
        }
      } else {
        if (AT(i) == '=') i++;
        t->t = T_BINOP;
        t->prec = 8;
      }
      break;
    case '>':
      if (AT(i) == '>') {
        size_t k = AT(i + 1) == '>' ? i + 2 : i + 1;
        if (AT(k) == '=') {
          i = k + 1;
          t->t = T_OPASSIGN;
        } else {
          i = k;
          t->t = T_BINOP;
          t->prec = 9;
        }
      } else {
        if (AT(i) == '=') i++;
        t->t = T_BINOP;
        t->prec = 8;
      }
      break;
    case '&':
    case '|':
      if (AT(i) == c) {
        if (AT(i + 1) == '=') {
          i += 2;
          t->t = T_OPASSIGN;
        } else {
          i++;
          t->t = T_BINOP;
          t->prec = c == '&' ? 3 : 2;
        }
      } else if (AT(i) == '=') {
        i++;
        t->t = T_OPASSIGN;
      } else {
        t->t = T_BINOP;
        t->prec = c == '&' ? 6 : 4;
      }
      break;
    case '^':
      if (AT(i) == '=') {
        i++;
        t->t = T_OPASSIGN;
      } else {
        t->t = T_BINOP;
        t->prec = 5;
      }
      break;
    default:
      t->t = T_INVALID;
      break;
  }
done:
  t->b = i;
  p->pos = i;
}

static void next(parser *p) {
  p->prev_end = p->cur.b;
  if (p->has_peek) {
    p->cur = p->pk;
    p->has_peek = 0;
  } else {
    lex(p, &p->cur);
  }
}

static const token *peek(parser *p) {
  if (!p->has_peek) {
    lex(p, &p->pk);
    p->has_peek = 1;
  }
  return &p->pk;
}

/* The current / or /= token starts a regular expression literal: scan it again as one. */
static void rescan_regex(parser *p) {
  const uint16_t *s = p->s;
  size_t n = p->n, i = p->cur.a + 1;
  int in_class = 0;
  for (;;) {
    if (i >= n || is_lt(s[i])) fail(p, p->cur.a, "Unterminated regular expression literal");
    unsigned c = s[i++];
    if (c == '\\') {
      if (i >= n || is_lt(s[i])) fail(p, p->cur.a, "Unterminated regular expression literal");
      i++;
    } else if (c == '[') {
      in_class = 1;
    } else if (c == ']') {
      in_class = 0;
    } else if (c == '/' && !in_class) {
      break;
    }
  }
  while (i < n && (s[i] < 0x80 ? is_id_ascii(s[i]) : is_id_wide(s[i]))) i++;
  p->cur.t = T_REGEX;
  p->cur.prec = 0;
  p->cur.b = i;
  p->pos = i;
  p->has_peek = 0;
}

/* The current } closes a template substitution: scan the template's next part. */
static void rescan_template(parser *p) {
  p->cur.t = T_TEMPLATE;
  p->cur.b = lex_template(p, &p->cur, p->cur.a + 1, p->cur.a);
  p->pos = p->cur.b;
  p->has_peek = 0;
}

/* ---- names and hash tables ---------------------------------------------------------------- */

static uint32_t hash16(const uint16_t *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
  /* Mix the high bits down: the table index takes the low ones. */
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

static int name_eq(const parser *p, nref a, const uint16_t *s, size_t n) {
  return a.len == n && (n == 0 || !memcmp(nptr(p, a), s, n * sizeof *s));
}

static hent *hfind(const parser *p, const htab *h, const uint16_t *s, size_t n, uint32_t hv) {
  if (!h->cap) return NULL;
  size_t mask = h->cap - 1;
  for (size_t i = hv & mask;; i = (i + 1) & mask) {
    hent *e = &h->t[i];
    if (!e->used) return NULL;
    if (e->h == hv && name_eq(p, e->key, s, n)) return e;
  }
}

/* Inserts key -> val unless present; returns the entry and whether it was inserted. */
static hent *hinsert(parser *p, htab *h, nref key, uint32_t val, int *inserted) {
  const uint16_t *s = nptr(p, key);
  uint32_t hv = hash16(s, key.len);
  hent *e = hfind(p, h, s, key.len, hv);
  if (e) {
    *inserted = 0;
    return e;
  }
  if ((h->count + 1) * 2 > h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 64;
    hent *t = calloc(cap, sizeof *t);
    if (!t) oom(p);
    for (size_t i = 0; i < h->cap; i++) {
      if (!h->t[i].used) continue;
      size_t j = h->t[i].h & (cap - 1);
      while (t[j].used) j = (j + 1) & (cap - 1);
      t[j] = h->t[i];
    }
    free(h->t);
    h->t = t;
    h->cap = cap;
  }
  size_t j = hv & (h->cap - 1);
  while (h->t[j].used) j = (j + 1) & (h->cap - 1);
  e = &h->t[j];
  e->key = key;
  e->h = hv;
  e->val = val;
  e->used = 1;
  h->count++;
  *inserted = 1;
  return e;
}

static void hclear(htab *h) {
  free(h->t);
  h->t = NULL;
  h->cap = h->count = 0;
}

static nref tok_name(const token *t) {
  nref r;
  if (t->esc) {
    r.off = t->noff;
    r.len = t->nlen;
    r.arena = 1;
  } else {
    r.off = t->a;
    r.len = t->b - t->a;
    r.arena = 0;
  }
  return r;
}

/* The id of an imported local name, or -1. Most identifiers fail the length or first-character
   filter before any hashing. */
static long inter_lookup(parser *p, const token *t) {
  if (!p->inter_names.n) return -1;
  nref r = tok_name(t);
  size_t len = r.len < 63 ? r.len : 63;
  if (!((p->int_len >> len) & 1)) return -1;
  const uint16_t *s = nptr(p, r);
  unsigned c0 = s[0] < 127 ? s[0] : 127;
  if (!((p->int_c0[c0 >> 6] >> (c0 & 63)) & 1)) return -1;
  hent *e = hfind(p, &p->inter, s, r.len, hash16(s, r.len));
  return e ? (long)e->val : -1;
}

static void inter_add(parser *p, nref name, int ns) {
  int inserted;
  hent *e = hinsert(p, &p->inter, name, (uint32_t)p->inter_names.n, &inserted);
  if (!inserted) {
    p->inter_ns.v[e->val] = (uint8_t)ns;
    return;
  }
  *VPUSH(p, p->inter_names) = name;
  *VPUSH(p, p->inter_ns) = (uint8_t)ns;
  size_t len = name.len < 63 ? name.len : 63;
  p->int_len |= (uint64_t)1 << len;
  const uint16_t *s = nptr(p, name);
  unsigned c0 = name.len && s[0] < 127 ? s[0] : 127;
  p->int_c0[c0 >> 6] |= (uint64_t)1 << (c0 & 63);
}

static nref arena_ascii(parser *p, const char *s) {
  nref r = {p->arena.n, strlen(s), 1};
  for (; *s; s++) *VPUSH(p, p->arena) = (uint16_t)*s;
  return r;
}

static int has_lone_surrogate(const uint16_t *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] >= 0xD800 && s[i] <= 0xDBFF) {
      if (i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) i++;
      else return 1;
    } else if (s[i] >= 0xDC00 && s[i] <= 0xDFFF) {
      return 1;
    }
  }
  return 0;
}

/* The value of string literal t, decoded into the arena (strict-mode escapes). */
static nref string_value(parser *p, const token *t, int *lone) {
  const uint16_t *s = p->s;
  size_t i = t->a + 1, e = t->b - 1;
  nref r = {p->arena.n, 0, 1};
  while (i < e) {
    unsigned c = s[i];
    if (c != '\\') {
      *VPUSH(p, p->arena) = (uint16_t)c;
      i++;
      continue;
    }
    size_t at = i++;
    c = s[i];
    switch (c) {
      case 'n': c = '\n'; goto one;
      case 't': c = '\t'; goto one;
      case 'r': c = '\r'; goto one;
      case 'b': c = '\b'; goto one;
      case 'f': c = '\f'; goto one;
      case 'v': c = '\v'; goto one;
      case '\r':
        i++;
        if (i < e && s[i] == '\n') i++;
        break;
      case '\n':
      case 0x2028:
      case 0x2029:
        i++;
        break;
      case 'x':
        if (i + 2 < e && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
          *VPUSH(p, p->arena) = (uint16_t)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
          i += 3;
        } else {
          fail(p, at, "\\x can only be followed by a hex character sequence");
        }
        break;
      case 'u': {
        size_t j = at;
        long cp = read_uescape(s, e, &j);
        if (cp < 0) fail(p, at, "\\u can only be followed by a Unicode character sequence");
        arena_cp(p, cp);
        i = j;
        break;
      }
      case '0':
        if (!(i + 1 < e && is_digit(s[i + 1]))) {
          c = 0;
          goto one;
        }
        /* fall through */
      case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        fail(p, at, "The only valid numeric escape in strict mode is '\\0'");
      default:
      one:
        *VPUSH(p, p->arena) = (uint16_t)c;
        i++;
        break;
    }
  }
  r.len = p->arena.n - r.off;
  if (lone) *lone = has_lone_surrogate(p->arena.v + r.off, r.len);
  return r;
}

/* ---- edits -------------------------------------------------------------------------------- */

static void ed_new(parser *p, size_t pos, size_t del, int rank, int kind) {
  edit *e = VPUSH(p, p->edits);
  e->pos = pos;
  e->del = del;
  e->aux = 0;
  e->seq = p->seq++;
  e->pc0 = (uint32_t)p->pieces.n;
  e->pcn = 0;
  e->rank = (uint8_t)rank;
  e->kind = (uint8_t)kind;
}

static void pc_add(parser *p, int k, const char *lit, const uint16_t *u, size_t a, size_t b) {
  piece *c = VPUSH(p, p->pieces);
  c->k = (uint8_t)k;
  c->lit = lit;
  c->u16 = u;
  c->a = a;
  c->b = b;
  p->edits.v[p->edits.n - 1].pcn++;
}

#define PC_L(p, s) pc_add((p), PC_LIT, (s), NULL, 0, 0)
#define PC_N(p, v) pc_add((p), PC_NUM, NULL, NULL, (v), 0)

static void ed_lit(parser *p, size_t pos, size_t del, int rank, const char *text) {
  ed_new(p, pos, del, rank, ED_TEXT);
  PC_L(p, text);
}

static void ed_blank(parser *p, size_t a, size_t b) { ed_new(p, a, b - a, 1, ED_BLANK); }

/* A whole statement blanked: its first character becomes ; so that the statement before it,
   which ASI may have ended only because this one began, still ends there. */
static void ed_blank_stmt(parser *p, size_t a, size_t b) { ed_new(p, a, b - a, 1, ED_STMT); }

/* ---- scopes ------------------------------------------------------------------------------- */

static void scope_push(parser *p, int kind) {
  scope *s = VPUSH(p, p->scopes);
  s->kind = (uint8_t)kind;
  s->ref0 = p->refs.n;
  s->decl0 = p->decls.n;
  s->init0 = p->init_depth;
}

/* Closes the innermost scope: references to names it declares are resolved (dropped); the rest
   stay pending for the enclosing scope. A parenthesized expression's scope declares nothing. */
static void scope_pop(parser *p) {
  size_t si = p->scopes.n - 1;
  scope *sc = &p->scopes.v[si];
  if (sc->kind != SC_PAREN && p->decls.n > sc->decl0) {
    size_t d0 = sc->decl0, k;
    for (k = d0; k < p->decls.n && p->decls.v[k].owner != si; k++) {
    }
    if (k < p->decls.n) {
      size_t w = sc->ref0;
      for (size_t r = sc->ref0; r < p->refs.n; r++) {
        int shadowed = 0;
        for (k = d0; k < p->decls.n && !shadowed; k++)
          shadowed = p->decls.v[k].owner == si && p->decls.v[k].id == p->refs.v[r].id;
        if (!shadowed) p->refs.v[w++] = p->refs.v[r];
      }
      p->refs.n = w;
      w = d0;
      for (k = d0; k < p->decls.n; k++)
        if (p->decls.v[k].owner != si) p->decls.v[w++] = p->decls.v[k];
      p->decls.n = w;
    }
  }
  p->scopes.n--;
}

/* The parenthesized expression just parsed is an arrow function's parameter list: identifiers
   recorded outside any initializer or computed key become the parameters. */
static void paren_to_params(parser *p) {
  size_t si = p->scopes.n - 1;
  scope *sc = &p->scopes.v[si];
  sc->kind = SC_PARAMS;
  size_t w = sc->ref0;
  for (size_t r = sc->ref0; r < p->refs.n; r++) {
    ref x = p->refs.v[r];
    if (x.init == sc->init0) {
      decl *d = VPUSH(p, p->decls);
      d->id = x.id;
      d->owner = si;
    } else {
      p->refs.v[w++] = x;
    }
  }
  p->refs.n = w;
}

static size_t var_scope(const parser *p) {
  size_t i = p->scopes.n;
  while (i-- > 0)
    if (p->scopes.v[i].kind == SC_BODY || p->scopes.v[i].kind == SC_MODULE) return i;
  return 0;
}

/* ---- parser: helpers ---------------------------------------------------------------------- */

#define E_IDENT 1  /* a bare identifier reference (p->e_ref, p->e_a..e_b) */
#define E_PIDENT 2 /* the same, parenthesized */
#define E_UNARY 4  /* a unary operator expression (may not be the base of **) */
#define E_ARROW 8  /* an arrow function: nothing may follow it at this level */

#define ST_TOP 1 /* directly in the module's statement list */
#define ST_SUB 2 /* the body of if, for, while, do, with or a label */

static int parse_expression(parser *p, int no_in);
static int parse_assign(parser *p, int no_in);
static int parse_unary(parser *p);
static int unary_operand(parser *p);
static int parse_lhs(parser *p);
static void parse_statement(parser *p, int flags);
static void parse_function_rest(parser *p, int async, int gen, const token *expr_name);
static void parse_class(parser *p, int decl, int top, token *name_out);
static void parse_binding_target(parser *p, int kind);

static void enter(parser *p) {
  if (++p->depth > MAX_DEPTH) fail(p, p->cur.a, "Code is too deeply nested");
}
#define LEAVE(p) ((p)->depth--)

static int is_kw(const token *t, int k) { return t->t == T_NAME && t->kw == k && !t->esc; }
static int at(const parser *p, int type) { return p->cur.t == type; }

static _Noreturn void unexpected(parser *p) {
  const token *t = &p->cur;
  size_t b = t->b - t->a > 60 ? t->a + 60 : t->b;
  switch (t->t) {
    case T_EOF: fail(p, t->a, "Unexpected end of script");
    case T_NAME:
      if (t->kw && t->kw <= K_WITH) fail(p, t->a, "Unexpected keyword '%s'", text8(p, t->a, b));
      fail(p, t->a, "Unexpected identifier '%s'", text8(p, t->a, b));
    case T_STR: fail(p, t->a, "Unexpected string literal %s", text8(p, t->a, b));
    case T_NUM: fail(p, t->a, "Unexpected number '%s'", text8(p, t->a, b));
    case T_TEMPLATE: fail(p, t->a, "Unexpected template string");
    default: fail(p, t->a, "Unexpected token '%s'", text8(p, t->a, b));
  }
}

static void expect(parser *p, int type) {
  if (p->cur.t != type) unexpected(p);
  next(p);
}

static void consume_semi(parser *p) {
  if (at(p, T_SEMI)) {
    next(p);
    return;
  }
  if (at(p, T_RBRACE) || at(p, T_EOF) || p->cur.nl) return;
  unexpected(p);
}

static _Noreturn void yield_error(parser *p) {
  if (p->module && p->c.top) fail(p, p->cur.a, "Cannot use 'yield' at the top level of a module");
  fail(p, p->cur.a, "Cannot use 'yield' outside of a generator function body");
}

/* Is identifier t usable as an identifier (a reference, a label, or with binding, a binding) in
   the current context? */
static void check_ident(parser *p, const token *t, int binding) {
  int k = t->kw;
  if (!k) return;
  if (k <= K_WITH) fail(p, t->a, "Unexpected keyword '%s'", text8(p, t->a, t->b));
  if (k == K_AWAIT) {
    if (p->module) fail(p, t->a, "Cannot use 'await' as an identifier in a module");
    if (p->c.aw != AW_IDENT) fail(p, t->a, "Cannot use 'await' as an identifier here");
  } else if (k == K_YIELD) {
    if (p->module) fail(p, t->a, "Cannot use 'yield' as an identifier in a module");
    if (p->c.yd != Y_IDENT) fail(p, t->a, "Cannot use 'yield' as an identifier inside a generator");
  } else if (p->module && k >= K_LET && k <= K_PUBLIC) {
    fail(p, t->a, "Cannot use the reserved word '%s' as an identifier in strict mode",
         text8(p, t->a, t->b));
  } else if (binding && p->module && (k == K_EVAL || k == K_ARGUMENTS)) {
    fail(p, t->a, "Cannot declare a variable named '%s' in strict mode", text8(p, t->a, t->b));
  }
}

/* Records a reference to identifier t; returns its index in p->refs or -1. */
static long reference(parser *p, const token *t, int kind) {
  if (!p->module) return -1;
  if (t->kw == K_ARGUMENTS) {
    if (p->c.args == ARGS_TOP) {
      if (kind == R_SHORTHAND) {
        ed_lit(p, t->b, 0, 0, ":\1h.arguments");
      } else {
        ed_lit(p, t->a, 0, 2, "\1h.");
        p->args_edit = p->edits.n - 1;
        p->args_pos = t->a;
      }
    } else if (p->c.args == ARGS_ERR) {
      fail(p, t->a, "Cannot reference 'arguments' in a class field initializer or static block");
    }
    return -1;
  }
  long id = inter_lookup(p, t);
  if (id < 0) return -1;
  ref *r = VPUSH(p, p->refs);
  r->id = (uint32_t)id;
  r->kind = (uint8_t)kind;
  r->init = p->init_depth;
  r->stmt = t->a == p->stmt_start;
  r->a = t->a;
  r->b = t->b;
  return (long)p->refs.n - 1;
}

static void add_export_name(parser *p, nref name, size_t pos) {
  int inserted;
  hinsert(p, &p->export_names, name, 0, &inserted);
  if (inserted) return;
  static const uint16_t def[7] = {'d', 'e', 'f', 'a', 'u', 'l', 't'};
  if (name_eq(p, name, def, 7)) fail(p, pos, "Only one 'default' export is allowed.");
  fail(p, pos, "Cannot export a duplicate name '%s'.", name8(p, name));
}

/* A local export entry; check: the local name must be verified at the end (export {a}). */
static void add_local_export(parser *p, nref exp, nref local, size_t exp_pos, size_t local_pos,
                             int check) {
  add_export_name(p, exp, exp_pos);
  export_ent *e = VPUSH(p, p->exports);
  e->export = exp;
  e->local = local;
  e->pos = check ? local_pos : (size_t)-1;
}

static void push_tldecl(parser *p, nref name, size_t pos, int kind) {
  tldecl *d = VPUSH(p, p->tldecls);
  d->name = name;
  d->pos = pos;
  d->kind = (uint8_t)kind;
}

/* Declares binding identifier t of the given kind in the current scope. */
static void declare(parser *p, const token *t, int kind) {
  if (t->t != T_NAME) unexpected(p);
  check_ident(p, t, 1);
  if (!p->module) return;
  int top = kind == D_VAR ? p->fn_depth == 0
          : (kind == D_PARAM || kind == D_CATCH) ? 0
          : p->decl_top;
  if (top) {
    nref nm = tok_name(t);
    push_tldecl(p, nm, t->a, kind);
    if (p->export_collect) add_local_export(p, nm, nm, t->a, t->a, 0);
  }
  long id = inter_lookup(p, t);
  if (id >= 0) {
    decl *d = VPUSH(p, p->decls);
    d->id = (uint32_t)id;
    d->owner = kind == D_VAR ? var_scope(p) : p->scopes.n - 1;
  }
}

/* ---- parser: expressions ------------------------------------------------------------------ */

static void parse_arguments(parser *p) {
  next(p);
  while (!at(p, T_RPAREN)) {
    if (at(p, T_ELLIPSIS)) next(p);
    parse_assign(p, 0);
    if (!at(p, T_COMMA)) break;
    next(p);
  }
  expect(p, T_RPAREN);
}

static void parse_template(parser *p) {
  while (!p->cur.tail) {
    next(p);
    parse_expression(p, 0);
    if (!at(p, T_RBRACE)) unexpected(p);
    rescan_template(p);
  }
  next(p);
}

static void parse_body_until_rbrace(parser *p) {
  while (!at(p, T_RBRACE)) {
    if (at(p, T_EOF)) unexpected(p);
    parse_statement(p, 0);
  }
}

/* After the parameters (their scope on top of the stack): => and the body. */
static void parse_arrow_body(parser *p, int async) {
  ctx save = p->c;
  int dt = p->decl_top, ec = p->export_collect;
  p->decl_top = p->export_collect = 0;
  p->c.aw = async ? AW_ASYNC : p->module ? AW_RESERVED : AW_IDENT;
  p->c.yd = p->module ? Y_ERROR : Y_IDENT;
  p->c.ret = 1;
  p->c.top = 0;
  p->fn_depth++;
  next(p);
  scope_push(p, SC_BODY);
  if (at(p, T_LBRACE)) {
    next(p);
    parse_body_until_rbrace(p);
    next(p);
  } else {
    parse_assign(p, 0);
  }
  scope_pop(p);
  p->fn_depth--;
  p->c = save;
  p->decl_top = dt;
  p->export_collect = ec;
  scope_pop(p);
}

/* Property names: identifier names, strings, numbers, private names, [computed]. */
static void parse_property_key(parser *p) {
  switch (p->cur.t) {
    case T_NAME:
    case T_STR:
    case T_NUM:
    case T_PRIVATE:
      next(p);
      return;
    case T_LBRACK:
      next(p);
      p->init_depth++;
      parse_assign(p, 0);
      p->init_depth--;
      expect(p, T_RBRACK);
      return;
    default:
      unexpected(p);
  }
}

static void parse_object_property(parser *p) {
  token key = p->cur;
  if (key.t == T_NAME && !key.esc && (key.kw == K_GET || key.kw == K_SET || key.kw == K_ASYNC)) {
    next(p);
    int t = p->cur.t;
    if (!(t == T_COMMA || t == T_RBRACE || t == T_COLON || t == T_LPAREN || t == T_ASSIGN ||
          (key.kw == K_ASYNC && p->cur.nl))) {
      int async = key.kw == K_ASYNC, gen = 0;
      if (async && at(p, T_STAR)) {
        gen = 1;
        next(p);
      }
      parse_property_key(p);
      parse_function_rest(p, async, gen, NULL);
      return;
    }
  } else if (at(p, T_STAR)) {
    next(p);
    parse_property_key(p);
    parse_function_rest(p, 0, 1, NULL);
    return;
  } else {
    parse_property_key(p);
  }
  if (at(p, T_LPAREN)) {
    parse_function_rest(p, 0, 0, NULL);
  } else if (at(p, T_COLON)) {
    next(p);
    parse_assign(p, 0);
  } else if (key.t == T_NAME && (at(p, T_COMMA) || at(p, T_RBRACE) || at(p, T_ASSIGN))) {
    check_ident(p, &key, 0);
    reference(p, &key, R_SHORTHAND);
    if (at(p, T_ASSIGN)) {
      next(p);
      p->init_depth++;
      parse_assign(p, 0);
      p->init_depth--;
    }
  } else {
    unexpected(p);
  }
}

static void parse_object(parser *p) {
  next(p);
  while (!at(p, T_RBRACE)) {
    if (at(p, T_ELLIPSIS)) {
      next(p);
      parse_assign(p, 0);
    } else {
      parse_object_property(p);
    }
    if (!at(p, T_COMMA)) break;
    next(p);
  }
  expect(p, T_RBRACE);
}

static void parse_array(parser *p) {
  next(p);
  while (!at(p, T_RBRACK)) {
    if (at(p, T_COMMA)) {
      next(p);
      continue;
    }
    if (at(p, T_ELLIPSIS)) next(p);
    parse_assign(p, 0);
    if (!at(p, T_COMMA)) break;
    next(p);
  }
  expect(p, T_RBRACK);
}

/* ( ... ): a parenthesized expression, or an arrow function's parameters. */
static int parse_paren(parser *p) {
  next(p);
  scope_push(p, SC_PAREN);
  int n = 0, info = 0, arrow_only = 0;
  while (!at(p, T_RPAREN)) {
    if (at(p, T_ELLIPSIS)) {
      next(p);
      arrow_only = 1;
    }
    info = parse_assign(p, 0);
    n++;
    if (!at(p, T_COMMA)) break;
    next(p);
    if (at(p, T_RPAREN)) arrow_only = 1;
  }
  if (!n) arrow_only = 1;
  expect(p, T_RPAREN);
  if (at(p, T_ARROW) && !p->cur.nl) {
    paren_to_params(p);
    parse_arrow_body(p, 0);
    return E_ARROW;
  }
  if (arrow_only) unexpected(p);
  scope_pop(p);
  return n == 1 && (info & (E_IDENT | E_PIDENT)) ? E_PIDENT : 0;
}

static void parse_function_expr(parser *p, int async) {
  next(p);
  int gen = 0;
  if (at(p, T_STAR)) {
    gen = 1;
    next(p);
  }
  token name;
  int named = at(p, T_NAME);
  if (named) {
    name = p->cur;
    next(p);
  }
  parse_function_rest(p, async, gen, named ? &name : NULL);
}

/* async: a function, an arrow function, a call of something named async, or that name. */
static int parse_async(parser *p) {
  token kw = p->cur;
  const token *nx = peek(p);
  if (nx->t == T_NAME && !nx->nl) {
    if (is_kw(nx, K_FUNCTION)) {
      next(p);
      parse_function_expr(p, 1);
      return 0;
    }
    if (nx->kw != K_IN && nx->kw != K_INSTANCEOF) {
      next(p);
      token id = p->cur;
      next(p);
      if (!at(p, T_ARROW) || p->cur.nl) unexpected(p);
      scope_push(p, SC_PARAMS);
      ctx save = p->c;
      p->c.aw = AW_PARAM;
      declare(p, &id, D_PARAM);
      p->c = save;
      parse_arrow_body(p, 1);
      return E_ARROW;
    }
  }
  if (nx->t == T_LPAREN && !nx->nl) {
    next(p);
    scope_push(p, SC_PAREN);
    parse_arguments(p);
    if (at(p, T_ARROW) && !p->cur.nl) {
      paren_to_params(p);
      parse_arrow_body(p, 1);
      return E_ARROW;
    }
    scope_pop(p);
    reference(p, &kw, R_CALL);
    return 0;
  }
  next(p);
  p->e_ref = reference(p, &kw, R_PLAIN);
  p->e_a = kw.a;
  p->e_b = kw.b;
  return E_IDENT;
}

static int parse_primary(parser *p) {
  token *t = &p->cur;
  switch (t->t) {
    case T_NAME: {
      if (!t->esc) {
        switch (t->kw) {
          case K_THIS:
          case K_NULL:
          case K_TRUE:
          case K_FALSE:
            next(p);
            return 0;
          case K_FUNCTION:
            parse_function_expr(p, 0);
            return 0;
          case K_CLASS:
            parse_class(p, 0, 0, NULL);
            return 0;
          case K_ASYNC:
            return parse_async(p);
          case K_YIELD:
            if (p->c.yd != Y_IDENT) yield_error(p);
            break;
          default:
            break;
        }
      }
      token id = *t;
      next(p);
      if (at(p, T_ARROW) && !p->cur.nl) {
        scope_push(p, SC_PARAMS);
        declare(p, &id, D_PARAM);
        parse_arrow_body(p, 0);
        return E_ARROW;
      }
      check_ident(p, &id, 0);
      p->e_ref = reference(p, &id, R_PLAIN);
      p->e_a = id.a;
      p->e_b = id.b;
      return E_IDENT;
    }
    case T_NUM:
    case T_STR:
    case T_REGEX:
    case T_PRIVATE:
      next(p);
      return 0;
    case T_SLASH:
    case T_SLASHEQ:
      rescan_regex(p);
      next(p);
      return 0;
    case T_TEMPLATE:
      parse_template(p);
      return 0;
    case T_LPAREN:
      return parse_paren(p);
    case T_LBRACK:
      parse_array(p);
      return 0;
    case T_LBRACE:
      parse_object(p);
      return 0;
    default:
      unexpected(p);
  }
}

static void parse_member_name(parser *p) {
  if (!at(p, T_NAME) && !at(p, T_PRIVATE)) unexpected(p);
  next(p);
}

static void parse_import_expr(parser *p) {
  token kw = p->cur;
  next(p);
  if (at(p, T_LPAREN)) {
    if (p->module) {
      ed_lit(p, kw.a, kw.b - kw.a, 1, "\1h.import");
    } else if (p->import_name) {
      ed_new(p, kw.a, kw.b - kw.a, 1, ED_TEXT);
      pc_add(p, PC_U16, NULL, p->import_name, 0, p->import_name_len);
    }
    parse_arguments(p);
    return;
  }
  if (at(p, T_DOT)) {
    next(p);
    if (!is_kw(&p->cur, K_META)) unexpected(p);
    if (p->module) ed_lit(p, kw.a, kw.b - kw.a, 1, "\1h");
    next(p);
    return;
  }
  unexpected(p);
}

static int parse_new(parser *p) {
  enter(p);
  size_t a = p->cur.a;
  next(p);
  if (at(p, T_DOT)) {
    next(p);
    if (!is_kw(&p->cur, K_TARGET)) unexpected(p);
    if (p->module && !p->c.nt) fail(p, a, "new.target is only valid inside functions or static blocks");
    next(p);
    LEAVE(p);
    return 0;
  }
  if (is_kw(&p->cur, K_NEW)) {
    parse_new(p);
  } else if (is_kw(&p->cur, K_SUPER)) {
    next(p);
  } else if (is_kw(&p->cur, K_IMPORT)) {
    unexpected(p);
  } else if (parse_primary(p) & E_ARROW) {
    fail(p, a, "Unexpected arrow function after new");
  }
  for (;;) {
    if (at(p, T_DOT)) {
      next(p);
      parse_member_name(p);
    } else if (at(p, T_LBRACK)) {
      next(p);
      parse_expression(p, 0);
      expect(p, T_RBRACK);
    } else if (at(p, T_TEMPLATE)) {
      parse_template(p);
    } else {
      break;
    }
  }
  if (at(p, T_LPAREN)) parse_arguments(p);
  LEAVE(p);
  return 0;
}

/* An identifier being called keeps no `this`: (0,I.x)(...). */
static void mark_call(parser *p, int info) {
  if ((info & (E_IDENT | E_PIDENT)) && p->e_ref >= 0) p->refs.v[p->e_ref].kind = R_CALL;
}

static int parse_lhs(parser *p) {
  int info;
  if (is_kw(&p->cur, K_NEW)) {
    info = parse_new(p);
  } else if (is_kw(&p->cur, K_SUPER)) {
    next(p);
    info = 0;
  } else if (is_kw(&p->cur, K_IMPORT)) {
    parse_import_expr(p);
    info = 0;
  } else {
    info = parse_primary(p);
    if (info & E_ARROW) return info;
  }
  for (;;) {
    switch (p->cur.t) {
      case T_DOT:
        next(p);
        parse_member_name(p);
        break;
      case T_QDOT:
        if ((info & (E_IDENT | E_PIDENT)) && peek(p)->t == T_LPAREN) mark_call(p, info);
        next(p);
        if (at(p, T_LPAREN)) {
          parse_arguments(p);
        } else if (at(p, T_LBRACK)) {
          next(p);
          parse_expression(p, 0);
          expect(p, T_RBRACK);
        } else {
          parse_member_name(p);
        }
        break;
      case T_LBRACK:
        next(p);
        parse_expression(p, 0);
        expect(p, T_RBRACK);
        break;
      case T_LPAREN:
        mark_call(p, info);
        parse_arguments(p);
        break;
      case T_TEMPLATE:
        mark_call(p, info);
        parse_template(p);
        break;
      default:
        return info;
    }
    info = 0;
  }
}

static int parse_postfix(parser *p) {
  int info = parse_lhs(p);
  if (info & E_ARROW) return info;
  if ((at(p, T_INC) || at(p, T_DEC)) && !p->cur.nl) {
    next(p);
    return 0;
  }
  return info;
}

/* The operand of a prefix operator: never an arrow function (await x => y is no expression, and
   the (yield x => y) it would become is). */
static int unary_operand(parser *p) {
  size_t a = p->cur.a;
  int info = parse_unary(p);
  if (info & E_ARROW) fail(p, a, "Unexpected arrow function as an operand");
  return info;
}

static int parse_unary(parser *p) {
  token *t = &p->cur;
  switch (t->t) {
    case T_BANG:
    case T_TILDE:
    case T_PLUS:
    case T_MINUS:
      enter(p);
      next(p);
      unary_operand(p);
      LEAVE(p);
      return E_UNARY;
    case T_INC:
    case T_DEC:
      enter(p);
      next(p);
      unary_operand(p);
      LEAVE(p);
      return 0;
    case T_NAME:
      if (t->esc) break;
      if (t->kw == K_TYPEOF || t->kw == K_VOID || t->kw == K_DELETE) {
        int del = t->kw == K_DELETE, is_typeof = t->kw == K_TYPEOF;
        size_t a = t->a;
        enter(p);
        next(p);
        int info = unary_operand(p);
        if (is_typeof && (info & (E_IDENT | E_PIDENT)) && p->module &&
            p->edits.n && p->args_pos == p->e_a && p->args_edit == p->edits.n - 1) {
          /* typeof of the unresolvable top-level `arguments` is "undefined", not an error. */
          edit *e = &p->edits.v[p->args_edit];
          e->del = p->e_b - p->e_a;
          e->rank = 1;
          p->pieces.v[e->pc0].lit = "void 0";
        }
        if (del && p->module && (info & (E_IDENT | E_PIDENT)))
          fail(p, a, "Cannot delete unqualified property '%s' in strict mode.", text8(p, p->e_a, p->e_b));
        LEAVE(p);
        return E_UNARY;
      }
      if (t->kw == K_AWAIT) {
        switch (p->c.aw) {
          case AW_IDENT:
            break;
          case AW_TLA: {
            token aw = *t;
            enter(p);
            next(p);
            int nl = p->cur.nl;
            unary_operand(p);
            /* (yield x); a line break after yield would end it, so then (yield(\n x)). */
            const char *open = nl ? "(yield(" : "(yield";
            if (aw.a == p->stmt_start) open = nl ? "0,(yield(" : "0,(yield";
            ed_lit(p, aw.a, aw.b - aw.a, 1, open);
            ed_lit(p, p->prev_end, 0, 0, nl ? "))" : ")");
            p->tla = 1;
            LEAVE(p);
            return E_UNARY;
          }
          case AW_ASYNC:
            enter(p);
            next(p);
            unary_operand(p);
            LEAVE(p);
            return E_UNARY;
          case AW_PARAM:
            fail(p, t->a, "Cannot use 'await' within a parameter list");
          case AW_FIELD:
            fail(p, t->a, "Cannot use 'await' in a class field initializer or static block");
          default:
            fail(p, t->a, "await is only valid in async functions and the top level bodies of modules");
        }
      }
      break;
    default:
      break;
  }
  return parse_postfix(p);
}

static int binprec(const parser *p, int no_in) {
  const token *t = &p->cur;
  if (t->prec) return t->prec;
  if (t->t == T_NAME && !t->esc && (t->kw == K_INSTANCEOF || (t->kw == K_IN && !no_in))) return 8;
  return 0;
}

static int parse_binary(parser *p, int min, int no_in) {
  int info = parse_unary(p);
  if (info & E_ARROW) return info;
  int prec;
  while ((prec = binprec(p, no_in)) > min) {
    if (prec == 12 && (info & E_UNARY))
      fail(p, p->cur.a, "Unary operator used immediately before exponentiation expression. "
                        "Parenthesis must be used to disambiguate operator precedence");
    next(p);
    size_t ra = p->cur.a;
    int rinfo;
    if (prec == 12) {
      enter(p);
      rinfo = parse_binary(p, 11, no_in);
      LEAVE(p);
    } else {
      rinfo = parse_binary(p, prec, no_in);
    }
    if (rinfo & E_ARROW) fail(p, ra, "Unexpected arrow function as an operand");
    info = 0;
  }
  return info;
}

static int parse_conditional(parser *p, int no_in) {
  int info = parse_binary(p, 0, no_in);
  if ((info & E_ARROW) || !at(p, T_QUESTION)) return info;
  next(p);
  parse_assign(p, 0);
  expect(p, T_COLON);
  parse_assign(p, no_in);
  return 0;
}

static int starts_expr(const token *t) {
  switch (t->t) {
    case T_NAME: return t->esc || (t->kw != K_IN && t->kw != K_INSTANCEOF);
    case T_NUM: case T_STR: case T_TEMPLATE: case T_REGEX: case T_SLASH: case T_SLASHEQ:
    case T_LPAREN: case T_LBRACK: case T_LBRACE: case T_PLUS: case T_MINUS: case T_BANG:
    case T_TILDE: case T_INC: case T_DEC: case T_PRIVATE:
      return 1;
    default:
      return 0;
  }
}

static int parse_assign(parser *p, int no_in) {
  enter(p);
  if (is_kw(&p->cur, K_YIELD)) {
    if (p->c.yd == Y_EXPR) {
      next(p);
      if (at(p, T_STAR) && !p->cur.nl) {
        next(p);
        parse_assign(p, no_in);
      } else if (!p->cur.nl && starts_expr(&p->cur)) {
        parse_assign(p, no_in);
      }
      LEAVE(p);
      return 0;
    }
    if (p->c.yd == Y_ERROR) yield_error(p);
  }
  int info = parse_conditional(p, no_in);
  if (!(info & E_ARROW) && (at(p, T_ASSIGN) || at(p, T_OPASSIGN) || at(p, T_SLASHEQ))) {
    next(p);
    p->init_depth++;
    parse_assign(p, no_in);
    p->init_depth--;
    info = 0;
  }
  LEAVE(p);
  return info;
}

static int parse_expression(parser *p, int no_in) {
  int info = parse_assign(p, no_in);
  while (at(p, T_COMMA)) {
    next(p);
    parse_assign(p, no_in);
    info = 0;
  }
  return info;
}

/* ---- parser: functions, classes, patterns ------------------------------------------------- */

static void parse_binding_element(parser *p, int kind) {
  parse_binding_target(p, kind);
  if (at(p, T_ASSIGN)) {
    next(p);
    p->init_depth++;
    parse_assign(p, 0);
    p->init_depth--;
  }
}

static void parse_binding_target(parser *p, int kind) {
  enter(p);
  if (at(p, T_NAME)) {
    token t = p->cur;
    declare(p, &t, kind);
    next(p);
  } else if (at(p, T_LBRACK)) {
    next(p);
    while (!at(p, T_RBRACK)) {
      if (at(p, T_COMMA)) {
        next(p);
        continue;
      }
      if (at(p, T_ELLIPSIS)) {
        next(p);
        parse_binding_target(p, kind);
      } else {
        parse_binding_element(p, kind);
      }
      if (!at(p, T_COMMA)) break;
      next(p);
    }
    expect(p, T_RBRACK);
  } else if (at(p, T_LBRACE)) {
    next(p);
    while (!at(p, T_RBRACE)) {
      if (at(p, T_ELLIPSIS)) {
        next(p);
        parse_binding_target(p, kind);
      } else {
        token key = p->cur;
        parse_property_key(p);
        if (at(p, T_COLON)) {
          next(p);
          parse_binding_element(p, kind);
        } else {
          if (key.t != T_NAME) unexpected(p);
          declare(p, &key, kind);
          if (at(p, T_ASSIGN)) {
            next(p);
            p->init_depth++;
            parse_assign(p, 0);
            p->init_depth--;
          }
        }
      }
      if (!at(p, T_COMMA)) break;
      next(p);
    }
    expect(p, T_RBRACE);
  } else {
    unexpected(p);
  }
  LEAVE(p);
}

static void parse_params(parser *p) {
  if (!at(p, T_LPAREN)) unexpected(p);
  next(p);
  while (!at(p, T_RPAREN)) {
    if (at(p, T_ELLIPSIS)) {
      next(p);
      parse_binding_target(p, D_PARAM);
    } else {
      parse_binding_element(p, D_PARAM);
    }
    if (!at(p, T_COMMA)) break;
    next(p);
  }
  expect(p, T_RPAREN);
}

/* From the parameter list on: ( params ) { body }. expr_name is a function expression's name. */
static void parse_function_rest(parser *p, int async, int gen, const token *expr_name) {
  enter(p);
  ctx save = p->c;
  int dt = p->decl_top, ec = p->export_collect;
  p->decl_top = p->export_collect = 0;
  p->fn_depth++;
  scope_push(p, SC_PARAMS);
  p->c.aw = async ? AW_PARAM : p->module ? AW_RESERVED : AW_IDENT;
  p->c.yd = gen || p->module ? Y_ERROR : Y_IDENT;
  p->c.ret = 1;
  p->c.nt = 1;
  p->c.args = ARGS_FN;
  p->c.top = 0;
  if (expr_name) declare(p, expr_name, D_PARAM);
  parse_params(p);
  p->c.aw = async ? AW_ASYNC : p->module ? AW_RESERVED : AW_IDENT;
  p->c.yd = gen ? Y_EXPR : p->module ? Y_ERROR : Y_IDENT;
  if (!at(p, T_LBRACE)) unexpected(p);
  next(p);
  scope_push(p, SC_BODY);
  parse_body_until_rbrace(p);
  scope_pop(p);
  next(p);
  scope_pop(p);
  p->fn_depth--;
  p->c = save;
  p->decl_top = dt;
  p->export_collect = ec;
  LEAVE(p);
}

static void parse_static_block(parser *p) {
  ctx save = p->c;
  int dt = p->decl_top, ec = p->export_collect;
  p->decl_top = p->export_collect = 0;
  p->c.aw = AW_FIELD;
  p->c.yd = p->module ? Y_ERROR : Y_IDENT;
  p->c.ret = 0;
  p->c.nt = 1;
  p->c.args = ARGS_ERR;
  p->c.top = 0;
  p->fn_depth++;
  next(p);
  scope_push(p, SC_BODY);
  parse_body_until_rbrace(p);
  scope_pop(p);
  next(p);
  p->fn_depth--;
  p->c = save;
  p->decl_top = dt;
  p->export_collect = ec;
}

static void parse_class_element(parser *p) {
  if (at(p, T_SEMI)) {
    next(p);
    return;
  }
  token key = p->cur;
  if (is_kw(&key, K_STATIC)) {
    next(p);
    int t = p->cur.t;
    if (t == T_LBRACE) {
      parse_static_block(p);
      return;
    }
    if (t == T_LPAREN || t == T_ASSIGN || t == T_SEMI || t == T_RBRACE) goto have_key;
    key = p->cur;
  }
  if (key.t == T_NAME && !key.esc && (key.kw == K_GET || key.kw == K_SET || key.kw == K_ASYNC)) {
    next(p);
    int t = p->cur.t;
    if (t == T_LPAREN || t == T_ASSIGN || t == T_SEMI || t == T_RBRACE ||
        (key.kw == K_ASYNC && p->cur.nl))
      goto have_key;
    int async = key.kw == K_ASYNC, gen = 0;
    if (async && at(p, T_STAR)) {
      gen = 1;
      next(p);
    }
    parse_property_key(p);
    parse_function_rest(p, async, gen, NULL);
    return;
  }
  if (at(p, T_STAR)) {
    next(p);
    parse_property_key(p);
    parse_function_rest(p, 0, 1, NULL);
    return;
  }
  parse_property_key(p);
have_key:
  if (at(p, T_LPAREN)) {
    parse_function_rest(p, 0, 0, NULL);
    return;
  }
  if (at(p, T_ASSIGN)) {
    next(p);
    ctx save = p->c;
    p->c.aw = p->module || save.aw != AW_IDENT ? AW_FIELD : AW_IDENT;
    p->c.yd = p->module ? Y_ERROR : Y_IDENT;
    p->c.ret = 0;
    p->c.nt = 1;
    p->c.args = ARGS_ERR;
    p->c.top = 0;
    parse_assign(p, 0);
    p->c = save;
  }
  if (at(p, T_SEMI)) next(p);
  else if (!at(p, T_RBRACE) && !p->cur.nl) unexpected(p);
}

/* class [name] [extends X] { ... }. A declaration binds its name in the enclosing scope (at
   module top level when top); name_out receives the name token (t = T_EOF if none). */
static void parse_class(parser *p, int decl, int top, token *name_out) {
  enter(p);
  next(p);
  token name;
  int named = at(p, T_NAME) && !is_kw(&p->cur, K_EXTENDS);
  if (named) {
    name = p->cur;
    if (decl) {
      p->decl_top = top;
      declare(p, &name, D_CLASS);
      p->decl_top = 0;
    }
    next(p);
  }
  if (name_out) {
    if (named) *name_out = name;
    else name_out->t = T_EOF;
  }
  int dt = p->decl_top, ec = p->export_collect;
  p->decl_top = p->export_collect = 0;
  scope_push(p, SC_CLASS);
  if (named && !decl) declare(p, &name, D_PARAM);
  if (is_kw(&p->cur, K_EXTENDS)) {
    next(p);
    if (parse_lhs(p) & E_ARROW) unexpected(p);
  }
  if (!at(p, T_LBRACE)) unexpected(p);
  next(p);
  while (!at(p, T_RBRACE)) {
    if (at(p, T_EOF)) unexpected(p);
    parse_class_element(p);
  }
  next(p);
  scope_pop(p);
  p->decl_top = dt;
  p->export_collect = ec;
  LEAVE(p);
}

/* ---- parser: statements ------------------------------------------------------------------- */

static void parse_block(parser *p) {
  next(p);
  scope_push(p, SC_BLOCK);
  parse_body_until_rbrace(p);
  scope_pop(p);
  next(p);
}

/* In a script, `let` starts a declaration only before a name or a pattern. */
static int let_is_decl(parser *p) {
  if (p->module) return 1;
  const token *nx = peek(p);
  if (nx->t == T_LBRACK || nx->t == T_LBRACE) return 1;
  return nx->t == T_NAME && (nx->esc || (nx->kw != K_IN && nx->kw != K_INSTANCEOF));
}

static void parse_var_decls(parser *p, int kind, int no_in, int top) {
  next(p);
  for (;;) {
    p->decl_top = top;
    parse_binding_target(p, kind);
    p->decl_top = 0;
    if (at(p, T_ASSIGN)) {
      next(p);
      parse_assign(p, no_in);
    }
    if (!at(p, T_COMMA)) break;
    next(p);
  }
}

/* function [*] [name] (...) {...}; cur is `function`. Returns the position of the ( ; name_out
   receives the name (t = T_EOF when anonymous, allowed only with anon). */
static size_t parse_function_decl(parser *p, int async, int top, int anon, token *name_out) {
  next(p);
  int gen = 0;
  if (at(p, T_STAR)) {
    gen = 1;
    next(p);
  }
  if (at(p, T_NAME)) {
    token name = p->cur;
    p->decl_top = top;
    declare(p, &name, D_FUNCTION);
    p->decl_top = 0;
    if (name_out) *name_out = name;
    next(p);
  } else if (!anon) {
    unexpected(p);
  } else if (name_out) {
    name_out->t = T_EOF;
  }
  size_t lparen = p->cur.a;
  parse_function_rest(p, async, gen, NULL);
  return lparen;
}

static void parse_try(parser *p) {
  next(p);
  if (!at(p, T_LBRACE)) unexpected(p);
  parse_block(p);
  int handlers = 0;
  if (is_kw(&p->cur, K_CATCH)) {
    handlers++;
    next(p);
    scope_push(p, SC_BLOCK);
    if (at(p, T_LPAREN)) {
      next(p);
      parse_binding_target(p, D_CATCH);
      expect(p, T_RPAREN);
    }
    if (!at(p, T_LBRACE)) unexpected(p);
    parse_block(p);
    scope_pop(p);
  }
  if (is_kw(&p->cur, K_FINALLY)) {
    handlers++;
    next(p);
    if (!at(p, T_LBRACE)) unexpected(p);
    parse_block(p);
  }
  if (!handlers) unexpected(p);
}

static void parse_switch(parser *p) {
  next(p);
  expect(p, T_LPAREN);
  parse_expression(p, 0);
  expect(p, T_RPAREN);
  if (!at(p, T_LBRACE)) unexpected(p);
  next(p);
  scope_push(p, SC_BLOCK);
  while (!at(p, T_RBRACE)) {
    if (is_kw(&p->cur, K_CASE)) {
      next(p);
      parse_expression(p, 0);
      expect(p, T_COLON);
    } else if (is_kw(&p->cur, K_DEFAULT)) {
      next(p);
      expect(p, T_COLON);
    } else {
      if (at(p, T_EOF)) unexpected(p);
      parse_statement(p, 0);
    }
  }
  scope_pop(p);
  next(p);
}

/* Top-level for await (HEAD of EXPR) BODY, for a generator that awaits by yielding:
   {let S=H.fa(EXPR);try{while(yield S.next()){HEAD=S.value; BODY}}catch(E){S.fail(E)}
   finally{yield S.close()}}. HEAD moves after EXPR (its line breaks travel with it). */
static void desugar_for_await(parser *p, size_t for_a, size_t head_a, size_t head_b, size_t of_b,
                              size_t expr_b, size_t rp_b, size_t body_b, int is_decl,
                              const size_t *lab, unsigned nlab) {
  unsigned k = p->fa_count++;
  /* Labels of the loop move onto the while, for continue L and break L. */
  for (unsigned i = 0; i < nlab; i++) ed_blank(p, lab[3 * i], lab[3 * i + 2]);
  ed_new(p, for_a, head_a - for_a, 1, ED_TEXT);
  PC_L(p, "{let \1s");
  PC_N(p, k);
  PC_L(p, "=\1h.fa(");
  ed_new(p, head_a, of_b - head_a, 1, ED_MOVE);
  p->edits.v[p->edits.n - 1].aux = head_b;
  ed_new(p, expr_b, rp_b - expr_b, 1, ED_TEXT);
  PC_L(p, ");try{");
  for (unsigned i = 0; i < nlab; i++) {
    pc_add(p, PC_SRC, NULL, NULL, lab[3 * i], lab[3 * i + 1]);
    PC_L(p, ":");
  }
  PC_L(p, "while(yield \1s");
  PC_N(p, k);
  PC_L(p, is_decl ? ".next()){" : ".next()){(");
  pc_add(p, PC_SRCED, NULL, NULL, head_a, head_b);
  PC_L(p, "=\1s");
  PC_N(p, k);
  PC_L(p, is_decl ? ".value;" : ".value);");
  ed_new(p, body_b, 0, 0, ED_TEXT);
  PC_L(p, "}}catch(\1e");
  PC_N(p, k);
  PC_L(p, "){\1s");
  PC_N(p, k);
  PC_L(p, ".fail(\1e");
  PC_N(p, k);
  PC_L(p, ")}finally{yield \1s");
  PC_N(p, k);
  PC_L(p, ".close()}}");
  p->tla = 1;
}

static void parse_for(parser *p, unsigned nlab) {
  size_t lab[3 * 8];
  memcpy(lab, p->lab, nlab * 3 * sizeof *lab);
  size_t for_a = p->cur.a;
  next(p);
  int is_await = 0;
  if (is_kw(&p->cur, K_AWAIT)) {
    if (p->c.aw != AW_TLA && p->c.aw != AW_ASYNC)
      fail(p, p->cur.a, "for await is only valid in async functions and the top level bodies of modules");
    is_await = 1;
    next(p);
  }
  if (!at(p, T_LPAREN)) unexpected(p);
  next(p);
  scope_push(p, SC_BLOCK);
  size_t head_a = p->cur.a, head_b = head_a;
  int kind = -1, of = 0, in = 0;
  if (!at(p, T_SEMI)) {
    const token *t = &p->cur;
    int k = t->t == T_NAME && !t->esc ? t->kw : 0;
    if (k == K_VAR || k == K_CONST || (k == K_LET && let_is_decl(p))) {
      kind = k == K_VAR ? D_VAR : k == K_CONST ? D_CONST : D_LET;
      parse_var_decls(p, kind, 1, 0);
    } else {
      parse_expression(p, 1);
    }
    head_b = p->prev_end;
    if (is_kw(&p->cur, K_OF)) of = 1;
    else if (is_kw(&p->cur, K_IN)) in = 1;
  }
  if (of || in) {
    size_t of_b = p->cur.b;
    next(p);
    if (of) parse_assign(p, 0);
    else parse_expression(p, 0);
    size_t expr_b = p->prev_end;
    if (!at(p, T_RPAREN)) unexpected(p);
    size_t rp_b = p->cur.b;
    next(p);
    if (is_await && !of) fail(p, for_a, "for await requires an of clause");
    parse_statement(p, ST_SUB);
    if (is_await && p->module && p->c.aw == AW_TLA)
      desugar_for_await(p, for_a, head_a, head_b, of_b, expr_b, rp_b, p->prev_end, kind >= 0, lab, nlab);
  } else {
    if (is_await) unexpected(p);
    expect(p, T_SEMI);
    if (!at(p, T_SEMI)) parse_expression(p, 0);
    expect(p, T_SEMI);
    if (!at(p, T_RPAREN)) parse_expression(p, 0);
    expect(p, T_RPAREN);
    parse_statement(p, ST_SUB);
  }
  scope_pop(p);
}

/* ---- parser: import and export declarations ------------------------------------------------ */

static nref export_name(parser *p) {
  nref r;
  if (at(p, T_NAME)) {
    r = tok_name(&p->cur);
  } else if (at(p, T_STR)) {
    int lone;
    r = string_value(p, &p->cur, &lone);
    if (lone) fail(p, p->cur.a, "Expected a well-formed-unicode string for the module export name");
  } else {
    unexpected(p);
  }
  next(p);
  return r;
}

static int attr_cmp(const parser *p, nref a, nref b) {
  const uint16_t *x = nptr(p, a), *y = nptr(p, b);
  size_t n = a.len < b.len ? a.len : b.len;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return a.len < b.len ? -1 : a.len > b.len;
}

/* ModuleSpecifier [with { key: 'value', ... }] ; -> the index of the (deduplicated) request. */
static size_t parse_request(parser *p) {
  if (!at(p, T_STR)) unexpected(p);
  nref spec = string_value(p, &p->cur, NULL);
  next(p);
  size_t a0 = p->attrs.n;
  if (is_kw(&p->cur, K_WITH)) {
    next(p);
    expect(p, T_LBRACE);
    while (!at(p, T_RBRACE)) {
      token key = p->cur;
      nref kv;
      if (key.t == T_STR) kv = string_value(p, &key, NULL);
      else if (key.t == T_NAME) kv = tok_name(&key);
      else unexpected(p);
      next(p);
      expect(p, T_COLON);
      if (!at(p, T_STR)) unexpected(p);
      nref vv = string_value(p, &p->cur, NULL);
      next(p);
      for (size_t i = a0; i < p->attrs.n; i++)
        if (!attr_cmp(p, p->attrs.v[i].key, kv))
          fail(p, key.a, "Duplicate import attribute key '%s'", name8(p, kv));
      attr *at_ = VPUSH(p, p->attrs);
      at_->key = kv;
      at_->val = vv;
      if (!at(p, T_COMMA)) break;
      next(p);
    }
    expect(p, T_RBRACE);
  }
  consume_semi(p);
  size_t na = p->attrs.n - a0;
  for (size_t i = a0 + 1; i < p->attrs.n; i++) {
    attr x = p->attrs.v[i];
    size_t j = i;
    while (j > a0 && attr_cmp(p, p->attrs.v[j - 1].key, x.key) > 0) {
      p->attrs.v[j] = p->attrs.v[j - 1];
      j--;
    }
    p->attrs.v[j] = x;
  }
  int inserted;
  hent *first = hinsert(p, &p->req_index, spec, (uint32_t)p->requests.n, &inserted);
  size_t last = SIZE_MAX;
  for (size_t r = inserted ? SIZE_MAX : first->val; r != SIZE_MAX; r = p->requests.v[r].next_same) {
    request *q = &p->requests.v[r];
    last = r;
    if (q->nattr != na) continue;
    size_t i = 0;
    while (i < na && !attr_cmp(p, p->attrs.v[q->attr0 + i].key, p->attrs.v[a0 + i].key) &&
           !attr_cmp(p, p->attrs.v[q->attr0 + i].val, p->attrs.v[a0 + i].val))
      i++;
    if (i == na) {
      p->attrs.n = a0;
      return r;
    }
  }
  request *q = VPUSH(p, p->requests);
  q->spec = spec;
  q->attr0 = a0;
  q->nattr = na;
  q->next_same = SIZE_MAX;
  if (last != SIZE_MAX) p->requests.v[last].next_same = p->requests.n - 1;
  return p->requests.n - 1;
}

static void add_import(parser *p, nref import, int ns, const token *local) {
  if (local->t != T_NAME) unexpected(p);
  check_ident(p, local, 1);
  nref ln = tok_name(local);
  import_ent *e = VPUSH(p, p->imports);
  e->req = 0;
  e->import = import;
  e->ns = ns;
  e->local = ln;
  e->pos = local->a;
  push_tldecl(p, ln, local->a, D_IMPORT);
  inter_add(p, ln, ns);
  if (p->seen_code) p->late_import = 1;
}

static void parse_import_decl(parser *p) {
  size_t a = p->cur.a, i0 = p->imports.n;
  next(p);
  if (!at(p, T_STR)) {
    int more = 1;
    if (at(p, T_NAME)) {
      token t = p->cur;
      next(p);
      add_import(p, p->nm_default, 0, &t);
      if (at(p, T_COMMA)) next(p);
      else more = 0;
    }
    if (more) {
      if (at(p, T_STAR)) {
        next(p);
        if (!is_kw(&p->cur, K_AS)) unexpected(p);
        next(p);
        token t = p->cur;
        next(p);
        add_import(p, p->nm_default, 1, &t);
      } else if (at(p, T_LBRACE)) {
        next(p);
        while (!at(p, T_RBRACE)) {
          token nm = p->cur;
          nref imp;
          if (nm.t == T_STR) {
            imp = export_name(p);
            if (!is_kw(&p->cur, K_AS)) unexpected(p);
          } else if (nm.t == T_NAME) {
            imp = tok_name(&nm);
            next(p);
          } else {
            unexpected(p);
          }
          token local = nm;
          if (is_kw(&p->cur, K_AS)) {
            next(p);
            local = p->cur;
            next(p);
          }
          add_import(p, imp, 0, &local);
          if (!at(p, T_COMMA)) break;
          next(p);
        }
        expect(p, T_RBRACE);
      } else {
        unexpected(p);
      }
    }
    if (!is_kw(&p->cur, K_FROM)) unexpected(p);
    next(p);
  }
  size_t req = parse_request(p);
  for (size_t i = i0; i < p->imports.n; i++) p->imports.v[i].req = req;
  ed_blank_stmt(p, a, p->prev_end);
}

static void parse_export_default(parser *p, size_t ex_a) {
  size_t def_a = p->cur.a, def_b = p->cur.b;
  next(p);
  add_export_name(p, p->nm_default, def_a);
  export_ent *e;
  int is_async = 0;
  if (is_kw(&p->cur, K_ASYNC)) {
    const token *nx = peek(p);
    is_async = is_kw(nx, K_FUNCTION) && !nx->nl;
  }
  if (is_async || is_kw(&p->cur, K_FUNCTION)) {
    if (is_async) next(p);
    token name;
    size_t lp = parse_function_decl(p, is_async, 1, 1, &name);
    ed_blank(p, ex_a, def_b);
    e = VPUSH(p, p->exports);
    e->export = p->nm_default;
    e->pos = (size_t)-1;
    if (name.t == T_NAME) {
      e->local = tok_name(&name);
    } else {
      ed_lit(p, lp, 0, 2, " \1d");
      e->local.off = (size_t)-1; /* D */
      p->anon_default_fn = 1;
    }
    return;
  }
  if (is_kw(&p->cur, K_CLASS)) {
    const token *nx = peek(p);
    if (nx->t == T_NAME && !is_kw(nx, K_EXTENDS)) {
      token name;
      ed_blank(p, ex_a, def_b);
      parse_class(p, 1, 1, &name);
      e = VPUSH(p, p->exports);
      e->export = p->nm_default;
      e->local = tok_name(&name);
      e->pos = (size_t)-1;
      return;
    }
    ed_lit(p, ex_a, def_b - ex_a, 1, "let \1d={default:");
    parse_class(p, 0, 0, NULL);
    ed_lit(p, p->prev_end, 0, 0, "}.default;");
  } else {
    ed_lit(p, ex_a, def_b - ex_a, 1, "let \1d={default:");
    parse_assign(p, 0);
    size_t end = p->prev_end;
    if (at(p, T_SEMI)) {
      ed_lit(p, end, 0, 0, "}.default");
      next(p);
    } else {
      consume_semi(p);
      ed_lit(p, end, 0, 0, "}.default;");
    }
  }
  e = VPUSH(p, p->exports);
  e->export = p->nm_default;
  e->local.off = (size_t)-1;
  e->pos = (size_t)-1;
}

static void parse_export_decl(parser *p) {
  size_t ex_a = p->cur.a, ex_b = p->cur.b;
  next(p);
  if (at(p, T_STAR)) {
    next(p);
    if (is_kw(&p->cur, K_AS)) {
      next(p);
      size_t npos = p->cur.a;
      nref name = export_name(p);
      if (!is_kw(&p->cur, K_FROM)) unexpected(p);
      next(p);
      size_t req = parse_request(p);
      add_export_name(p, name, npos);
      reexport_ent *r = VPUSH(p, p->reexports);
      r->export = name;
      r->req = req;
      r->ns = 1;
    } else {
      if (!is_kw(&p->cur, K_FROM)) unexpected(p);
      next(p);
      *VPUSH(p, p->stars) = parse_request(p);
    }
    ed_blank_stmt(p, ex_a, p->prev_end);
    return;
  }
  if (at(p, T_LBRACE)) {
    next(p);
    p->specs.n = 0;
    while (!at(p, T_RBRACE)) {
      spec_tmp *st = VPUSH(p, p->specs);
      st->local = p->cur;
      st->local_name = export_name(p);
      st->exp = st->local_name;
      st->exp_pos = st->local.a;
      if (is_kw(&p->cur, K_AS)) {
        next(p);
        st->exp_pos = p->cur.a;
        st->exp = export_name(p);
      }
      if (!at(p, T_COMMA)) break;
      next(p);
    }
    expect(p, T_RBRACE);
    int from = is_kw(&p->cur, K_FROM);
    size_t req = 0;
    if (from) {
      next(p);
      req = parse_request(p);
    } else {
      consume_semi(p);
    }
    for (size_t i = 0; i < p->specs.n; i++) {
      spec_tmp *st = &p->specs.v[i];
      if (from) {
        add_export_name(p, st->exp, st->exp_pos);
        reexport_ent *r = VPUSH(p, p->reexports);
        r->export = st->exp;
        r->req = req;
        r->import = st->local_name;
        r->ns = 0;
        continue;
      }
      if (st->local.t == T_STR)
        fail(p, st->local.a, "A string cannot be used as an exported binding without 'from'");
      if (st->local.kw && st->local.kw <= K_PUBLIC)
        fail(p, st->local.a, "Exported binding '%s' needs to refer to a top-level declared variable.",
             name8(p, st->local_name));
      add_local_export(p, st->exp, st->local_name, st->exp_pos, st->local.a, 1);
    }
    ed_blank_stmt(p, ex_a, p->prev_end);
    return;
  }
  const token *t = &p->cur;
  if (t->t == T_NAME && !t->esc) {
    token name;
    switch (t->kw) {
      case K_VAR:
      case K_LET:
      case K_CONST:
        ed_blank(p, ex_a, ex_b);
        p->export_collect = 1;
        parse_var_decls(p, t->kw == K_VAR ? D_VAR : t->kw == K_LET ? D_LET : D_CONST, 0, 1);
        p->export_collect = 0;
        consume_semi(p);
        return;
      case K_ASYNC: {
        const token *nx = peek(p);
        if (!is_kw(nx, K_FUNCTION) || nx->nl) break;
        ed_blank(p, ex_a, ex_b);
        next(p);
        parse_function_decl(p, 1, 1, 0, &name);
        nref nm = tok_name(&name);
        add_local_export(p, nm, nm, name.a, name.a, 0);
        return;
      }
      case K_FUNCTION: {
        ed_blank(p, ex_a, ex_b);
        parse_function_decl(p, 0, 1, 0, &name);
        nref nm = tok_name(&name);
        add_local_export(p, nm, nm, name.a, name.a, 0);
        return;
      }
      case K_CLASS: {
        ed_blank(p, ex_a, ex_b);
        parse_class(p, 1, 1, &name);
        if (name.t != T_NAME) fail(p, ex_a, "Exported class needs a name");
        nref nm = tok_name(&name);
        add_local_export(p, nm, nm, name.a, name.a, 0);
        return;
      }
      case K_DEFAULT:
        parse_export_default(p, ex_a);
        return;
      default:
        break;
    }
  }
  unexpected(p);
}

static void parse_statement(parser *p, int flags) {
  enter(p);
  const token *t = &p->cur;
  unsigned nlab = p->nlab; /* labels in p->lab are this statement's */
  p->nlab = 0;
  int top = flags & ST_TOP;
  token name;
  switch (t->t) {
    case T_LBRACE:
      parse_block(p);
      goto out;
    case T_SEMI:
      next(p);
      goto out;
    case T_NAME:
      break;
    default:
      goto expr;
  }
  if ((flags & ST_SUB) && p->module && !t->esc &&
      (t->kw == K_LET || t->kw == K_CONST || t->kw == K_CLASS || t->kw == K_FUNCTION ||
       (t->kw == K_ASYNC && is_kw(peek(p), K_FUNCTION) && !p->pk.nl)))
    /* The for await rewrite wraps its body in a block, where JSC would accept this. */
    fail(p, t->a, "Lexical declaration cannot appear in a single-statement context");
  if (!t->esc) {
    switch (t->kw) {
      case K_VAR:
        parse_var_decls(p, D_VAR, 0, top);
        consume_semi(p);
        goto out;
      case K_CONST:
        parse_var_decls(p, D_CONST, 0, top);
        consume_semi(p);
        goto out;
      case K_LET:
        if (!let_is_decl(p)) break;
        parse_var_decls(p, D_LET, 0, top);
        consume_semi(p);
        goto out;
      case K_FUNCTION:
        parse_function_decl(p, 0, top, 0, NULL);
        goto out;
      case K_ASYNC: {
        const token *nx = peek(p);
        if (!is_kw(nx, K_FUNCTION) || nx->nl) break;
        next(p);
        parse_function_decl(p, 1, top, 0, NULL);
        goto out;
      }
      case K_CLASS:
        parse_class(p, 1, top, &name);
        if (name.t != T_NAME) fail(p, p->prev_end, "Class statements require a name");
        goto out;
      case K_IF:
        next(p);
        expect(p, T_LPAREN);
        parse_expression(p, 0);
        expect(p, T_RPAREN);
        parse_statement(p, ST_SUB);
        if (is_kw(&p->cur, K_ELSE)) {
          next(p);
          parse_statement(p, ST_SUB);
        }
        goto out;
      case K_FOR:
        parse_for(p, nlab);
        goto out;
      case K_WHILE:
      case K_WITH:
        next(p);
        expect(p, T_LPAREN);
        parse_expression(p, 0);
        expect(p, T_RPAREN);
        parse_statement(p, ST_SUB);
        goto out;
      case K_DO:
        next(p);
        parse_statement(p, ST_SUB);
        if (!is_kw(&p->cur, K_WHILE)) unexpected(p);
        next(p);
        expect(p, T_LPAREN);
        parse_expression(p, 0);
        expect(p, T_RPAREN);
        if (at(p, T_SEMI)) next(p);
        goto out;
      case K_RETURN:
        if (!p->c.ret) fail(p, t->a, "Return statements are only valid inside functions");
        next(p);
        if (!at(p, T_SEMI) && !at(p, T_RBRACE) && !at(p, T_EOF) && !p->cur.nl) parse_expression(p, 0);
        consume_semi(p);
        goto out;
      case K_BREAK:
      case K_CONTINUE:
        next(p);
        if (at(p, T_NAME) && !p->cur.nl) next(p);
        consume_semi(p);
        goto out;
      case K_THROW:
        next(p);
        if (p->cur.nl) fail(p, p->cur.a, "Illegal newline after throw");
        parse_expression(p, 0);
        consume_semi(p);
        goto out;
      case K_TRY:
        parse_try(p);
        goto out;
      case K_SWITCH:
        parse_switch(p);
        goto out;
      case K_DEBUGGER:
        next(p);
        consume_semi(p);
        goto out;
      case K_IMPORT: {
        const token *nx = peek(p);
        if (!p->module || nx->t == T_LPAREN || nx->t == T_DOT) break;
        if (!top) fail(p, t->a, "import declarations may only appear at top level of a module");
        parse_import_decl(p);
        goto out;
      }
      case K_EXPORT:
        if (!p->module) unexpected(p);
        if (!top) fail(p, t->a, "export declarations may only appear at top level of a module");
        parse_export_decl(p);
        goto out;
      default:
        break;
    }
  }
  if (!t->kw || t->kw > K_WITH) {
    const token *nx = peek(p);
    if (nx->t == T_COLON) {
      token label = *t;
      check_ident(p, &label, 0);
      next(p);
      size_t colon_b = p->cur.b;
      next(p);
      p->nlab = nlab;
      if (nlab < 8) {
        p->lab[3 * nlab] = label.a;
        p->lab[3 * nlab + 1] = label.b;
        p->lab[3 * nlab + 2] = colon_b;
        p->nlab = nlab + 1;
      }
      parse_statement(p, ST_SUB);
      goto out;
    }
  }
expr: {
  /* A rewrite may not make this statement's first token a ( : after a line break, that would
     continue the statement before it. */
  size_t saved = p->stmt_start;
  p->stmt_start = p->cur.a;
  parse_expression(p, 0);
  consume_semi(p);
  p->stmt_start = saved;
}
out:
  LEAVE(p);
}

/* ---- whole-module checks ------------------------------------------------------------------ */

/* Module top level: lexical names (imports, let, const, class, function) are unique and do not
   collide with var names. JSC compiles the output as a function body, where functions may be
   redeclared and imports no longer exist, so collisions with an import or a function are checked
   here (the rest JSC reports too). Only imports and functions go into a table, usually a small
   one; every other declaration is looked up in it. The first error in source order wins. */
static void check_toplevel(parser *p) {
  htab *t = &p->scratch;
  size_t err_pos = SIZE_MAX, err_decl = 0;
  for (size_t i = 0; i < p->tldecls.n; i++) {
    tldecl *d = &p->tldecls.v[i];
    if (d->kind != D_IMPORT && d->kind != D_FUNCTION) continue;
    int inserted;
    hinsert(p, t, d->name, (uint32_t)i, &inserted);
    if (!inserted && d->pos < err_pos) {
      err_pos = d->pos;
      err_decl = i;
    }
  }
  if (t->count) {
    for (size_t i = 0; i < p->tldecls.n; i++) {
      tldecl *d = &p->tldecls.v[i];
      if (d->kind == D_IMPORT || d->kind == D_FUNCTION) continue;
      const uint16_t *s = nptr(p, d->name);
      hent *e = hfind(p, t, s, d->name.len, hash16(s, d->name.len));
      if (!e) continue;
      size_t later = d->pos > p->tldecls.v[e->val].pos ? i : e->val;
      if (p->tldecls.v[later].pos < err_pos) {
        err_pos = p->tldecls.v[later].pos;
        err_decl = later;
      }
    }
  }
  hclear(t);
  if (err_pos == SIZE_MAX) return;
  tldecl *d = &p->tldecls.v[err_decl];
  const char *nm = name8(p, d->name);
  switch (d->kind) {
    case D_IMPORT: fail(p, d->pos, "Cannot declare an imported binding name twice: '%s'.", nm);
    case D_LET: fail(p, d->pos, "Cannot declare a let variable twice: '%s'.", nm);
    case D_CONST: fail(p, d->pos, "Cannot declare a const variable twice: '%s'.", nm);
    case D_CLASS: fail(p, d->pos, "Cannot declare a class twice: '%s'.", nm);
    case D_FUNCTION:
      fail(p, d->pos, "Cannot declare a function that shadows a let/const/class/function variable '%s' in strict mode.", nm);
    default:
      fail(p, d->pos, "Cannot declare a var variable that shadows a let/const/class variable: '%s'.", nm);
  }
}

/* export {a}: a is declared at the top level or imported. The names of export lists go into a
   table and every top-level declaration is looked up in it. */
static void check_exported_locals(parser *p) {
  htab *t = &p->scratch;
  for (size_t i = 0; i < p->exports.n; i++) {
    int inserted;
    if (p->exports.v[i].pos != (size_t)-1) hinsert(p, t, p->exports.v[i].local, 0, &inserted);
  }
  if (t->count) {
    for (size_t i = 0; i < p->tldecls.n; i++) {
      const uint16_t *s = nptr(p, p->tldecls.v[i].name);
      hent *e = hfind(p, t, s, p->tldecls.v[i].name.len, hash16(s, p->tldecls.v[i].name.len));
      if (e) e->val = 1;
    }
    for (size_t i = 0; i < p->exports.n; i++) {
      export_ent *x = &p->exports.v[i];
      if (x->pos == (size_t)-1) continue;
      const uint16_t *s = nptr(p, x->local);
      if (!hfind(p, t, s, x->local.len, hash16(s, x->local.len))->val)
        fail(p, x->pos, "Exported binding '%s' needs to refer to a top-level declared variable.",
             name8(p, x->local));
    }
  }

  hclear(t);
}

static void finish_module(parser *p) {
  check_toplevel(p);
  check_exported_locals(p);
  for (size_t i = 0; i < p->refs.n; i++) {
    ref *r = &p->refs.v[i];
    switch (r->kind) {
      case R_CALL:
        ed_lit(p, r->a, 0, 2, r->stmt ? "0,(0,\1i." : "(0,\1i.");
        ed_lit(p, r->b, 0, 0, ")");
        break;
      case R_SHORTHAND:
        ed_new(p, r->b, 0, 0, ED_TEXT);
        PC_L(p, ":\1i.");
        pc_add(p, PC_SRC, NULL, NULL, r->a, r->b);
        break;
      default:
        ed_lit(p, r->a, 0, 2, "\1i.");
        break;
    }
  }
}

/* ---- output ------------------------------------------------------------------------------- */

/* The prefix: "$eddy", or "$eddyK" for the smallest K >= 1 such that no identifier starts with
   it. A name "$eddy" + digits D + ... rules out the K whose decimal form is a prefix of D. */
static void choose_prefix(parser *p) {
  if (!p->eddy_names.n) {
    strcpy(p->pfx, "$eddy");
    p->pfx_len = 5;
    return;
  }
  size_t m = p->eddy_names.n * 20 + 2;
  unsigned char *blocked = calloc(m + 1, 1);
  if (!blocked) oom(p);
  for (size_t i = 0; i < p->eddy_names.n; i++) {
    nref r = p->eddy_names.v[i];
    const uint16_t *s = nptr(p, r);
    uint64_t v = 0;
    for (size_t j = 5; j < r.len && is_digit(s[j]); j++) {
      if (j == 5 && s[j] == '0') break;
      v = v * 10 + (s[j] - '0');
      if (v > m) break;
      blocked[v] = 1;
    }
  }
  size_t k = 1;
  while (blocked[k]) k++;
  free(blocked);
  snprintf(p->pfx, sizeof p->pfx, "$eddy%zu", k);
  p->pfx_len = strlen(p->pfx);
}

static void out_u16(parser *p, const uint16_t *s, size_t n) {
  if (!n) return;
  VRESERVE(p, p->out, n);
  memcpy(p->out.v + p->out.n, s, n * sizeof *s);
  p->out.n += n;
}

static void out_ascii(parser *p, const char *s) {
  VRESERVE(p, p->out, strlen(s) + 4 * p->pfx_len);
  for (; *s; s++) {
    if (*s == '\1') {
      VRESERVE(p, p->out, p->pfx_len);
      for (size_t i = 0; i < p->pfx_len; i++) p->out.v[p->out.n++] = (uint16_t)p->pfx[i];
    } else {
      *VPUSH(p, p->out) = (uint16_t)(unsigned char)*s;
    }
  }
}

static void out_num(parser *p, size_t v) {
  char b[24];
  snprintf(b, sizeof b, "%zu", v);
  out_ascii(p, b);
}

static void emit_range(parser *p, size_t lo, size_t hi, size_t e0, size_t e1);

static void emit_edit(parser *p, size_t idx) {
  const edit *e = &p->edits.v[idx];
  const uint16_t *s = p->s;
  size_t end = e->pos + e->del;
  if (e->kind != ED_TEXT) {
    VRESERVE(p, p->out, e->del);
    size_t o = p->out.n;
    for (size_t i = e->pos; i < end; i++)
      p->out.v[p->out.n++] = is_lt(s[i]) && (e->kind != ED_MOVE || i >= e->aux) ? s[i] : ' ';
    if (e->kind == ED_STMT && e->del) p->out.v[o] = ';';
    return;
  }
  for (uint32_t k = 0; k < e->pcn; k++) {
    const piece *c = &p->pieces.v[e->pc0 + k];
    switch (c->k) {
      case PC_LIT: out_ascii(p, c->lit); break;
      case PC_NUM: out_num(p, c->a); break;
      case PC_SRC: out_u16(p, s + c->a, c->b - c->a); break;
      case PC_U16: out_u16(p, c->u16, c->b); break;
      case PC_SRCED: {
        /* The moved range: the edits inside it follow its ED_MOVE edit. */
        size_t m = 0;
        while (m < p->edits.n && !(p->edits.v[m].kind == ED_MOVE && p->edits.v[m].pos == c->a)) m++;
        size_t j = m + 1;
        while (j < p->edits.n && (p->edits.v[j].pos < c->b ||
                                  (p->edits.v[j].pos == c->b && p->edits.v[j].rank == 0)))
          j++;
        emit_range(p, c->a, c->b, m + 1, j);
        e = &p->edits.v[idx];
        break;
      }
      default: break;
    }
  }
  /* Line terminators of the replaced text stay, so that lines keep their numbers. */
  for (size_t i = e->pos; i < end; i++)
    if (is_lt(s[i])) *VPUSH(p, p->out) = s[i];
}

static void emit_range(parser *p, size_t lo, size_t hi, size_t e0, size_t e1) {
  size_t cur = lo;
  for (size_t k = e0; k < e1; k++) {
    const edit *e = &p->edits.v[k];
    if (e->pos < cur || e->pos > hi) continue;
    out_u16(p, p->s + cur, e->pos - cur);
    cur = e->pos + e->del;
    emit_edit(p, k);
  }
  if (cur < hi) out_u16(p, p->s + cur, hi - cur);
}

static int edit_cmp(const void *x, const void *y) {
  const edit *a = x, *b = y;
  if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Edits come in a few sorted runs (those made while parsing, then the references): a natural
   merge sort takes them in about linear time. */
static void sort_edits(parser *p) {
  size_t n = p->edits.n;
  edit *a = p->edits.v, *tmp = malloc(n * sizeof *tmp);
  if (!tmp) oom(p);
  for (;;) {
    size_t runs = 0, i = 0, o = 0;
    while (i < n) {
      size_t m = i + 1;
      while (m < n && edit_cmp(&a[m - 1], &a[m]) <= 0) m++;
      size_t e = m;
      if (m < n) {
        e = m + 1;
        while (e < n && edit_cmp(&a[e - 1], &a[e]) <= 0) e++;
      }
      size_t x = i, y = m;
      while (x < m && y < e) tmp[o++] = edit_cmp(&a[x], &a[y]) <= 0 ? a[x++] : a[y++];
      while (x < m) tmp[o++] = a[x++];
      while (y < e) tmp[o++] = a[y++];
      runs++;
      i = e;
    }
    edit *t = a;
    a = tmp;
    tmp = t;
    if (runs <= 1) break;
  }
  if (a != p->edits.v) {
    /* The sorted copy is in the scratch buffer: it becomes the edit array. */
    free(p->edits.v);
    p->edits.v = a;
    p->edits.cap = n;
  } else {
    free(tmp);
  }
}

static int is_import_local(const parser *p, nref local, int *ns) {
  const uint16_t *s = nptr(p, local);
  hent *e = hfind(p, &p->inter, s, local.len, hash16(s, local.len));
  if (!e) return 0;
  *ns = p->inter_ns.v[e->val];
  return 1;
}

static void emit_output(parser *p) {
  if (p->module && p->hashbang_end) ed_blank(p, 0, p->hashbang_end);
  if (p->edits.n > 1) sort_edits(p);
  VRESERVE(p, p->out, p->n + p->n / 16 + 256);
  if (p->module) out_ascii(p, "(function*(\1h,\1i){\"use strict\";yield \1env;");
  emit_range(p, 0, p->n, 0, p->edits.n);
  if (!p->module) return;
  out_ascii(p, "\nfunction \1env(){");
  if (p->anon_default_fn) out_ascii(p, "\1h.n(\1d);");
  out_ascii(p, "return{__proto__:null,");
  htab *seen = &p->scratch;
  for (size_t i = 0; i < p->exports.n; i++) {
    export_ent *e = &p->exports.v[i];
    if (e->local.off == (size_t)-1) {
      out_ascii(p, "get \1d(){return \1d},");
      continue;
    }
    int inserted, ns = 0;
    hinsert(p, seen, e->local, 0, &inserted);
    if (!inserted) continue;
    int imported = is_import_local(p, e->local, &ns);
    if (imported && !ns) continue;
    const uint16_t *s = nptr(p, e->local);
    out_ascii(p, "get ");
    out_u16(p, s, e->local.len);
    out_ascii(p, imported ? "(){return \1i." : "(){return ");
    out_u16(p, s, e->local.len);
    out_ascii(p, "},");
  }
  hclear(seen);
  out_ascii(p, "}}})");
}

/* ---- meta JSON ---------------------------------------------------------------------------- */

static void j_raw(parser *p, const char *s) {
  size_t n = strlen(s);
  VRESERVE(p, p->meta, n + 1);
  memcpy(p->meta.v + p->meta.n, s, n);
  p->meta.n += n;
}

static void j_str(parser *p, const uint16_t *s, size_t n) {
  char b[16];
  j_raw(p, "\"");
  for (size_t i = 0; i < n; i++) {
    uint32_t c = s[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
      snprintf(b, sizeof b, "%c%c%c%c", (char)(0xF0 | (c >> 18)), (char)(0x80 | ((c >> 12) & 0x3F)),
               (char)(0x80 | ((c >> 6) & 0x3F)), (char)(0x80 | (c & 0x3F)));
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      snprintf(b, sizeof b, "\\u%04x", (unsigned)c);
    } else if (c == '"' || c == '\\') {
      snprintf(b, sizeof b, "\\%c", (char)c);
    } else if (c < 0x20) {
      switch (c) {
        case '\n': strcpy(b, "\\n"); break;
        case '\r': strcpy(b, "\\r"); break;
        case '\t': strcpy(b, "\\t"); break;
        case '\b': strcpy(b, "\\b"); break;
        case '\f': strcpy(b, "\\f"); break;
        default: snprintf(b, sizeof b, "\\u%04x", (unsigned)c); break;
      }
    } else if (c < 0x80) {
      b[0] = (char)c;
      b[1] = 0;
    } else if (c < 0x800) {
      snprintf(b, sizeof b, "%c%c", (char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F)));
    } else {
      snprintf(b, sizeof b, "%c%c%c", (char)(0xE0 | (c >> 12)), (char)(0x80 | ((c >> 6) & 0x3F)),
               (char)(0x80 | (c & 0x3F)));
    }
    j_raw(p, b);
  }
  j_raw(p, "\"");
}

static void j_name(parser *p, nref r) { j_str(p, nptr(p, r), r.len); }

static void j_pfx(parser *p, const char *key, const char *suffix) {
  j_raw(p, key);
  j_raw(p, "\"");
  j_raw(p, p->pfx);
  j_raw(p, suffix);
  j_raw(p, "\"");
}

static void j_num(parser *p, size_t v) {
  char b[24];
  snprintf(b, sizeof b, "%zu", v);
  j_raw(p, b);
}

static void emit_meta(parser *p) {
  j_pfx(p, "{\"holder\":", "h");
  j_pfx(p, ",\"imports_object\":", "i");
  j_pfx(p, ",\"default_local\":", "d");
  j_raw(p, ",\"requests\":[");
  for (size_t i = 0; i < p->requests.n; i++) {
    request *q = &p->requests.v[i];
    j_raw(p, i ? ",{\"specifier\":" : "{\"specifier\":");
    j_name(p, q->spec);
    j_raw(p, ",\"attributes\":[");
    for (size_t k = 0; k < q->nattr; k++) {
      j_raw(p, k ? ",[" : "[");
      j_name(p, p->attrs.v[q->attr0 + k].key);
      j_raw(p, ",");
      j_name(p, p->attrs.v[q->attr0 + k].val);
      j_raw(p, "]");
    }
    j_raw(p, "]}");
  }
  j_raw(p, "],\"imports\":[");
  for (size_t i = 0; i < p->imports.n; i++) {
    import_ent *e = &p->imports.v[i];
    j_raw(p, i ? ",{\"request\":" : "{\"request\":");
    j_num(p, e->req);
    j_raw(p, ",\"import\":");
    if (e->ns) j_raw(p, "null");
    else j_name(p, e->import);
    j_raw(p, ",\"local\":");
    j_name(p, e->local);
    j_raw(p, "}");
  }
  j_raw(p, "],\"exports\":[");
  for (size_t i = 0; i < p->exports.n; i++) {
    export_ent *e = &p->exports.v[i];
    j_raw(p, i ? ",{\"export\":" : "{\"export\":");
    j_name(p, e->export);
    j_raw(p, ",\"local\":");
    if (e->local.off == (size_t)-1) j_pfx(p, "", "d");
    else j_name(p, e->local);
    j_raw(p, "}");
  }
  j_raw(p, "],\"reexports\":[");
  for (size_t i = 0; i < p->reexports.n; i++) {
    reexport_ent *e = &p->reexports.v[i];
    j_raw(p, i ? ",{\"export\":" : "{\"export\":");
    j_name(p, e->export);
    j_raw(p, ",\"request\":");
    j_num(p, e->req);
    j_raw(p, ",\"import\":");
    if (e->ns) j_raw(p, "null");
    else j_name(p, e->import);
    j_raw(p, "}");
  }
  j_raw(p, "],\"stars\":[");
  for (size_t i = 0; i < p->stars.n; i++) {
    if (i) j_raw(p, ",");
    j_num(p, p->stars.v[i]);
  }
  j_raw(p, p->tla ? "],\"tla\":true}" : "],\"tla\":false}");
  p->meta.v[p->meta.n] = '\0';
}

/* ---- entry point -------------------------------------------------------------------------- */

static void reset_pass(parser *p) {
  p->pos = 0;
  p->ntok = 0;
  p->has_peek = 0;
  p->prev_end = 0;
  p->hashbang_end = 0;
  p->depth = p->fn_depth = p->init_depth = 0;
  p->decl_top = p->export_collect = 0;
  p->e_ref = -1;
  p->stmt_start = p->args_pos = (size_t)-1;
  p->nlab = 0;
  p->eddy_names.n = 0;
  p->scopes.n = p->decls.n = p->refs.n = 0;
  p->edits.n = p->pieces.n = 0;
  p->seq = 0;
  p->requests.n = p->attrs.n = p->imports.n = p->exports.n = p->reexports.n = p->stars.n = 0;
  hclear(&p->req_index);
  p->tldecls.n = 0;
  hclear(&p->export_names);
  p->anon_default_fn = p->tla = 0;
  p->fa_count = 0;
  p->seen_code = p->late_import = 0;
}

static void parse_pass(parser *p) {
  ctx top = {0};
  if (p->module) {
    top.aw = AW_TLA;
    top.yd = Y_ERROR;
    top.args = ARGS_TOP;
  } else {
    top.aw = AW_IDENT;
    top.yd = Y_IDENT;
    top.args = ARGS_FN;
  }
  top.top = 1;
  p->c = top;
  scope_push(p, SC_MODULE);
  next(p);
  while (!at(p, T_EOF)) {
    if (!is_kw(&p->cur, K_IMPORT) || peek(p)->t == T_LPAREN || p->pk.t == T_DOT) p->seen_code = 1;
    parse_statement(p, ST_TOP);
  }
}

static int run(parser *p) {
  if (setjmp(p->jb)) return p->status;
  p->nm_default = arena_ascii(p, "default");
  reset_pass(p);
  parse_pass(p);
  if (p->late_import) {
    /* An import came after code that may use it: parse again knowing every imported name. */
    reset_pass(p);
    parse_pass(p);
  }
  if (p->module) finish_module(p);
  choose_prefix(p);
  emit_output(p);
  if (p->module) emit_meta(p);
  return 0;
}

static void line_col(const uint16_t *s, size_t n, size_t pos, unsigned *line, unsigned *col) {
  size_t start = 0;
  unsigned ln = 1;
  for (size_t i = 0; i < pos && i < n; i++) {
    unsigned c = s[i];
    if (c == '\n' || c == 0x2028 || c == 0x2029 || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
      ln++;
      start = i + 1;
    }
  }
  *line = ln;
  *col = (unsigned)(pos - start + 1);
}

static void parser_free(parser *p) {
  free(p->msg);
  free(p->tmp);
  free(p->arena.v);
  free(p->eddy_names.v);
  hclear(&p->inter);
  free(p->inter_names.v);
  free(p->inter_ns.v);
  free(p->scopes.v);
  free(p->decls.v);
  free(p->refs.v);
  free(p->edits.v);
  free(p->pieces.v);
  free(p->requests.v);
  hclear(&p->req_index);
  free(p->attrs.v);
  free(p->imports.v);
  free(p->exports.v);
  free(p->reexports.v);
  free(p->stars.v);
  free(p->tldecls.v);
  free(p->specs.v);
  hclear(&p->export_names);
  hclear(&p->scratch);
  free(p->out.v);
  free(p->meta.v);
  free(p);
}

int eddy__module_parse(const uint16_t *src, size_t len, eddy__parse_goal goal,
                       const uint16_t *import_name, size_t import_name_len,
                       eddy__parse_result *out) {
  static const uint16_t empty[1] = {0};
  if (!out) return EDDY_EINVAL;
  memset(out, 0, sizeof *out);
  if (!src && len) return EDDY_EINVAL;
  parser *p = calloc(1, sizeof *p);
  if (!p) return EDDY_ENOMEM;
  p->s = src ? src : empty;
  p->n = len;
  p->module = goal == EDDY__PARSE_MODULE;
  p->import_name = import_name;
  p->import_name_len = import_name ? import_name_len : 0;
  int st = run(p);
  if (st == 0) {
    out->code = p->out.v;
    out->code_len = p->out.n;
    p->out.v = NULL;
    if (p->module) {
      out->meta = p->meta.v;
      out->meta_len = p->meta.n;
      p->meta.v = NULL;
    }
  } else if (st == 1) {
    out->error = p->msg;
    p->msg = NULL;
    line_col(p->s, p->n, p->err_pos, &out->error_line, &out->error_column);
  }
  parser_free(p);
  return st;
}

void eddy__parse_result_free(eddy__parse_result *r) {
  if (!r) return;
  free(r->code);
  free(r->meta);
  free(r->error);
  memset(r, 0, sizeof *r);
}
