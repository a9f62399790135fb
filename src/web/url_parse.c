/* The URL Standard's basic URL parser (4.4) and URL serializer (4.5), state by state as the
   standard writes them, on code points. The record keeps every component serialized (ASCII),
   so that serializing is concatenation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"

/* ---- percent-encoding (1.3) ---------------------------------------------------------------- */

/* Bit i set: the ASCII code point is in set 1 << i (EDDY__PE_* order). Code points above
   U+007E are in every set. */
static const uint8_t pe_table[128] = {
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xfe, 0x80, 0xfe, 0xfc, 0xc0, 0xc0, 0xc0, 0x88, 0x80, 0x80, 0x00, 0xc0, 0xc0, 0x00, 0x00, 0xe0,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xe0, 0xfe, 0xe0, 0xfe, 0xf0,
  0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xe0, 0xe0, 0xf0, 0x00,
  0xf2, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xe0, 0xf0, 0x80, 0xff,
};

static const char HEX[] = "0123456789ABCDEF";

static void put_pct(eddy__ubuf *b, unsigned byte) {
  char t[3] = {'%', HEX[byte >> 4], HEX[byte & 15]};
  eddy__ubuf_put(b, t, 3);
}

void eddy__url_percent_encode(eddy__ubuf *b, uint32_t c, int set) {
  if (c < 0x80) {
    if (pe_table[c] & set) put_pct(b, c);
    else eddy__ubuf_putc(b, (char)c);
    return;
  }
  if (c < 0x800) {
    put_pct(b, 0xC0 | (c >> 6));
    put_pct(b, 0x80 | (c & 63));
  } else if (c < 0x10000) {
    put_pct(b, 0xE0 | (c >> 12));
    put_pct(b, 0x80 | ((c >> 6) & 63));
    put_pct(b, 0x80 | (c & 63));
  } else {
    put_pct(b, 0xF0 | (c >> 18));
    put_pct(b, 0x80 | ((c >> 12) & 63));
    put_pct(b, 0x80 | ((c >> 6) & 63));
    put_pct(b, 0x80 | (c & 63));
  }
}

/* The common case inline: an ASCII code point outside the set, with room for it. */
static inline void pe_put(eddy__ubuf *b, uint32_t c, int set) {
  if (c < 0x80 && !(pe_table[c] & set) && b->len + 2 <= b->cap) b->p[b->len++] = (char)c;
  else eddy__url_percent_encode(b, c, set);
}

/* ---- the record ---------------------------------------------------------------------------- */

void eddy__url_record_init(eddy__url *u) {
  memset(u, 0, sizeof(*u));
  u->port = -1;
}

void eddy__url_free(eddy__url *u) {
  eddy__ubuf_free(&u->scheme);
  eddy__ubuf_free(&u->username);
  eddy__ubuf_free(&u->password);
  eddy__ubuf_free(&u->host);
  eddy__ubuf_free(&u->path);
  eddy__ubuf_free(&u->query);
  eddy__ubuf_free(&u->fragment);
}

static void ubuf_set(eddy__ubuf *dst, const eddy__ubuf *src) {
  dst->len = 0;
  eddy__ubuf_put(dst, src->p, src->len);
}

int eddy__url_copy(eddy__url *dst, const eddy__url *src) {
  eddy__url_record_init(dst);
  ubuf_set(&dst->scheme, &src->scheme);
  ubuf_set(&dst->username, &src->username);
  ubuf_set(&dst->password, &src->password);
  ubuf_set(&dst->host, &src->host);
  ubuf_set(&dst->path, &src->path);
  ubuf_set(&dst->query, &src->query);
  ubuf_set(&dst->fragment, &src->fragment);
  dst->has_host = src->has_host;
  dst->has_query = src->has_query;
  dst->has_fragment = src->has_fragment;
  dst->opaque_path = src->opaque_path;
  dst->path_segments = src->path_segments;
  dst->port = src->port;
  int oom = dst->scheme.oom | dst->username.oom | dst->password.oom | dst->host.oom |
            dst->path.oom | dst->query.oom | dst->fragment.oom;
  if (oom) {
    eddy__url_free(dst);
    return EDDY__URL_NOMEM;
  }
  return 0;
}

static int url_oom(const eddy__url *u) {
  return u->scheme.oom | u->username.oom | u->password.oom | u->host.oom | u->path.oom |
         u->query.oom | u->fragment.oom;
}

