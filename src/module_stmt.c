/* ES module transformation (module_parser.h): functions, classes, patterns and statements. */
#include "module_parser.h"

static void parse_binding_target(parser *p, int kind);

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
void parse_function_rest(parser *p, int async, int gen, const token *expr_name) {
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
void parse_class(parser *p, int decl, int top, token *name_out) {
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

void parse_block(parser *p) {
  next(p);
  scope_push(p, SC_BLOCK);
  parse_body_until_rbrace(p);
  scope_pop(p);
  next(p);
}

/* In a script, `let` starts a declaration only before a name or a pattern. */
int let_is_decl(parser *p) {
  if (p->module) return 1;
  const token *nx = peek(p);
  if (nx->t == T_LBRACK || nx->t == T_LBRACE) return 1;
  return nx->t == T_NAME && (nx->esc || (nx->kw != K_IN && nx->kw != K_INSTANCEOF));
}

void parse_var_decls(parser *p, int kind, int no_in, int top) {
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
size_t parse_function_decl(parser *p, int async, int top, int anon, token *name_out) {
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

void parse_try(parser *p) {
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

void parse_switch(parser *p) {
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

void parse_for(parser *p, unsigned nlab) {
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
