/* ES module transformation (module_parser.h), the lexer and its bookkeeping: characters,
   keywords, tokens, names and hash tables, the edits the parser records, scopes. */
#include "module_parser.h"

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
/* Outside strings, comments and the like, a valid program has non-ASCII characters only in
   identifiers or as white space; so everything else non-ASCII counts as an identifier part. */
static int is_id_wide(unsigned c) { return c >= 0x80 && !is_ws_wide(c) && c != 0x2028 && c != 0x2029; }
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

void next(parser *p) {
  p->prev_end = p->cur.b;
  if (p->has_peek) {
    p->cur = p->pk;
    p->has_peek = 0;
  } else {
    lex(p, &p->cur);
  }
}

const token *peek(parser *p) {
  if (!p->has_peek) {
    lex(p, &p->pk);
    p->has_peek = 1;
  }
  return &p->pk;
}

/* The current / or /= token starts a regular expression literal: scan it again as one. */
void rescan_regex(parser *p) {
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
void rescan_template(parser *p) {
  p->cur.t = T_TEMPLATE;
  p->cur.b = lex_template(p, &p->cur, p->cur.a + 1, p->cur.a);
  p->pos = p->cur.b;
  p->has_peek = 0;
}

/* ---- names and hash tables ---------------------------------------------------------------- */

uint32_t hash16(const uint16_t *s, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
  /* Mix the high bits down: the table index takes the low ones. */
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

int name_eq(const parser *p, nref a, const uint16_t *s, size_t n) {
  return a.len == n && (n == 0 || !memcmp(nptr(p, a), s, n * sizeof *s));
}

hent *hfind(const parser *p, const htab *h, const uint16_t *s, size_t n, uint32_t hv) {
  if (!h->cap) return NULL;
  size_t mask = h->cap - 1;
  for (size_t i = hv & mask;; i = (i + 1) & mask) {
    hent *e = &h->t[i];
    if (!e->used) return NULL;
    if (e->h == hv && name_eq(p, e->key, s, n)) return e;
  }
}

/* Inserts key -> val unless present; returns the entry and whether it was inserted. */
hent *hinsert(parser *p, htab *h, nref key, uint32_t val, int *inserted) {
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

void hclear(htab *h) {
  free(h->t);
  h->t = NULL;
  h->cap = h->count = 0;
}

nref tok_name(const token *t) {
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
long inter_lookup(parser *p, const token *t) {
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

void inter_add(parser *p, nref name, int ns) {
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

nref arena_ascii(parser *p, const char *s) {
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
nref string_value(parser *p, const token *t, int *lone) {
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

void ed_new(parser *p, size_t pos, size_t del, int rank, int kind) {
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

void pc_add(parser *p, int k, const char *lit, const uint16_t *u, size_t a, size_t b) {
  piece *c = VPUSH(p, p->pieces);
  c->k = (uint8_t)k;
  c->lit = lit;
  c->u16 = u;
  c->a = a;
  c->b = b;
  p->edits.v[p->edits.n - 1].pcn++;
}


void ed_lit(parser *p, size_t pos, size_t del, int rank, const char *text) {
  ed_new(p, pos, del, rank, ED_TEXT);
  PC_L(p, text);
}

void ed_blank(parser *p, size_t a, size_t b) { ed_new(p, a, b - a, 1, ED_BLANK); }

/* A whole statement blanked: its first character becomes ; so that the statement before it,
   which ASI may have ended only because this one began, still ends there. */
void ed_blank_stmt(parser *p, size_t a, size_t b) { ed_new(p, a, b - a, 1, ED_STMT); }

/* ---- scopes ------------------------------------------------------------------------------- */

void scope_push(parser *p, int kind) {
  scope *s = VPUSH(p, p->scopes);
  s->kind = (uint8_t)kind;
  s->ref0 = p->refs.n;
  s->decl0 = p->decls.n;
  s->init0 = p->init_depth;
}

/* Closes the innermost scope: references to names it declares are resolved (dropped); the rest
   stay pending for the enclosing scope. A parenthesized expression's scope declares nothing. */
void scope_pop(parser *p) {
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
void paren_to_params(parser *p) {
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

size_t var_scope(const parser *p) {
  size_t i = p->scopes.n;
  while (i-- > 0)
    if (p->scopes.v[i].kind == SC_BODY || p->scopes.v[i].kind == SC_MODULE) return i;
  return 0;
}