int eddy__url_scheme_special(const char *s, size_t n, int32_t *port) {
  int32_t p = 0; /* 0: not special */
  switch (n) {
  case 2:
    if (!memcmp(s, "ws", 2)) p = 80;
    break;
  case 3:
    if (!memcmp(s, "ftp", 3)) p = 21;
    else if (!memcmp(s, "wss", 3)) p = 443;
    break;
  case 4:
    if (!memcmp(s, "http", 4)) p = 80;
    else if (!memcmp(s, "file", 4)) p = -1;
    break;
  case 5:
    if (!memcmp(s, "https", 5)) p = 443;
    break;
  }
  if (port) *port = p != 0 ? p : -1;
  return p != 0;
}

static int is_special(const eddy__url *u) {
  return eddy__url_scheme_special(u->scheme.p, u->scheme.len, NULL);
}

static int default_port(const eddy__url *u) {
  int32_t p;
  eddy__url_scheme_special(u->scheme.p, u->scheme.len, &p);
  return p;
}

static int is_file(const eddy__url *u) {
  return u->scheme.len == 4 && !memcmp(u->scheme.p, "file", 4);
}

static int includes_credentials(const eddy__url *u) {
  return u->username.len > 0 || u->password.len > 0;
}

static int is_alpha(uint32_t c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int is_digit(uint32_t c) {
  return c >= '0' && c <= '9';
}

/* A Windows drive letter: an ASCII alpha and ':' or '|' (normalized: ':' only). */
static int windows_drive_letter(const char *s, size_t n, int normalized) {
  return n == 2 && is_alpha((unsigned char)s[0]) && (s[1] == ':' || (!normalized && s[1] == '|'));
}

/* "starts with a Windows drive letter" on code points [p, n). */
static int starts_with_drive_letter(const uint32_t *in, size_t p, size_t n) {
  if (n - p < 2) return 0;
  if (!is_alpha(in[p]) || (in[p + 1] != ':' && in[p + 1] != '|')) return 0;
  if (n - p == 2) return 1;
  uint32_t c = in[p + 2];
  return c == '/' || c == '\\' || c == '?' || c == '#';
}

/* The first segment of a non-opaque path, as [*s, *s + *n). */
static int first_segment(const eddy__url *u, const char **s, size_t *n) {
  if (u->path_segments == 0) return 0;
  const char *p = u->path.p + 1;
  const char *end = memchr(p, '/', u->path.len - 1);
  *s = p;
  *n = end ? (size_t)(end - p) : u->path.len - 1;
  return 1;
}

static void shorten_path(eddy__url *u) {
  const char *seg;
  size_t n;
  if (is_file(u) && u->path_segments == 1 && first_segment(u, &seg, &n) &&
      windows_drive_letter(seg, n, 1))
    return;
  if (u->path_segments == 0) return;
  size_t i = u->path.len;
  while (i > 0 && u->path.p[i - 1] != '/') i--;
  u->path.len = i - 1;
  u->path.p[u->path.len] = 0;
  u->path_segments--;
}

static void path_append(eddy__url *u, const char *s, size_t n) {
  eddy__ubuf_putc(&u->path, '/');
  eddy__ubuf_put(&u->path, s, n);
  u->path_segments++;
}

static int ascii_ieq(const char *s, size_t n, const char *lit) {
  size_t ln = strlen(lit);
  if (n != ln) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != lit[i]) return 0;
  }
  return 1;
}

static int single_dot(const char *s, size_t n) {
  return (n == 1 && s[0] == '.') || ascii_ieq(s, n, "%2e");
}

static int double_dot(const char *s, size_t n) {
  return ascii_ieq(s, n, "..") || ascii_ieq(s, n, ".%2e") || ascii_ieq(s, n, "%2e.") ||
         ascii_ieq(s, n, "%2e%2e");
}

/* ---- the basic URL parser (4.4) ------------------------------------------------------------ */

enum state {
  S_SCHEME_START, S_SCHEME, S_NO_SCHEME, S_SPECIAL_RELATIVE_OR_AUTHORITY, S_PATH_OR_AUTHORITY,
  S_RELATIVE, S_RELATIVE_SLASH, S_SPECIAL_AUTHORITY_SLASHES, S_SPECIAL_AUTHORITY_IGNORE_SLASHES,
  S_AUTHORITY, S_HOST, S_HOSTNAME, S_PORT, S_FILE, S_FILE_SLASH, S_FILE_HOST, S_PATH_START,
  S_PATH, S_OPAQUE_PATH, S_QUERY, S_FRAGMENT,
};

