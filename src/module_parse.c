/* ES module transformation (see module_parse.h): a linear-time tokenizer and a permissive
   recursive-descent parser over UTF-16 source. There is no syntax tree: the parser streams over
   tokens, records edits (insertions, replacements, blanked ranges) as it goes, and keeps scope
   bookkeeping only for the names that matter (the module's imported bindings), so a module that
   imports nothing costs little more than tokenizing it. The output is the source with the edits
   applied, plus the module record as JSON.

   Invalid input is mostly left for JSC to report when it compiles the output; this file reports
   what the output would hide (module-only early errors, errors inside blanked declarations) and
   never reads out of bounds or recurses without bound. */
#include "module_parser.h"

#include <stdarg.h>
#include <stdio.h>

/* ---- memory ------------------------------------------------------------------------------- */

_Noreturn void oom(parser *p) {
  p->status = EDDY_ENOMEM;
  longjmp(p->jb, 1);
}

void *vgrow(parser *p, void *v, size_t *cap, size_t need, size_t size) {
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

/* ---- errors ------------------------------------------------------------------------------- */


__attribute__((format(printf, 3, 4)))
_Noreturn void fail(parser *p, size_t pos, const char *fmt, ...) {
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
const char *name8(parser *p, nref r) {
  free(p->tmp);
  p->tmp = NULL;
  /* Messages quote at most 200 units; lone surrogates become U+FFFD. */
  if (eddy__utf16_to_utf8(nptr(p, r), r.len < 200 ? r.len : 200, &p->tmp, NULL)) oom(p);
  return p->tmp;
}

const char *text8(parser *p, size_t a, size_t b) {
  nref r = {a, b - a, 0};
  return name8(p, r);
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
