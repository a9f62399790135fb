/* ES module transformation (module_parser.h): import and export declarations, the statement
   dispatcher, and the checks made once the whole module is parsed. */
#include "module_parser.h"

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

void parse_statement(parser *p, int flags) {
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

void finish_module(parser *p) {
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