#define EOF_CP ((uint32_t)-1)

/* UTF-16 → code points without ASCII tab or newline; leading and trailing C0 controls and spaces
   trimmed when trim. Lone surrogates become U+FFFD. */
static uint32_t *code_points(const uint16_t *s, size_t len, int trim, uint32_t *stack,
                             size_t stack_len, size_t *out_len) {
  size_t a = 0, b = len;
  if (trim) {
    while (a < b && s[a] <= 0x20) a++;
    while (b > a && s[b - 1] <= 0x20) b--;
  }
  uint32_t *cp = b - a <= stack_len ? stack : malloc((b - a + 1) * sizeof(uint32_t));
  if (!cp) return NULL;
  size_t n = 0;
  for (size_t i = a; i < b; i++) {
    uint32_t c = s[i];
    if (c == 0x09 || c == 0x0A || c == 0x0D) continue;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < b && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    cp[n++] = c;
  }
  *out_len = n;
  return cp;
}

static int set_host(eddy__url *u, const uint32_t *in, size_t n, int special) {
  eddy__ubuf host = {0};
  eddy__ubuf_put(&host, "", 0);
  int st = eddy__url_host_parse(in, n, !special, &host);
  if (st == EDDY__URL_OK && host.oom) st = EDDY__URL_NOMEM;
  if (st != EDDY__URL_OK) {
    eddy__ubuf_free(&host);
    return st;
  }
  eddy__ubuf_free(&u->host);
  u->host = host;
  u->has_host = 1;
  return EDDY__URL_OK;
}

static void set_empty_host(eddy__url *u) {
  u->host.len = 0;
  eddy__ubuf_put(&u->host, "", 0);
  u->has_host = 1;
}

static void copy_base_authority(eddy__url *u, const eddy__url *b) {
  ubuf_set(&u->username, &b->username);
  ubuf_set(&u->password, &b->password);
  ubuf_set(&u->host, &b->host);
  u->has_host = b->has_host;
  u->port = b->port;
}

static void copy_base_path(eddy__url *u, const eddy__url *b) {
  ubuf_set(&u->path, &b->path);
  u->path_segments = b->path_segments;
  u->opaque_path = b->opaque_path;
}

static void copy_base_query(eddy__url *u, const eddy__url *b) {
  ubuf_set(&u->query, &b->query);
  u->has_query = b->has_query;
}

static void start_query(eddy__url *u) {
  u->query.len = 0;
  eddy__ubuf_put(&u->query, "", 0);
  u->has_query = 1;
}

static void start_fragment(eddy__url *u) {
  u->fragment.len = 0;
  eddy__ubuf_put(&u->fragment, "", 0);
  u->has_fragment = 1;
}

