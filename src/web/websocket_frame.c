/* The framing half of WebSocket (see src/web/websocket.c for the transport): the server's
   upgrade response (RFC 6455 4.1, RFC 7692 7.1), outgoing frames with their masks and
   permessage-deflate, and incoming frames: reassembly, control frames, UTF-8 validation of text
   and the message size limit. Nothing here calls JS or curl; what is decided becomes an event
   (eddy__ws_push_event) or a failure (eddy__ws_fail). */
#include <stdio.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "websocket.h"

static void random_bytes(eddy__ws *w, uint8_t out[4]) {
  if (w->rnd_pos + 4 > sizeof w->rnd) {
    if (RAND_bytes(w->rnd, sizeof w->rnd) != 1) memset(w->rnd, 0x5a, sizeof w->rnd);
    w->rnd_pos = 0;
  }
  memcpy(out, w->rnd + w->rnd_pos, 4);
  w->rnd_pos += 4;
}

/* dst = src masked with key (RFC 6455 5.3), 16 bytes a step: the key repeats every 4 bytes,
   so a 16-byte word of it lines up with every 16-byte step of the payload. */
static void mask_copy(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t key[4]) {
  uint64_t k8[2];
  for (int i = 0; i < 16; i++) ((uint8_t *)k8)[i] = key[i & 3];
  size_t i = 0;
  for (; i + 16 <= len; i += 16) {
    uint64_t v[2];
    memcpy(v, src + i, 16);
    v[0] ^= k8[0];
    v[1] ^= k8[1];
    memcpy(dst + i, v, 16);
  }
  for (; i < len; i++) dst[i] = src[i] ^ key[i & 3];
}

/* Appends one masked frame to the output queue. payload counts toward bufferedAmount. */
int eddy__ws_queue_frame(ws *s, int opcode, int rsv1, const uint8_t *data, size_t len,
                       uint64_t payload) {
  size_t head = 2 + 4 + (len < 126 ? 0 : len < 65536 ? 2 : 8);
  if (s->out_off > 0 && s->out_off >= s->out_len / 2) { /* reclaim the written part */
    memmove(s->out, s->out + s->out_off, s->out_len - s->out_off);
    s->out_len -= s->out_off;
    s->out_off = 0;
  }
  if (len > SIZE_MAX - head - s->out_len) return EDDY_ENOMEM;
  if (eddy__ws_grow((void **)&s->out, &s->out_cap, s->out_len + head + len)) return EDDY_ENOMEM;
  uint8_t *p = s->out + s->out_len;
  *p++ = (uint8_t)(0x80 | (rsv1 ? 0x40 : 0) | opcode);
  if (len < 126) {
    *p++ = (uint8_t)(0x80 | len);
  } else if (len < 65536) {
    *p++ = 0x80 | 126;
    *p++ = (uint8_t)(len >> 8);
    *p++ = (uint8_t)len;
  } else {
    *p++ = 0x80 | 127;
    for (int i = 7; i >= 0; i--) *p++ = (uint8_t)((uint64_t)len >> (8 * i));
  }
  uint8_t key[4];
  random_bytes(s->w, key);
  memcpy(p, key, 4);
  p += 4;
  mask_copy(p, data, len, key);
  s->out_len += head + len;
  s->queued_total += head + len;
  if (payload) {
    if (s->marks_head + s->marks_len == s->marks_cap / sizeof(mark)) {
      if (s->marks_head) {
        memmove(s->marks, s->marks + s->marks_head, s->marks_len * sizeof(mark));
        s->marks_head = 0;
      } else if (eddy__ws_grow((void **)&s->marks, &s->marks_cap, (s->marks_len + 1) * sizeof(mark))) {
        return EDDY_ENOMEM;
      }
    }
    s->marks[s->marks_head + s->marks_len++] =
        (mark){s->queued_total - len, s->queued_total, payload};
    s->buffered += payload;
  }
  return 0;
}

