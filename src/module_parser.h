/* The ES module transformer's shared state (the interface is module_parse.h). The work is
   split by stage: module_lex.c (characters, keywords, tokens, names and hash tables, edits,
   scopes), module_expr.c (parser helpers, expressions), module_stmt.c (functions, classes,
   patterns, statements), module_decl.c (import and export declarations, whole-module checks)
   and module_parse.c (errors, output, the module record as JSON, the entry point). */
#ifndef EDDY_MODULE_PARSER_H
#define EDDY_MODULE_PARSER_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"
#include "module_parse.h"
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



#define VRESERVE(p, vec, extra)                                                              \
  ((vec).n + (extra) > (vec).cap                                                             \
       ? (void)((vec).v = vgrow((p), (vec).v, &(vec).cap, (vec).n + (extra), sizeof *(vec).v)) \
       : (void)0)
#define VPUSH(p, vec) (VRESERVE(p, vec, 1), &(vec).v[(vec).n++])

static inline const uint16_t *nptr(const parser *p, nref r) {
  return r.arena ? p->arena.v + r.off : p->s + r.off;
}

#define PC_L(p, s) pc_add((p), PC_LIT, (s), NULL, 0, 0)
#define PC_N(p, v) pc_add((p), PC_NUM, NULL, NULL, (v), 0)

#define E_IDENT 1  /* a bare identifier reference (p->e_ref, p->e_a..e_b) */
#define E_PIDENT 2 /* the same, parenthesized */
#define E_UNARY 4  /* a unary operator expression (may not be the base of **) */
#define E_ARROW 8  /* an arrow function: nothing may follow it at this level */
#define ST_TOP 1 /* directly in the module's statement list */
#define ST_SUB 2 /* the body of if, for, while, do, with or a label */
#define LEAVE(p) ((p)->depth--)
static inline int is_kw(const token *t, int k) { return t->t == T_NAME && t->kw == k && !t->esc; }
static inline int at(const parser *p, int type) { return p->cur.t == type; }

static inline int is_lt(unsigned c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }
static inline int is_digit(unsigned c) { return (unsigned)(c - '0') < 10; }

_Noreturn void oom(parser *p);
void *vgrow(parser *p, void *v, size_t *cap, size_t need, size_t size);

/* module_parse.c */
__attribute__((format(printf, 3, 4)))
_Noreturn void fail(parser *p, size_t pos, const char *fmt, ...);
const char *name8(parser *p, nref r);
const char *text8(parser *p, size_t a, size_t b);

/* module_lex.c */
void next(parser *p);
const token *peek(parser *p);
void rescan_regex(parser *p);
void rescan_template(parser *p);
uint32_t hash16(const uint16_t *s, size_t n);
int name_eq(const parser *p, nref a, const uint16_t *s, size_t n);
hent *hfind(const parser *p, const htab *h, const uint16_t *s, size_t n, uint32_t hv);
hent *hinsert(parser *p, htab *h, nref key, uint32_t val, int *inserted);
void hclear(htab *h);
nref tok_name(const token *t);
long inter_lookup(parser *p, const token *t);
void inter_add(parser *p, nref name, int ns);
nref arena_ascii(parser *p, const char *s);
nref string_value(parser *p, const token *t, int *lone);
void ed_new(parser *p, size_t pos, size_t del, int rank, int kind);
void pc_add(parser *p, int k, const char *lit, const uint16_t *u, size_t a, size_t b);
void ed_lit(parser *p, size_t pos, size_t del, int rank, const char *text);
void ed_blank(parser *p, size_t a, size_t b);
void ed_blank_stmt(parser *p, size_t a, size_t b);
void scope_push(parser *p, int kind);
void scope_pop(parser *p);
void paren_to_params(parser *p);
size_t var_scope(const parser *p);

/* module_expr.c */
void enter(parser *p);
_Noreturn void unexpected(parser *p);
void expect(parser *p, int type);
void consume_semi(parser *p);
void check_ident(parser *p, const token *t, int binding);
void add_export_name(parser *p, nref name, size_t pos);
void add_local_export(parser *p, nref exp, nref local, size_t exp_pos, size_t local_pos,
                             int check);
void push_tldecl(parser *p, nref name, size_t pos, int kind);
void declare(parser *p, const token *t, int kind);
void parse_body_until_rbrace(parser *p);
void parse_property_key(parser *p);
int parse_lhs(parser *p);
int parse_assign(parser *p, int no_in);
int parse_expression(parser *p, int no_in);

/* module_stmt.c */
void parse_function_rest(parser *p, int async, int gen, const token *expr_name);
void parse_class(parser *p, int decl, int top, token *name_out);
void parse_block(parser *p);
int let_is_decl(parser *p);
void parse_var_decls(parser *p, int kind, int no_in, int top);
size_t parse_function_decl(parser *p, int async, int top, int anon, token *name_out);
void parse_try(parser *p);
void parse_switch(parser *p);
void parse_for(parser *p, unsigned nlab);

/* module_decl.c */
void parse_statement(parser *p, int flags);
void finish_module(parser *p);

#endif