static int parse(const uint32_t *in, size_t n, const eddy__url *base, eddy__url *url,
                 int override) {
  enum state state;
  switch (override) {
  case EDDY__URL_SCHEME_START: state = S_SCHEME_START; break;
  case EDDY__URL_HOST: state = S_HOST; break;
  case EDDY__URL_HOSTNAME: state = S_HOSTNAME; break;
  case EDDY__URL_PORT: state = S_PORT; break;
  case EDDY__URL_PATH_START: state = S_PATH_START; break;
  case EDDY__URL_QUERY: state = S_QUERY; break;
  case EDDY__URL_FRAGMENT: state = S_FRAGMENT; break;
  default: state = S_SCHEME_START; break;
  }
  eddy__ubuf buffer = {0};
  size_t bstart = 0; /* authority, host and port states: their buffer is in[bstart, p) */
  int at_sign_seen = 0, inside_brackets = 0, password_token_seen = 0;
  int st = EDDY__URL_OK;
  int special = is_special(url); /* refreshed whenever the scheme changes */
  size_t p = 0;
  /* p runs one past the end (EOF); "decrease pointer by 1" before 0 is p = (size_t)-1, which
     the loop's increment brings back to 0. */
  for (;; p++) {
    uint32_t c = p < n ? in[p] : EOF_CP;
    switch (state) {
    case S_SCHEME_START:
      if (c != EOF_CP && is_alpha(c)) {
        eddy__ubuf_putc(&buffer, (char)(c | 0x20));
        state = S_SCHEME;
      } else if (!override) {
        state = S_NO_SCHEME;
        p--;
      } else {
        st = EDDY__URL_FAILURE;
        goto done;
      }
      break;

    case S_SCHEME:
      if (c != EOF_CP && (is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.')) {
        eddy__ubuf_putc(&buffer, (char)(is_alpha(c) ? c | 0x20 : c));
      } else if (c == ':') {
        if (override) {
          int buffer_special = eddy__url_scheme_special(buffer.p, buffer.len, NULL);
          if (special != buffer_special) goto done;
          if ((includes_credentials(url) || url->port != -1) && buffer.len == 4 &&
              !memcmp(buffer.p, "file", 4))
            goto done;
          if (is_file(url) && url->has_host && url->host.len == 0) goto done;
        }
        url->scheme.len = 0;
        eddy__ubuf_put(&url->scheme, buffer.p, buffer.len);
        special = is_special(url);
        if (override) {
          if (url->port == default_port(url)) url->port = -1;
          goto done;
        }
        buffer.len = 0;
        if (is_file(url)) {
          state = S_FILE;
        } else if (special && base && base->scheme.len == url->scheme.len &&
                   !memcmp(base->scheme.p, url->scheme.p, url->scheme.len)) {
          state = S_SPECIAL_RELATIVE_OR_AUTHORITY;
        } else if (special) {
          state = S_SPECIAL_AUTHORITY_SLASHES;
        } else if (p + 1 < n && in[p + 1] == '/') {
          state = S_PATH_OR_AUTHORITY;
          p++;
        } else {
          url->opaque_path = 1;
          url->path.len = 0;
          eddy__ubuf_put(&url->path, "", 0);
          state = S_OPAQUE_PATH;
        }
      } else if (!override) {
        buffer.len = 0;
        state = S_NO_SCHEME;
        p = (size_t)-1;
      } else {
        st = EDDY__URL_FAILURE;
        goto done;
      }
      break;

    case S_NO_SCHEME:
      if (!base || (base->opaque_path && c != '#')) {
        st = EDDY__URL_FAILURE;
        goto done;
      } else if (base->opaque_path && c == '#') {
        ubuf_set(&url->scheme, &base->scheme);
        special = is_special(url);
        copy_base_path(url, base);
        copy_base_query(url, base);
        start_fragment(url);
        state = S_FRAGMENT;
      } else if (!(base->scheme.len == 4 && !memcmp(base->scheme.p, "file", 4))) {
        state = S_RELATIVE;
        p--;
      } else {
        state = S_FILE;
        p--;
      }
      break;

    case S_SPECIAL_RELATIVE_OR_AUTHORITY:
      if (c == '/' && p + 1 < n && in[p + 1] == '/') {
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        p++;
      } else {
        state = S_RELATIVE;
        p--;
      }
      break;

    case S_PATH_OR_AUTHORITY:
      if (c == '/') {
        state = S_AUTHORITY;
        bstart = p + 1;
      } else {
        state = S_PATH;
        p--;
      }
      break;

    case S_RELATIVE:
      ubuf_set(&url->scheme, &base->scheme);
      special = is_special(url);
      if (c == '/') {
        state = S_RELATIVE_SLASH;
      } else if (special && c == '\\') {
        state = S_RELATIVE_SLASH;
      } else {
        copy_base_authority(url, base);
        copy_base_path(url, base);
        copy_base_query(url, base);
        if (c == '?') {
          start_query(url);
          state = S_QUERY;
        } else if (c == '#') {
          start_fragment(url);
          state = S_FRAGMENT;
        } else if (c != EOF_CP) {
          url->has_query = 0;
          url->query.len = 0;
          shorten_path(url);
          state = S_PATH;
          p--;
        }
      }
      break;

    case S_RELATIVE_SLASH:
      if (special && (c == '/' || c == '\\')) {
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES;
      } else if (c == '/') {
        state = S_AUTHORITY;
        bstart = p + 1;
      } else {
        copy_base_authority(url, base);
        state = S_PATH;
        p--;
      }
      break;

    case S_SPECIAL_AUTHORITY_SLASHES:
      if (c == '/' && p + 1 < n && in[p + 1] == '/') {
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        p++;
      } else {
        state = S_SPECIAL_AUTHORITY_IGNORE_SLASHES;
        p--;
      }
      break;

    case S_SPECIAL_AUTHORITY_IGNORE_SLASHES:
      if (c != '/' && c != '\\') {
        state = S_AUTHORITY;
        bstart = p;
        p--;
      }
      break;

    case S_AUTHORITY:
      if (c == '@') {
        if (at_sign_seen) {
          eddy__ubuf_put(password_token_seen ? &url->password : &url->username, "%40", 3);
        }
        at_sign_seen = 1;
        for (size_t i = bstart; i < p; i++) {
          if (in[i] == ':' && !password_token_seen) {
            password_token_seen = 1;
            continue;
          }
          eddy__url_percent_encode(password_token_seen ? &url->password : &url->username, in[i],
                                   EDDY__PE_USERINFO);
        }
        bstart = p + 1;
      } else if (c == EOF_CP || c == '/' || c == '?' || c == '#' ||
                 (special && c == '\\')) {
        if (at_sign_seen && p == bstart) {
          st = EDDY__URL_FAILURE;
          goto done;
        }
        p = bstart - 1;
        state = S_HOST;
      }
      break;

    case S_HOST:
    case S_HOSTNAME:
      if (override && is_file(url)) {
        p--;
        bstart = p + 1;
        state = S_FILE_HOST;
      } else if (c == ':' && !inside_brackets) {
        if (p == bstart) {
          st = EDDY__URL_FAILURE;
          goto done;
        }
        if (override == EDDY__URL_HOSTNAME) {
          st = EDDY__URL_FAILURE;
          goto done;
        }
        st = set_host(url, in + bstart, p - bstart, special);
        if (st) goto done;
        bstart = p + 1;
        state = S_PORT;
      } else if (c == EOF_CP || c == '/' || c == '?' || c == '#' ||
                 (special && c == '\\')) {
        if (special && p == bstart) {
          st = EDDY__URL_FAILURE;
          goto done;
        }
        if (override && p == bstart && (includes_credentials(url) || url->port != -1)) {
          st = EDDY__URL_FAILURE;
          goto done;
        }
        st = set_host(url, in + bstart, p - bstart, special);
        if (st) goto done;
        if (override) goto done;
        state = S_PATH_START;
        p--;
      } else {
        if (c == '[') inside_brackets = 1;
        if (c == ']') inside_brackets = 0;
      }
      break;

    case S_PORT:
      if (c != EOF_CP && is_digit(c)) {
        /* digits are in[bstart, p) */
      } else if (c == EOF_CP || c == '/' || c == '?' || c == '#' ||
                 (special && c == '\\') || override) {
        if (p != bstart) {
          uint32_t port = 0;
          for (size_t i = bstart; i < p; i++) {
            port = port * 10 + (in[i] - '0');
            if (port > 65535) {
              st = EDDY__URL_FAILURE;
              goto done;
            }
          }
          url->port = (int32_t)port == default_port(url) ? -1 : (int32_t)port;
          bstart = p;
        }
        if (override) goto done;
        state = S_PATH_START;
        p--;
      } else {
        st = EDDY__URL_FAILURE;
        goto done;
      }
      break;

    case S_FILE:
      url->scheme.len = 0;
      eddy__ubuf_put(&url->scheme, "file", 4);
      special = 1;
      set_empty_host(url);
      if (c == '/' || c == '\\') {
        state = S_FILE_SLASH;
      } else if (base && base->scheme.len == 4 && !memcmp(base->scheme.p, "file", 4)) {
        ubuf_set(&url->host, &base->host);
        url->has_host = base->has_host;
        copy_base_path(url, base);
        copy_base_query(url, base);
        if (c == '?') {
          start_query(url);
          state = S_QUERY;
        } else if (c == '#') {
          start_fragment(url);
          state = S_FRAGMENT;
        } else if (c != EOF_CP) {
          url->has_query = 0;
          url->query.len = 0;
          if (!starts_with_drive_letter(in, p, n)) {
            shorten_path(url);
          } else {
            url->path.len = 0;
            url->path_segments = 0;
          }
          state = S_PATH;
          p--;
        }
      } else {
        state = S_PATH;
        p--;
      }
      break;

    case S_FILE_SLASH:
      if (c == '/' || c == '\\') {
        state = S_FILE_HOST;
        bstart = p + 1;
      } else {
        if (base && base->scheme.len == 4 && !memcmp(base->scheme.p, "file", 4)) {
          ubuf_set(&url->host, &base->host);
          url->has_host = base->has_host;
          const char *seg;
          size_t sn;
          if (!starts_with_drive_letter(in, p, n) && first_segment(base, &seg, &sn) &&
              windows_drive_letter(seg, sn, 1))
            path_append(url, seg, sn);
        }
        state = S_PATH;
        p--;
      }
      break;

    case S_FILE_HOST:
      if (c == EOF_CP || c == '/' || c == '\\' || c == '?' || c == '#') {
        size_t bn = p - bstart;
        if (!override && bn == 2 && is_alpha(in[bstart]) &&
            (in[bstart + 1] == ':' || in[bstart + 1] == '|')) {
          /* The Windows drive letter quirk: the buffer is the path's start. */
          state = S_PATH;
          p = bstart - 1;
        } else if (bn == 0) {
          set_empty_host(url);
          if (override) goto done;
          state = S_PATH_START;
          p--;
        } else {
          st = set_host(url, in + bstart, bn, 1);
          if (st) goto done;
          if (url->host.len == 9 && !memcmp(url->host.p, "localhost", 9)) url->host.len = 0;
          if (override) goto done;
          state = S_PATH_START;
          p--;
        }
      }
      break;

    case S_PATH_START:
      if (special) {
        state = S_PATH;
        if (c != '/' && c != '\\') p--;
      } else if (!override && c == '?') {
        start_query(url);
        state = S_QUERY;
      } else if (!override && c == '#') {
        start_fragment(url);
        state = S_FRAGMENT;
      } else if (c != EOF_CP) {
        state = S_PATH;
        if (c != '/') p--;
      } else if (override && !url->has_host) {
        path_append(url, "", 0);
      }
      break;

    case S_PATH:
      if (c == EOF_CP || c == '/' || (special && c == '\\') ||
          (!override && (c == '?' || c == '#'))) {
        int slash = c == '/' || (special && c == '\\');
        if (double_dot(buffer.p, buffer.len)) {
          shorten_path(url);
          if (!slash) path_append(url, "", 0);
        } else if (single_dot(buffer.p, buffer.len)) {
          if (!slash) path_append(url, "", 0);
        } else {
          if (is_file(url) && url->path_segments == 0 &&
              windows_drive_letter(buffer.p, buffer.len, 0))
            buffer.p[1] = ':';
          path_append(url, buffer.p ? buffer.p : "", buffer.len);
        }
        buffer.len = 0;
        if (c == '?') {
          start_query(url);
          state = S_QUERY;
        } else if (c == '#') {
          start_fragment(url);
          state = S_FRAGMENT;
        }
      } else {
        pe_put(&buffer, c, EDDY__PE_PATH);
      }
      break;

    case S_OPAQUE_PATH:
      if (c == '?') {
        start_query(url);
        state = S_QUERY;
      } else if (c == '#') {
        start_fragment(url);
        state = S_FRAGMENT;
      } else if (c == ' ') {
        if (p + 1 < n && (in[p + 1] == '?' || in[p + 1] == '#')) eddy__ubuf_put(&url->path, "%20", 3);
        else eddy__ubuf_putc(&url->path, ' ');
      } else if (c != EOF_CP) {
        eddy__url_percent_encode(&url->path, c, EDDY__PE_C0);
      }
      break;

    case S_QUERY:
      if ((!override && c == '#') || c == EOF_CP) {
        /* The buffer is the code points since the query began: encode them directly. */
        if (c == '#') {
          start_fragment(url);
          state = S_FRAGMENT;
        }
      } else {
        pe_put(&url->query, c, special ? EDDY__PE_SPECIAL_QUERY : EDDY__PE_QUERY);
      }
      break;

    case S_FRAGMENT:
      if (c != EOF_CP) pe_put(&url->fragment, c, EDDY__PE_FRAGMENT);
      break;
    }
    if (p == n) break; /* the pointer is at EOF after this run */
  }
done:
  eddy__ubuf_free(&buffer);
  if (st == EDDY__URL_OK && url_oom(url)) st = EDDY__URL_NOMEM;
  return st;
}

int eddy__url_parse(const uint16_t *input, size_t len, const eddy__url *base, eddy__url *url,
                    int override) {
  size_t n;
  uint32_t stack[256];
  uint32_t *cp = code_points(input, len, !override, stack, sizeof(stack) / sizeof(stack[0]), &n);
  if (!cp) return EDDY__URL_NOMEM;
  if (!override) eddy__url_record_init(url);
  int st = parse(cp, n, base, url, override);
  if (cp != stack) free(cp);
  if (st != EDDY__URL_OK && !override) eddy__url_free(url);
  return st;
}

/* ---- the URL serializer (4.5) -------------------------------------------------------------- */

int eddy__url_serialize(const eddy__url *u, eddy__ubuf *out, int32_t c[EDDY__URLC_COUNT]) {
  out->len = 0;
  eddy__ubuf_put(out, u->scheme.p, u->scheme.len);
  c[EDDY__URLC_SCHEME_END] = (int32_t)out->len;
  eddy__ubuf_putc(out, ':');
  int flags = 0;
  if (u->has_host) {
    flags |= EDDY__URLF_HAS_HOST;
    eddy__ubuf_put(out, "//", 2);
    c[EDDY__URLC_USERNAME_START] = (int32_t)out->len;
    if (includes_credentials(u)) {
      eddy__ubuf_put(out, u->username.p, u->username.len);
      c[EDDY__URLC_USERNAME_END] = (int32_t)out->len;
      if (u->password.len) {
        eddy__ubuf_putc(out, ':');
        c[EDDY__URLC_PASSWORD_START] = (int32_t)out->len;
        eddy__ubuf_put(out, u->password.p, u->password.len);
      } else {
        c[EDDY__URLC_PASSWORD_START] = (int32_t)out->len;
      }
      c[EDDY__URLC_PASSWORD_END] = (int32_t)out->len;
      eddy__ubuf_putc(out, '@');
    } else {
      c[EDDY__URLC_USERNAME_END] = c[EDDY__URLC_PASSWORD_START] = c[EDDY__URLC_PASSWORD_END] =
          (int32_t)out->len;
    }
    c[EDDY__URLC_HOST_START] = (int32_t)out->len;
    eddy__ubuf_put(out, u->host.p, u->host.len);
    c[EDDY__URLC_HOST_END] = (int32_t)out->len;
    if (u->port != -1) {
      char tmp[8];
      int k = snprintf(tmp, sizeof(tmp), ":%d", (int)u->port);
      eddy__ubuf_put(out, tmp, (size_t)k);
    }
  } else {
    int32_t at = (int32_t)out->len;
    for (int i = EDDY__URLC_USERNAME_START; i <= EDDY__URLC_HOST_END; i++) c[i] = at;
    if (!u->opaque_path && u->path_segments > 1 && u->path.len > 1 && u->path.p[1] == '/')
      eddy__ubuf_put(out, "/.", 2);
  }
  c[EDDY__URLC_PORT] = u->port;
  c[EDDY__URLC_PATH_START] = (int32_t)out->len;
  eddy__ubuf_put(out, u->path.p, u->path.len);
  c[EDDY__URLC_PATH_END] = (int32_t)out->len;
  c[EDDY__URLC_QUERY_START] = -1;
  c[EDDY__URLC_FRAGMENT_START] = -1;
  if (u->has_query) {
    c[EDDY__URLC_QUERY_START] = (int32_t)out->len;
    eddy__ubuf_putc(out, '?');
    eddy__ubuf_put(out, u->query.p, u->query.len);
  }
  if (u->has_fragment) {
    c[EDDY__URLC_FRAGMENT_START] = (int32_t)out->len;
    eddy__ubuf_putc(out, '#');
    eddy__ubuf_put(out, u->fragment.p, u->fragment.len);
  }
  if (u->opaque_path) flags |= EDDY__URLF_OPAQUE_PATH;
  if (is_special(u)) flags |= EDDY__URLF_SPECIAL;
  c[EDDY__URLC_FLAGS] = flags;
  if (out->len > INT32_MAX) return EDDY__URL_NOMEM;
  eddy__ubuf_putc(out, 0); /* NUL-terminated for JSC, not counted */
  if (out->oom) return EDDY__URL_NOMEM;
  out->len--;
  return EDDY__URL_OK;
}

/* ---- the already-serialized special URL ---------------------------------------------------- */

/* Whether [s, s+n) is a segment the path state would rewrite: "." or ".." in any spelling
   ("%2e", ".%2E", ...). Conservatively: a short run of '.', '%', '2', 'e' and 'E'. */
static int maybe_dot_segment(const uint16_t *s, size_t n) {
  if (n == 0 || n > 6) return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != '.' && s[i] != '%' && s[i] != '2' && (s[i] | 0x20) != 'e') return 0;
  return 1;
}

