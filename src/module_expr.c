/* ES module transformation (module_parser.h), the parser's helpers and expressions. */
#include "module_parser.h"

static int parse_unary(parser *p);
static int unary_operand(parser *p);

/* ---- parser: helpers ---------------------------------------------------------------------- */




void enter(parser *p) {
  if (++p->depth > MAX_DEPTH) fail(p, p->cur.a, "Code is too deeply nested");
}


_Noreturn void unexpected(parser *p) {
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

void expect(parser *p, int type) {
  if (p->cur.t != type) unexpected(p);
  next(p);
}

void consume_semi(parser *p) {
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
void check_ident(parser *p, const token *t, int binding) {
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

void add_export_name(parser *p, nref name, size_t pos) {
  int inserted;
  hinsert(p, &p->export_names, name, 0, &inserted);
  if (inserted) return;
  static const uint16_t def[7] = {'d', 'e', 'f', 'a', 'u', 'l', 't'};
  if (name_eq(p, name, def, 7)) fail(p, pos, "Only one 'default' export is allowed.");
  fail(p, pos, "Cannot export a duplicate name '%s'.", name8(p, name));
}

/* A local export entry; check: the local name must be verified at the end (export {a}). */
void add_local_export(parser *p, nref exp, nref local, size_t exp_pos, size_t local_pos,
                             int check) {
  add_export_name(p, exp, exp_pos);
  export_ent *e = VPUSH(p, p->exports);
  e->export = exp;
  e->local = local;
  e->pos = check ? local_pos : (size_t)-1;
}

void push_tldecl(parser *p, nref name, size_t pos, int kind) {
  tldecl *d = VPUSH(p, p->tldecls);
  d->name = name;
  d->pos = pos;
  d->kind = (uint8_t)kind;
}

/* Declares binding identifier t of the given kind in the current scope. */
void declare(parser *p, const token *t, int kind) {
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

void parse_body_until_rbrace(parser *p) {
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
void parse_property_key(parser *p) {
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

int parse_lhs(parser *p) {
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

int parse_assign(parser *p, int no_in) {
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

int parse_expression(parser *p, int no_in) {
  int info = parse_assign(p, no_in);
  while (at(p, T_COMMA)) {
    next(p);
    parse_assign(p, no_in);
    info = 0;
  }
  return info;
}
