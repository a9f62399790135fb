/* The WHATWG URL Standard's URL record, basic URL parser and serializer (url_parse.c) and host
   parser (url_host.c). Pure C, no JSC: url.c binds them to native.urlParse / native.urlSet.
   Internal, not part of the ABI. */
#ifndef EDDY_URL_H
#define EDDY_URL_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte string. A serialized URL and each of its components are ASCII: everything
   else is percent-encoded or, in hosts, punycode. */
typedef struct {
  char *p;
  size_t len, cap;
  int oom;
} eddy__ubuf;

/* The URL record. path is kept serialized: an opaque path as is, a list of segments as each
   segment preceded by '/', so that serializing it is a copy and shortening it a truncation. */
typedef struct {
  eddy__ubuf scheme, username, password, host, path, query, fragment;
  int has_host; /* host is non-null (it may be the empty host) */
  int has_query, has_fragment;
  int opaque_path;
  size_t path_segments; /* items of a non-opaque path */
  int32_t port;         /* -1: null */
} eddy__url;

/* State overrides, for the API's setters (the standard's "state override"). */
enum {
  EDDY__URL_NO_OVERRIDE = 0,
  EDDY__URL_SCHEME_START,
  EDDY__URL_HOST,
  EDDY__URL_HOSTNAME,
  EDDY__URL_PORT,
  EDDY__URL_PATH_START,
  EDDY__URL_QUERY,
  EDDY__URL_FRAGMENT,
};

/* Component offsets into a serialization (eddy__url_serialize). */
enum {
  EDDY__URLC_SCHEME_END, /* index of the ':' after the scheme */
  EDDY__URLC_USERNAME_START,
  EDDY__URLC_USERNAME_END,
  EDDY__URLC_PASSWORD_START,
  EDDY__URLC_PASSWORD_END,
  EDDY__URLC_HOST_START,
  EDDY__URLC_HOST_END,
  EDDY__URLC_PORT,      /* the number, -1 when null */
  EDDY__URLC_PATH_START,
  EDDY__URLC_PATH_END,
  EDDY__URLC_QUERY_START,    /* index of '?', -1 when the query is null */
  EDDY__URLC_FRAGMENT_START, /* index of '#', -1 when the fragment is null */
  EDDY__URLC_FLAGS,          /* EDDY__URLF_* */
  EDDY__URLC_COUNT
};
#define EDDY__URLF_HAS_HOST 1
#define EDDY__URLF_OPAQUE_PATH 2
#define EDDY__URLF_SPECIAL 4

/* Results of the parser. */
#define EDDY__URL_OK 0
#define EDDY__URL_FAILURE 1
#define EDDY__URL_NOMEM (-1)

void eddy__url_record_init(eddy__url *u);
void eddy__url_free(eddy__url *u);
int eddy__url_copy(eddy__url *dst, const eddy__url *src); /* dst uninitialised; 0 or NOMEM */

/* The basic URL parser on code points (input is UTF-16; lone surrogates count as U+FFFD).
   Without a state override, url is initialised here (and freed on failure); with one, url is an
   existing record that the parser changes in place (a failure may leave a change made before
   it, as the standard's setters do). base may be NULL. */
int eddy__url_parse(const uint16_t *input, size_t len, const eddy__url *base, eddy__url *url,
                    int state_override);

/* Recognises an input that is already the serialization of a special (not file:) URL without
   credentials, with an ASCII domain, a path and nothing the parser would rewrite: 1 and its
   component offsets in comps (the URL is the input), or 0 when the input needs the parser
   (which does not mean that it fails). */
int eddy__url_fast_parse(const uint16_t *input, size_t len, int32_t comps[EDDY__URLC_COUNT]);

/* Serializes url into out (initialised by the caller) and fills comps[EDDY__URLC_COUNT]. */
int eddy__url_serialize(const eddy__url *url, eddy__ubuf *out, int32_t comps[EDDY__URLC_COUNT]);

/* Special schemes and their default ports; -1 for file and for schemes that are not special,
   which have no default port (so a non-special URL keeps an explicit port 0). */
int eddy__url_scheme_special(const char *scheme, size_t len, int32_t *default_port);

/* The host parser: input code points [0, len) (already free of tab and newline), isOpaque as
   the standard names it. On success out holds the serialized host. */
int eddy__url_host_parse(const uint32_t *input, size_t len, int is_opaque, eddy__ubuf *out);

/* UTS #46 ToASCII with the URL standard's parameters on UTF-16, into out (ASCII). */
int eddy__url_domain_to_ascii(const uint16_t *domain, size_t len, eddy__ubuf *out);

/* Byte string helpers. Not NUL-terminated (p may be NULL while len is 0); a failed allocation
   sets oom, which makes every later write a no-op, checked once at the end. */
int eddy__ubuf_grow(eddy__ubuf *b, size_t more);
int eddy__ubuf_put(eddy__ubuf *b, const char *s, size_t n);
static inline int eddy__ubuf_putc(eddy__ubuf *b, char c) {
  if (b->len + 2 > b->cap && eddy__ubuf_grow(b, 1)) return -1;
  b->p[b->len++] = c;
  return 0;
}
void eddy__ubuf_free(eddy__ubuf *b);

/* Percent-encode sets (the standard's, as bit masks). */
enum {
  EDDY__PE_C0 = 1,
  EDDY__PE_FRAGMENT = 2,
  EDDY__PE_QUERY = 4,
  EDDY__PE_SPECIAL_QUERY = 8,
  EDDY__PE_PATH = 16,
  EDDY__PE_USERINFO = 32,
  EDDY__PE_COMPONENT = 64,
  EDDY__PE_FORM = 128,
};
/* UTF-8 percent-encodes code point c with the set, appending to b (upper-case hex). */
void eddy__url_percent_encode(eddy__ubuf *b, uint32_t c, int set);

#endif
