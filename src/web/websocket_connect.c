/* The connecting stage of WebSocket (see src/web/websocket.c for the transport once connected):
   the key and the HTTP/1.1 Upgrade request, queued for when the socket is ours, and libcurl
   with CURLOPT_CONNECT_ONLY on a multi handle of the socket's own, driven by the engine's loop
   (one uv_poll_t per socket curl asks for, one timer). When curl is done, the connection's socket
   gets its own poll and websocket.c's reading, which checks the 101 response
   (eddy__ws_check_response, websocket_frame.c). Nothing here calls JS. */
#include <stdio.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "websocket.h"

/* ---- curl multi on the loop ------------------------------------------------------------------ */

static void connected(ws *s) {
  curl_socket_t fd = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(s->easy, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK || fd == CURL_SOCKET_BAD) {
    eddy__ws_handshake_failed(s, "no connection after connecting");
    return;
  }
  /* Plain TCP to the server itself (no TLS, no proxy's CONNECT, which may be TLS to the proxy):
     curl has no layer of its own on the bytes. */
  long connect_code = 0;
  curl_easy_getinfo(s->easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
  s->raw = !s->tls && connect_code == 0;
  s->fd = fd;
  /* curl no longer watches the socket: its polls go, the connection's own replaces them. */
  while (s->polls) eddy__ws_wpoll_close(s, s->polls);
  wpoll *p = calloc(1, sizeof(*p));
  if (!p || uv_poll_init_socket(&s->w->e->loop, &p->poll, fd)) {
    free(p);
    eddy__ws_handshake_failed(s, "cannot watch the connection");
    return;
  }
  p->s = s;
  p->fd = fd;
  p->poll.data = p;
  s->handles++;
  s->polls = p;
  s->io = p;
  s->state = ST_HANDSHAKE;
  eddy__ws_flush(s); /* the upgrade request, queued at creation */
  if (!s->close_queued) eddy__ws_read_all(s);
  /* A pong for a ping that came with the handshake response. */
  if (!s->close_queued && s->out_len > s->out_off) eddy__ws_flush(s);
}

static void check_multi(ws *s) {
  CURLMsg *m;
  int left;
  while (s->multi && (m = curl_multi_info_read(s->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    CURLcode rc = m->data.result;
    if (rc != CURLE_OK) {
      char why[CURL_ERROR_SIZE + 64];
      snprintf(why, sizeof why, "%s", s->error[0] ? s->error : curl_easy_strerror(rc));
      eddy__ws_handshake_failed(s, why);
      return;
    }
    connected(s);
    return;
  }
}

static void on_curl_poll(uv_poll_t *handle, int status, int events) {
  wpoll *p = (wpoll *)handle;
  ws *s = p->s;
  if (s->finished || s->close_queued || s->state != ST_CONNECTING) return;
  int flags = 0;
  if (status < 0) flags = CURL_CSELECT_IN | CURL_CSELECT_OUT;
  if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  int running;
  curl_multi_socket_action(s->multi, p->fd, flags, &running);
  check_multi(s);
}

static int on_curl_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
  (void)easy;
  (void)socketp;
  ws *s = userp;
  if (s->state != ST_CONNECTING) return 0; /* the connection is ours now (or closing) */
  wpoll *p = s->polls;
  while (p && p->fd != fd) p = p->next;
  if (what == CURL_POLL_REMOVE) {
    if (p) eddy__ws_wpoll_close(s, p);
    return 0;
  }
  if (!p) {
    p = calloc(1, sizeof(*p));
    if (!p) return -1;
    if (uv_poll_init_socket(&s->w->e->loop, &p->poll, fd)) {
      free(p);
      return -1;
    }
    p->s = s;
    p->fd = fd;
    p->poll.data = p;
    p->next = s->polls;
    s->polls = p;
    s->handles++;
  }
  int events = 0;
  if (what & CURL_POLL_IN) events |= UV_READABLE;
  if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
  if (events != p->events) {
    p->events = events;
    uv_poll_start(&p->poll, events, on_curl_poll);
  }
  return 0;
}

static void on_curl_timer_fire(uv_timer_t *t) {
  ws *s = t->data;
  if (s->finished || s->close_queued || s->state != ST_CONNECTING) return;
  int running;
  curl_multi_socket_action(s->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_multi(s);
}

static int on_curl_timer(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  ws *s = userp;
  if (timeout_ms < 0) uv_timer_stop(&s->curl_timer);
  else uv_timer_start(&s->curl_timer, on_curl_timer_fire, (uint64_t)timeout_ms, 0);
  return 0;
}

/* ---- starting ------------------------------------------------------------------------------- */

/* Whether the script's header lines (lower-case names, websocket.js) have name ("host:"). */
static int sets_header(const char *p, const char *name) {
  size_t len = strlen(name);
  while (p && *p) {
    if (strncmp(p, name, len) == 0) return 1;
    p = strstr(p, "\r\n");
    if (p) p += 2;
  }
  return 0;
}

const char *eddy__ws_connect(ws *s, const char *host, const char *target) {
  const char *url = s->url, *protocols = s->protocols, *headers = s->headers ? s->headers : "";
  /* The key and the upgrade request, written once connected. */
  uint8_t raw[16];
  if (RAND_bytes(raw, sizeof raw) != 1) memset(raw, 0x42, sizeof raw);
  EVP_EncodeBlock((unsigned char *)s->key, raw, sizeof raw);
  size_t need = strlen(host) + strlen(target) + strlen(protocols) + strlen(headers) + 512;
  if (eddy__ws_grow((void **)&s->out, &s->out_cap, need)) return "out of memory";
  /* The script's Host and User-Agent replace eddy's, as with fetch. */
  int own_host = !sets_header(headers, "host:"), own_agent = !sets_header(headers, "user-agent:");
  int n = snprintf((char *)s->out, s->out_cap,
                   "GET %s HTTP/1.1\r\n%s%s%sUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                   "%s%s%s"
                   "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                   "%s%s\r\n",
                   target, own_host ? "Host: " : "", own_host ? host : "", own_host ? "\r\n" : "",
                   s->key, *protocols ? "Sec-WebSocket-Protocol: " : "", protocols,
                   *protocols ? "\r\n" : "", headers,
                   own_agent ? "User-Agent: eddy/" EDDY_VERSION_STRING "\r\n" : "");
  s->out_len = (size_t)n;
  s->queued_total = (uint64_t)n;
  /* The connection, as fetch makes one. */
  CURL *c = s->easy = curl_easy_init();
  s->multi = c ? curl_multi_init() : NULL;
  if (!c || !s->multi) return "out of memory";
  eddy__curl_common_options(s->w->e, c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1); /* ALPN http/1.1 */
  curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L); /* through a proxy: CONNECT, as browsers */
  curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
  /* curl_easy_recv reads at most this much per call (16 KiB by default). */
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, (long)READ_CHUNK);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)s->w->open_timeout_ms);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->error);
  s->tls = strncasecmp(url, "https:", 6) == 0;
  curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
  curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
  curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
  curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
  if (curl_multi_add_handle(s->multi, c) != CURLM_OK) return "cannot start the connection";
  s->in_multi = 1;
  return NULL;
}
