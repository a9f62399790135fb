/* native.urlParse: URL parsing and relative resolution with libcurl's URL API, so fetch, its
   redirects and the URL class share one parser with the transfers themselves. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "../internal.h"

static int to_utf8(JSContextRef ctx, JSValueRef v, char **out, JSValueRef *exc) {
  JSStringRef s = JSValueToStringCopy(ctx, v, exc);
  if (!s) return -1;
  int st = eddy__jsstring_to_utf8(s, out, NULL);
  JSStringRelease(s);
  return st;
}

static void set_str(JSContextRef ctx, JSObjectRef o, const char *key, const char *value) {
  JSStringRef s = eddy__jsstring_from_utf8(value ? value : "", value ? strlen(value) : 0);
  eddy__set_value(ctx, o, key, JSValueMakeString(ctx, s));
  JSStringRelease(s);
}

static char *part(CURLU *u, CURLUPart what, unsigned flags) {
  char *v = NULL;
  if (curl_url_get(u, what, &v, flags) != CURLUE_OK) return NULL;
  return v;
}

static JSValueRef url_parse(JSContextRef ctx, JSObjectRef f, JSObjectRef self, size_t argc,
                            const JSValueRef argv[], JSValueRef *exc) {
  (void)f;
  (void)self;
  if (argc < 1) return JSValueMakeNull(ctx);
  char *input = NULL, *base = NULL;
  if (to_utf8(ctx, argv[0], &input, exc)) return NULL;
  if (argc > 1 && !JSValueIsUndefined(ctx, argv[1]) && !JSValueIsNull(ctx, argv[1]) &&
      to_utf8(ctx, argv[1], &base, exc)) {
    free(input);
    return NULL;
  }
  CURLU *u = curl_url();
  int ok = u != NULL;
  /* Any scheme is accepted (data:, blob:…): fetch decides which it can serve. */
  unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE;
  if (ok && base) ok = curl_url_set(u, CURLUPART_URL, base, flags) == CURLUE_OK;
  if (ok) ok = curl_url_set(u, CURLUPART_URL, input, flags) == CURLUE_OK;
  free(input);
  free(base);
  if (!ok) {
    curl_url_cleanup(u);
    return JSValueMakeNull(ctx);
  }
  JSObjectRef o = JSObjectMake(ctx, NULL, NULL);
  char *scheme = part(u, CURLUPART_SCHEME, 0);
  char *user = part(u, CURLUPART_USER, 0), *password = part(u, CURLUPART_PASSWORD, 0);
  char *host = part(u, CURLUPART_HOST, 0), *port = part(u, CURLUPART_PORT, 0);
  char *path = part(u, CURLUPART_PATH, 0), *query = part(u, CURLUPART_QUERY, 0);
  char *fragment = part(u, CURLUPART_FRAGMENT, 0);
  char *href = part(u, CURLUPART_URL, 0);
  size_t n = scheme ? strlen(scheme) + 2 : 2;
  char *protocol = malloc(n);
  if (protocol) {
    strcpy(protocol, scheme ? scheme : "");
    strcat(protocol, ":");
  }
  set_str(ctx, o, "href", href);
  set_str(ctx, o, "protocol", protocol);
  set_str(ctx, o, "username", user);
  set_str(ctx, o, "password", password);
  set_str(ctx, o, "hostname", host);
  set_str(ctx, o, "port", port);
  set_str(ctx, o, "pathname", path);
  char *search = NULL, *hash = NULL;
  if (query && *query && (search = malloc(strlen(query) + 2))) {
    search[0] = '?';
    strcpy(search + 1, query);
  }
  if (fragment && *fragment && (hash = malloc(strlen(fragment) + 2))) {
    hash[0] = '#';
    strcpy(hash + 1, fragment);
  }
  set_str(ctx, o, "search", search);
  set_str(ctx, o, "hash", hash);
  free(search);
  free(hash);
  free(protocol);
  char *parts[] = {scheme, user, password, host, port, path, query, fragment, href};
  for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) curl_free(parts[i]);
  curl_url_cleanup(u);
  return o;
}

int eddy__url_init(eddy_engine *e, JSObjectRef native) {
  eddy__set_function(e->ctx, native, "urlParse", url_parse);
  return 0;
}