int eddy__ws_queue_close(ws *s, int code, const char *reason, size_t reason_len) {
  uint8_t body[125];
  size_t n = 0;
  if (code > 0) {
    body[0] = (uint8_t)(code >> 8);
    body[1] = (uint8_t)code;
    if (reason_len > 123) reason_len = 123;
    if (reason_len) memcpy(body + 2, reason, reason_len);
    n = 2 + reason_len;
  }
  s->close_sent = 1;
  return eddy__ws_queue_frame(s, OP_CLOSE, 0, body, n, 0);
}

/* A data message, compressed when negotiated and worth it. */
int eddy__ws_send_message(ws *s, int opcode, const uint8_t *data, size_t len) {
  if (!s->deflate || len < DEFLATE_MIN || s->client_bits == 8)
    return eddy__ws_queue_frame(s, opcode, 0, data, len, len);
  z_stream *z = &s->zout;
  size_t cap = deflateBound(z, len) + 16, out_len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) return EDDY_ENOMEM;
  z->next_in = (Bytef *)data;
  z->avail_in = (uInt)len;
  int zr;
  do {
    if (cap - out_len < 64) {
      uint8_t *p = realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        return EDDY_ENOMEM;
      }
      buf = p;
      cap *= 2;
    }
    z->next_out = buf + out_len;
    z->avail_out = (uInt)(cap - out_len);
    zr = deflate(z, Z_SYNC_FLUSH);
    out_len = cap - z->avail_out;
  } while (zr == Z_OK && (z->avail_in > 0 || z->avail_out == 0));
  if (zr != Z_OK && zr != Z_BUF_ERROR) {
    free(buf);
    return EDDY_ENOMEM;
  }
  /* RFC 7692 7.2.1: the sync flush's empty block 00 00 ff ff is left off. */
  if (out_len >= 4 && memcmp(buf + out_len - 4, "\x00\x00\xff\xff", 4) == 0) out_len -= 4;
  if (s->client_no_ctx) deflateReset(z);
  int st = eddy__ws_queue_frame(s, opcode, 1, buf, out_len, len);
  free(buf);
  return st;
}

/* ---- reading: the handshake response ------------------------------------------------------- */

static int token_in_list(const char *v, size_t n, const char *token) {
  size_t tl = strlen(token), i = 0;
  while (i < n) {
    while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
    size_t st = i;
    while (i < n && v[i] != ',') i++;
    size_t en = i;
    while (en > st && (v[en - 1] == ' ' || v[en - 1] == '\t')) en--;
    if (en - st == tl && strncasecmp(v + st, token, tl) == 0) return 1;
  }
  return 0;
}

static void expected_accept(const char *key, char out[32]) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%s%s", key, WS_GUID);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1((const unsigned char *)buf, (size_t)n, digest);
  EVP_EncodeBlock((unsigned char *)out, digest, SHA_DIGEST_LENGTH);
}

/* Parses "permessage-deflate; p=v; …" (RFC 7692 7.1): 0 if acceptable, with the settings
   taken; -1 with s->error set. */