int eddy__url_fast_parse(const uint16_t *s, size_t n, int32_t c[EDDY__URLC_COUNT]) {
  /* scheme: http, https, ws, wss or ftp, lower case, then "//" */
  size_t p = 0;
  while (p < n && p < 6 && s[p] >= 'a' && s[p] <= 'z') p++;
  if (p == 0 || p >= n || s[p] != ':') return 0;
  char scheme[6];
  for (size_t i = 0; i < p; i++) scheme[i] = (char)s[i];
  int32_t default_port;
  if (!eddy__url_scheme_special(scheme, p, &default_port) || default_port < 0) return 0;
  size_t scheme_end = p;
  if (p + 2 >= n || s[p + 1] != '/' || s[p + 2] != '/') return 0;
  /* host: a lower-case ASCII domain with no "xn--" label, not ending in a number (whose
     serialization would be IPv4's), no credentials */
  size_t host_start = p + 3, label = host_start;
  p = host_start;
  for (; p < n; p++) {
    uint16_t ch = s[p];
    if (ch == '.') {
      label = p + 1;
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
      if (p == label + 3 && s[label] == 'x' && s[label + 1] == 'n' && s[label + 2] == '-' &&
          ch == '-')
        return 0;
    } else {
      break;
    }
  }
  size_t host_end = p;
  if (host_end == host_start) return 0;
  size_t last = host_end;
  if (s[last - 1] == '.' && last - 1 > host_start) last--; /* one trailing dot is skipped */
  size_t last_start = last;
  while (last_start > host_start && s[last_start - 1] != '.') last_start--;
  if (last_start < last && s[last_start] >= '0' && s[last_start] <= '9') return 0;
  /* port: digits as serialized (no leading zero, not the default) */
  int32_t port = -1;
  if (p < n && s[p] == ':') {
    size_t d = ++p;
    uint32_t v = 0;
    while (p < n && s[p] >= '0' && s[p] <= '9' && p - d < 6) v = v * 10 + (s[p++] - '0');
    if (p == d || (s[d] == '0' && p - d > 1) || v > 65535 || (int32_t)v == default_port)
      return 0;
    port = (int32_t)v;
  }
  /* path: at least "/", no code point the path state would encode, no '\', no dot segment */
  if (p >= n || s[p] != '/') return 0;
  size_t path_start = p, seg = p + 1;
  for (p++;; p++) {
    uint16_t ch = p < n ? s[p] : '?';
    if (ch == '/' || ch == '?' || ch == '#') {
      if (maybe_dot_segment(s + seg, p - seg)) return 0;
      if (ch != '/') break;
      seg = p + 1;
    } else if (ch <= 0x20 || ch >= 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '\\' ||
               ch == '^' || ch == '`' || ch == '{' || ch == '|' || ch == '}') {
      return 0;
    }
  }
  if (p > n) p = n;
  size_t path_end = p;
  int32_t query = -1, fragment = -1;
  if (p < n && s[p] == '?') {
    query = (int32_t)p;
    for (p++; p < n && s[p] != '#'; p++) {
      uint16_t ch = s[p];
      if (ch <= 0x20 || ch >= 0x7F || ch == '"' || ch == '\'' || ch == '<' || ch == '>') return 0;
    }
  }
  if (p < n) { /* s[p] == '#' */
    fragment = (int32_t)p;
    for (p++; p < n; p++) {
      uint16_t ch = s[p];
      if (ch <= 0x20 || ch >= 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '`') return 0;
    }
  }
  if (n > INT32_MAX) return 0;
  c[EDDY__URLC_SCHEME_END] = (int32_t)scheme_end;
  for (int i = EDDY__URLC_USERNAME_START; i <= EDDY__URLC_HOST_START; i++)
    c[i] = (int32_t)host_start;
  c[EDDY__URLC_HOST_END] = (int32_t)host_end;
  c[EDDY__URLC_PORT] = port;
  c[EDDY__URLC_PATH_START] = (int32_t)path_start;
  c[EDDY__URLC_PATH_END] = (int32_t)path_end;
  c[EDDY__URLC_QUERY_START] = query;
  c[EDDY__URLC_FRAGMENT_START] = fragment;
  c[EDDY__URLC_FLAGS] = EDDY__URLF_HAS_HOST | EDDY__URLF_SPECIAL;
  return 1;
}