static int accept_extensions(ws *s, const char *v, size_t n) {
  if (n == 0) return 0;
  char *copy = eddy__ws_dup(v, n);
  if (!copy) return -1;
  int seen_ext = 0, ok = 1;
  int seen_snc = 0, seen_cnc = 0, seen_smwb = 0, seen_cmwb = 0;
  char *save_ext = NULL;
  for (char *ext = strtok_r(copy, ",", &save_ext); ext && ok; ext = strtok_r(NULL, ",", &save_ext)) {
    char *save = NULL;
    char *name = strtok_r(ext, ";", &save);
    while (name && (*name == ' ' || *name == '\t')) name++;
    size_t nl = name ? strlen(name) : 0;
    while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t')) name[--nl] = '\0';
    if (!name || strcasecmp(name, "permessage-deflate") != 0 || seen_ext) {
      snprintf(s->error, sizeof s->error, "the server accepted an extension not offered: %.100s",
               name ? name : "");
      ok = 0;
      break;
    }
    seen_ext = 1;
    for (char *p = strtok_r(NULL, ";", &save); p && ok; p = strtok_r(NULL, ";", &save)) {
      while (*p == ' ' || *p == '\t') p++;
      char *eq = strchr(p, '=');
      char *val = NULL;
      if (eq) {
        *eq = '\0';
        val = eq + 1;
        while (*val == ' ' || *val == '\t') val++;
        size_t vl = strlen(val);
        while (vl && (val[vl - 1] == ' ' || val[vl - 1] == '\t')) val[--vl] = '\0';
        if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
          val[vl - 1] = '\0';
          val++;
        }
      }
      size_t pl = strlen(p);
      while (pl && (p[pl - 1] == ' ' || p[pl - 1] == '\t')) p[--pl] = '\0';
      int bits = -1;
      if (val) {
        char *end = NULL;
        long b = strtol(val, &end, 10);
        if (*val && !*end && b >= 8 && b <= 15 && val[0] != '0') bits = (int)b;
      }
      if (strcasecmp(p, "server_no_context_takeover") == 0 && !val && !seen_snc) {
        seen_snc = 1;
        s->server_no_ctx = 1;
      } else if (strcasecmp(p, "client_no_context_takeover") == 0 && !val && !seen_cnc) {
        seen_cnc = 1;
        s->client_no_ctx = 1;
      } else if (strcasecmp(p, "server_max_window_bits") == 0 && bits > 0 && !seen_smwb) {
        seen_smwb = 1; /* inflating with a 32 KiB window reads any smaller one */
      } else if (strcasecmp(p, "client_max_window_bits") == 0 && bits > 0 && !seen_cmwb) {
        seen_cmwb = 1;
        s->client_bits = bits;
      } else {
        snprintf(s->error, sizeof s->error,
                 "invalid permessage-deflate parameter in the server's response: %.80s", p);
        ok = 0;
      }
    }
  }
  free(copy);
  if (!ok) return -1;
  if (seen_ext) {
    s->deflate = 1;
    if (inflateInit2(&s->zin, -15) != Z_OK) return -1;
    s->z_in_ready = 1;
    /* zlib cannot make 256-byte-window raw streams: with client_max_window_bits=8 every
       message goes uncompressed (send_message). */
    int bits = s->client_bits == 8 ? 9 : s->client_bits;
    if (deflateInit2(&s->zout, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -bits, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
      return -1;
    s->z_out_ready = 1;
  }
  return 0;
}

/* The response head is in[0, head_len). 0: open; -1: failed (close event queued). */
int eddy__ws_check_response(ws *s, size_t head_len) {
  const char *p = (const char *)s->in, *end = p + head_len;
  const char *eol = memchr(p, '\n', head_len);
  if (!eol || eol - p < 12 || memcmp(p, "HTTP/1.1 ", 9) != 0) {
    eddy__ws_handshake_failed(s, "the server's handshake response is not HTTP/1.1");
    return -1;
  }
  /* RFC 9110 5.5: a field value with NUL is invalid, to be rejected (it would cut what the
     string functions below and the script see short). */
  if (memchr(p, '\0', head_len)) {
    eddy__ws_handshake_failed(s, "the server's handshake response contains a NUL byte");
    return -1;
  }
  /* Three digits, then a space or the line's end: summing the digits' values took "1/;" and
     "1010" for 101 (tests/fuzz/regressions/ws_frames). p[12] is at most the '\n'. */
  if (memcmp(p + 9, "101", 3) != 0 || (p[12] != ' ' && p[12] != '\r' && p[12] != '\n')) {
    char why[96];
    int n = 0; /* the status code as sent, "1010" too */
    while (n < 10 && p + 9 + n < eol && p[9 + n] != ' ' && p[9 + n] != '\r') n++;
    snprintf(why, sizeof why, "the server answered the handshake with HTTP status %.*s", n, p + 9);
    eddy__ws_handshake_failed(s, why);
    return -1;
  }
  char accept[32];
  expected_accept(s->key, accept);
  int upgrade = 0, connection = 0, accept_ok = 0, accept_seen = 0, proto_seen = 0;
  char *proto = NULL, *exts = NULL;
  size_t exts_len = 0;
  const char *why = NULL;
  for (const char *line = eol + 1; line < end && !why;) {
    const char *le = memchr(line, '\n', (size_t)(end - line));
    if (!le) le = end;
    const char *ve = le;
    while (ve > line && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
    const char *colon = memchr(line, ':', (size_t)(ve - line));
    if (colon) {
      size_t nl = (size_t)(colon - line);
      const char *v = colon + 1;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      size_t vl = (size_t)(ve - v);
#define IS(name) (nl == sizeof(name) - 1 && strncasecmp(line, name, nl) == 0)
      if (IS("upgrade")) {
        upgrade = vl == 9 && strncasecmp(v, "websocket", 9) == 0;
      } else if (IS("connection")) {
        connection |= token_in_list(v, vl, "upgrade");
      } else if (IS("sec-websocket-accept")) {
        accept_ok = !accept_seen && vl == strlen(accept) && memcmp(v, accept, vl) == 0;
        accept_seen = 1;
      } else if (IS("sec-websocket-protocol")) {
        if (proto_seen) why = "the server sent Sec-WebSocket-Protocol twice";
        proto_seen = 1;
        free(proto);
        proto = eddy__ws_dup(v, vl);
      } else if (IS("sec-websocket-extensions")) {
        char *n = realloc(exts, exts_len + vl + 3);
        if (n) {
          exts = n;
          if (exts_len) {
            exts[exts_len++] = ',';
            exts[exts_len++] = ' ';
          }
          memcpy(exts + exts_len, v, vl);
          exts_len += vl;
          exts[exts_len] = '\0';
        }
      }
#undef IS
    }
    line = le + 1;
  }
  if (!why && !upgrade) why = "the server's handshake response has no Upgrade: websocket";
  if (!why && !connection) why = "the server's handshake response has no Connection: Upgrade";
  if (!why && !accept_ok) why = "the server's Sec-WebSocket-Accept does not match the key";
  if (!why && proto) {
    /* It must be one the script asked for. */
    int found = 0;
    const char *r = s->protocols;
    size_t pl = strlen(proto);
    while (*r && !found) {
      const char *c = strchr(r, ',');
      size_t n = c ? (size_t)(c - r) : strlen(r);
      found = n == pl && memcmp(r, proto, n) == 0;
      r = c ? c + 2 : r + n;
    }
    if (!found || pl == 0) why = "the server chose a subprotocol the script did not ask for";
  }
  s->error[0] = '\0';
  if (!why && accept_extensions(s, exts ? exts : "", exts_len))
    why = s->error[0] ? s->error : "invalid Sec-WebSocket-Extensions";
  if (why) {
    eddy__ws_handshake_failed(s, why);
    free(proto);
    free(exts);
    return -1;
  }
  s->state = ST_OPEN;
  uv_timer_stop(&s->deadline);
  evt *ev = eddy__ws_push_event(s, EV_OPEN);
  if (!ev) {
    /* Without its open event the script would get messages while CONNECTING. */
    free(proto);
    free(exts);
    eddy__ws_fail(s, 1011, "%s", "out of memory");
    return -1;
  }
  ev->s1 = proto ? proto : eddy__ws_dup("", 0);
  /* What the script sees in `extensions`: the negotiated list as the server sent it; nothing
     when nothing was (a field of only commas). */
  if (!s->deflate) {
    free(exts);
    exts = NULL;
  }
  ev->s2 = exts ? exts : eddy__ws_dup("", 0);
  return 0;
}

/* During the handshake, n bytes were just added to s->in: finds the end of the response's head,
   checks it, and leaves in s->in what followed it (frames already). 1: the head is not whole yet
   (or too large: the handshake failed); 0: taken, the connection open; -1: the check failed it. */
int eddy__ws_take_head(ws *s, size_t n) {
  uint8_t *end = NULL;
  for (size_t i = s->in_len - n >= 3 ? s->in_len - n - 3 : 0; i + 4 <= s->in_len; i++)
    if (memcmp(s->in + i, "\r\n\r\n", 4) == 0) {
      end = s->in + i + 4;
      break;
    }
  if (!end) {
    if (s->in_len > HEAD_MAX) eddy__ws_handshake_failed(s, "the server's handshake response is too large");
    return 1;
  }
  size_t head_len = (size_t)(end - s->in);
  if (eddy__ws_check_response(s, head_len)) return -1;
  memmove(s->in, end, s->in_len - head_len);
  s->in_len -= head_len;
  return 0;
}

/* ---- reading: frames ----------------------------------------------------------------------- */

static int valid_close_code(int c) {
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);
}

static int utf8_valid(const uint8_t *s, size_t n) {
  uint16_t *u = NULL;
  size_t ul = 0;
  int r = eddy__utf8_to_utf16(s, n, 1, &u, &ul);
  free(u);
  return r == 0;
}

/* After a final block: a fresh stream that still sees the last 32 KiB (context takeover). The
   window is on the heap: the loop may run on a host thread with a small stack (docs/embedding.md),
   and a final block is rare. */
static int inflate_restart(z_stream *z) {
  uInt n = 32768;
  uint8_t *window = malloc(n);
  int r = window && inflateGetDictionary(z, window, &n) == Z_OK && inflateReset(z) == Z_OK &&
                  (n == 0 || inflateSetDictionary(z, window, n) == Z_OK)
              ? 0
              : -1;
  free(window);
  return r;
}

/* Inflates msg in place (RFC 7692 7.2.2): 0, -1 corrupt, -2 too large, -3 out of memory. */
static int inflate_message(ws *s) {
  static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
  z_stream *z = &s->zin;
  size_t cap = s->msg_len * 3 + 1024, out_len = 0;
  uint8_t *out = malloc(cap);
  if (!out) return -3;
  int r = 0;
  for (int part = 0; part < 2 && r == 0; part++) {
    z->next_in = part ? (Bytef *)tail : s->msg;
    z->avail_in = part ? 4 : (uInt)s->msg_len;
    while (z->avail_in > 0 || (part && z->avail_out == 0)) {
      if (cap - out_len < 1024) {
        if (cap > s->w->max_message + 2048) {
          r = -2;
          break;
        }
        uint8_t *p = realloc(out, cap * 2);
        if (!p) {
          r = -3;
          break;
        }
        out = p;
        cap *= 2;
      }
      z->next_out = out + out_len;
      z->avail_out = (uInt)(cap - out_len);
      int zr = inflate(z, Z_SYNC_FLUSH);
      out_len = cap - z->avail_out;
      if (out_len > s->w->max_message) {
        r = -2;
        break;
      }
      if (zr == Z_STREAM_END) {
        /* A final block (RFC 7692 7.2.3.4): what follows, in this message (its example ends
           with a 0x00 octet after one) or the next, is a new stream over the same window. */
        if (inflate_restart(z)) {
          r = -1;
          break;
        }
      } else if (zr == Z_BUF_ERROR) {
        if (z->avail_out != 0) break; /* needs more input: all of it was given */
      } else if (zr != Z_OK) {
        r = -1;
        break;
      }
    }
  }
  if (r == 0 && s->server_no_ctx) inflateReset(z);
  if (r) {
    free(out);
    return r;
  }
  free(s->msg);
  s->msg = out;
  s->msg_len = out_len;
  s->msg_cap = cap;
  return 0;
}

static void too_large(ws *s) {
  char lim[32];
  snprintf(lim, sizeof lim, "%llu", (unsigned long long)s->w->max_message);
  eddy__ws_fail(s, 1009, "message larger than the engine's limit of %s bytes (max_websocket_message)",
          lim);
}

/* A whole data message in s->msg. 0, or -1 after failing s. */
static int message_done(ws *s) {
  if (s->msg_deflated) {
    int r = inflate_message(s);
    if (r == -2) {
      too_large(s);
      return -1;
    }
    if (r) {
      eddy__ws_fail(s, r == -1 ? 1007 : 1011, "%s",
              r == -1 ? "invalid permessage-deflate data" : "out of memory");
      return -1;
    }
  }
  evt *v = NULL;
  if (s->msg_op == OP_TEXT) {
    uint16_t *u = NULL;
    size_t ul = 0;
    int r = eddy__utf8_to_utf16(s->msg ? s->msg : (const uint8_t *)"", s->msg_len, 1, &u, &ul);
    if (r) {
      free(u);
      eddy__ws_fail(s, r == -1 ? 1007 : 1011, "%s",
              r == -1 ? "a text message is not valid UTF-8" : "out of memory");
      return -1;
    }
    v = eddy__ws_push_event(s, EV_TEXT);
    if (!v) {
      free(u);
      goto lost;
    }
    v->text = u;
    v->len = ul;
  } else {
    v = eddy__ws_push_event(s, EV_BINARY);
    if (!v) goto lost;
    v->bytes = s->msg; /* handed over, the next message gets a new buffer */
    v->len = s->msg_len;
    s->msg = NULL;
    s->msg_cap = 0;
  }
  s->msg_len = 0;
  s->in_message = 0;
  if (s->msg_cap > READ_CHUNK * 4) {
    free(s->msg);
    s->msg = NULL;
    s->msg_cap = 0;
  }
  return 0;
lost:
  /* Out of memory for the event: a message must not go missing, and the one left in s->msg
     (in_message still set) would take the server's next message for a protocol error
     (tests/fuzz/regressions/ws_frames/lost_*). */
  eddy__ws_fail(s, 1011, "%s", "out of memory");
  return -1;
}

static int control_frame(ws *s, int op, const uint8_t *p, size_t n) {
  if (op == OP_PING) {
    if (s->close_sent) return 0;
    if (eddy__ws_queue_frame(s, OP_PONG, 0, p, n, 0)) {
      eddy__ws_fail(s, 1011, "%s", "out of memory");
      return -1;
    }
    return 0;
  }
  if (op == OP_PONG) return 0;
  /* close */
  int code = 1005;
  const char *reason = "";
  size_t rlen = 0;
  if (n == 1) {
    eddy__ws_fail(s, 1002, "%s", "the server sent a close frame of one byte");
    return -1;
  }
  if (n >= 2) {
    code = p[0] << 8 | p[1];
    if (!valid_close_code(code)) {
      eddy__ws_fail(s, 1002, "the server sent an invalid close code%s", "");
      return -1;
    }
    reason = (const char *)p + 2;
    rlen = n - 2;
    if (!utf8_valid(p + 2, rlen)) {
      eddy__ws_fail(s, 1007, "%s", "the server's close reason is not valid UTF-8");
      return -1;
    }
  }
  s->close_received = 1;
  s->peer_code = code;
  s->peer_reason_len = rlen;
  if (rlen) memcpy(s->peer_reason, reason, rlen);
  s->state = ST_CLOSING;
  if (!s->close_sent) {
    /* The closing handshake starts here: the script sees CLOSING until TCP closes (WHATWG). */
    eddy__ws_push_event(s, EV_CLOSING);
    /* Echo the code (RFC 6455 5.5.1). */
    eddy__ws_queue_close(s, code == 1005 ? 0 : code, NULL, 0);
    eddy__ws_flush(s);
    if (s->close_queued) return -1;
  }
  /* The close event carries what the server sent, once the server closed TCP. */
  eddy__ws_await_tcp_close(s);
  return -1;
}

size_t eddy__ws_large_frame_rest(const ws *s) {
  const uint8_t *p = s->in;
  if (s->in_len < 4 || (p[1] & 0x7f) < 126) return 0;
  uint64_t len = 0;
  size_t head = 4;
  if ((p[1] & 0x7f) == 126) {
    len = (uint64_t)p[2] << 8 | p[3];
  } else {
    if (s->in_len < 10) return 0;
    for (int i = 0; i < 8; i++) len = len << 8 | p[2 + i];
    head = 10;
  }
  if (len < READ_CHUNK || len > s->w->max_message || head + len <= s->in_len) return 0;
  return (size_t)(head + len - s->in_len);
}

/* Parses the frames in in[0, in_len). 0, or -1 when the connection is over. */
int eddy__ws_parse_frames(ws *s) {
  size_t pos = 0;
  int r = 0;
  while (r == 0 && s->in_len - pos >= 2) {
    const uint8_t *p = s->in + pos;
    size_t avail = s->in_len - pos;
    int fin = p[0] & 0x80, rsv1 = p[0] & 0x40, op = p[0] & 0x0f;
    if (p[1] & 0x80) {
      eddy__ws_fail(s, 1002, "%s", "the server sent a masked frame");
      return -1;
    }
    uint64_t len = p[1] & 0x7f;
    size_t head = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t)p[2] << 8 | p[3];
      head = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | p[2 + i];
      head = 10;
      if (len >> 63) {
        eddy__ws_fail(s, 1002, "%s", "the server sent an invalid frame length");
        return -1;
      }
    }
    if ((p[0] & 0x30) || (rsv1 && (!s->deflate || op == OP_CONT || op >= 8))) {
      eddy__ws_fail(s, 1002, "%s", "the server set a reserved frame bit");
      return -1;
    }
    if (op >= 8) {
      if (op > OP_PONG || !fin || len > 125) {
        eddy__ws_fail(s, 1002, "%s", op > OP_PONG ? "unknown opcode" : "invalid control frame");
        return -1;
      }
    } else if (op != OP_CONT && op != OP_TEXT && op != OP_BINARY) {
      eddy__ws_fail(s, 1002, "%s", "unknown opcode");
      return -1;
    } else if ((op == OP_CONT) != (s->in_message != 0)) {
      eddy__ws_fail(s, 1002, "%s",
              op == OP_CONT ? "a continuation frame outside a message"
                            : "a new message before the last one ended");
      return -1;
    } else if (len > s->w->max_message || s->msg_len + len > s->w->max_message) {
      too_large(s);
      return -1;
    }
    if (avail - head < len) break;
    const uint8_t *data = p + head;
    if (op == OP_BINARY && fin && !rsv1 && len >= READ_CHUNK && head + len == avail) {
      /* A large message that ends the receive buffer: the buffer itself goes to JS. */
      evt *v = eddy__ws_push_event(s, EV_BINARY);
      if (!v) {
        eddy__ws_fail(s, 1011, "%s", "out of memory");
        return -1;
      }
      v->base = s->in;
      v->bytes = (uint8_t *)data;
      v->len = (size_t)len;
      s->in = NULL;
      s->in_len = s->in_cap = 0;
      return 0;
    }
    if (op >= 8) {
      r = control_frame(s, op, data, (size_t)len);
    } else {
      if (op != OP_CONT) {
        s->in_message = 1;
        s->msg_op = op;
        s->msg_deflated = rsv1 != 0;
        s->msg_len = 0;
      }
      if (len && eddy__ws_grow((void **)&s->msg, &s->msg_cap, s->msg_len + (size_t)len)) {
        eddy__ws_fail(s, 1011, "%s", "out of memory");
        return -1;
      }
      if (len) memcpy(s->msg + s->msg_len, data, (size_t)len);
      s->msg_len += (size_t)len;
      if (fin) r = message_done(s);
    }
    pos += head + (size_t)len;
  }
  if (r == 0 && pos) {
    memmove(s->in, s->in + pos, s->in_len - pos);
    s->in_len -= pos;
  }
  return r;
}

/* ---- freeing --------------------------------------------------------------------------------- */

void eddy__ws_evt_free(evt *v) {
  free(v->text);
  free(v->base ? v->base : v->bytes);
  free(v->s1);
  free(v->s2);
  free(v);
}

/* A socket's memory, its queued events too (websocket.c closes its handles first). */
void eddy__ws_free(ws *s) {
  while (s->ev_head) {
    evt *v = s->ev_head;
    s->ev_head = v->next;
    eddy__ws_evt_free(v);
  }
  if (s->z_in_ready) inflateEnd(&s->zin);
  if (s->z_out_ready) deflateEnd(&s->zout);
  free(s->protocols);
  free(s->headers);
  free(s->url);
  free(s->out);
  free(s->marks);
  free(s->in);
  free(s->msg);
  free(s);
}
