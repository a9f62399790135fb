/* HTTP transfers, the script's side: after curl returned, on the JS thread, the heads, chunks
   and ends that arrived are handed to JS in one VM entry per loop turn, and finished transfers
   are harvested from the multi. */
#include <stdio.h>

#include "http.h"

/* ---- dispatch: JS callbacks, on the JS thread after curl returned ------------------------ */

static JSValueRef latin1_value(eddy__http *h, JSContextRef ctx, const char *s, size_t len) {
  size_t i = 0;
  while (i < len && !(s[i] & 0x80)) i++;
  JSStringRef js = NULL;
  if (i == len) {
    js = JSStringCreateWithUTF8CString(s); /* s is NUL-terminated; ASCII is its own UTF-8 */
  } else if (http_grow((void **)&h->u16, &h->u16_cap, len, sizeof(uint16_t)) == 0) {
    for (size_t k = 0; k < len; k++) h->u16[k] = (unsigned char)s[k]; /* isomorphic decode */
    js = JSStringCreateWithCharacters(h->u16, len);
  }
  if (!js) return JSValueMakeUndefined(ctx);
  JSValueRef v = JSValueMakeString(ctx, js);
  JSStringRelease(js);
  return v;
}

/* onResponse through the `head` trampoline of wrapper_src: the whole head travels as one
   string "name\nvalue\n…reason\nurl" that JS splits, instead of a C API call per field. */
/* args[0..2] = onResponse, status, packed head. */
static void head_args(eddy__http *h, xfer *x, JSValueRef args[3]) {
  JSContextRef ctx = h->e->ctx;
  char *url = NULL;
  curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url);
  if (!url) url = "";
  size_t ulen = strlen(url);
  int url_ascii = 1;
  for (size_t i = 0; i < ulen && url_ascii; i++) url_ascii = (unsigned char)url[i] < 0x80;
  size_t hlen = x->head_len, rlen = x->reason_len;
  /* Field bytes are Latin-1 (isomorphic decode, as fetch does); the URL is UTF-8. */
  uint16_t *u = NULL;
  size_t un = ulen;
  JSStringRef js = NULL;
  if (!url_ascii && eddy__utf8_to_utf16((const uint8_t *)url, ulen, 0, &u, &un)) un = 0;
  size_t total = hlen + rlen + 1 + un;
  if (http_grow((void **)&h->u16, &h->u16_cap, total, sizeof(uint16_t)) == 0) {
    uint16_t *d = h->u16;
    const unsigned char *p = (const unsigned char *)x->head_buf;
    for (size_t i = 0; i < hlen; i++) *d++ = p[i];
    p = (const unsigned char *)x->reason;
    for (size_t i = 0; i < rlen; i++) *d++ = p[i];
    *d++ = '\n';
    if (u) memcpy(d, u, un * sizeof(uint16_t));
    else for (size_t i = 0; i < un; i++) *d++ = (unsigned char)url[i];
    js = JSStringCreateWithCharacters(h->u16, total);
  }
  free(u);
  args[0] = x->on_response;
  args[1] = JSValueMakeNumber(ctx, x->status);
  if (js) {
    args[2] = JSValueMakeString(ctx, js);
    JSStringRelease(js);
  } else {
    JSStringRef empty = JSStringCreateWithUTF8CString("\n");
    args[2] = JSValueMakeString(ctx, empty); /* out of memory: an empty head */
    JSStringRelease(empty);
  }
}

static int send_head(eddy__http *h, xfer *x) {
  JSValueRef args[3];
  head_args(h, x, args);
  return eddy__task_call(h->e, h->head_fn, NULL, 3, args);
}

static void free_bytes(void *bytes, void *context) {
  (void)context;
  free(bytes);
}

/* args[0..2] = code, message, body; the transfer leaves the id table (httpAbort of it from a
   callback is then a no-op). */
static void end_args(eddy__http *h, xfer *x, JSValueRef args[3]) {
  JSContextRef ctx = h->e->ctx;
  CURLcode code = x->result;
  const char *msg = "";
  if (code == CURLE_OK && x->streaming) {
    args[2] = JSValueMakeUndefined(ctx); /* every byte went through on_data */
  } else if (code == CURLE_OK) {
    uint8_t *buf = x->body;
    size_t len = x->body_len, cap = x->body_cap;
    x->body = NULL;
    x->body_len = x->body_cap = 0;
    if (!buf) buf = malloc(1);
    else if (len && cap - len >= 64) { /* give back the unused part of a grown buffer */
      uint8_t *p = realloc(buf, len);
      if (p) buf = p;
    }
    JSValueRef exc = NULL;
    JSObjectRef ab =
        buf ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, free_bytes, NULL, &exc) : NULL;
    /* On failure JSC has already released buf through free_bytes. */
    if (ab) {
      args[2] = ab;
    } else {
      code = CURLE_OUT_OF_MEMORY;
      args[2] = JSValueMakeUndefined(ctx);
    }
  } else {
    args[2] = JSValueMakeUndefined(ctx);
  }
  args[0] = JSValueMakeNumber(ctx, (double)code);
  if (code != CURLE_OK) {
    msg = x->errbuf[0] ? x->errbuf : curl_easy_strerror(code);
    args[1] = latin1_value(h, ctx, msg, strlen(msg));
  } else {
    if (!h->empty) {
      h->empty = latin1_value(h, ctx, "", 0);
      JSValueProtect(ctx, h->empty);
    }
    args[1] = h->empty;
  }
  hash_remove(h, x); /* httpAbort of this id from inside onEnd is a no-op */
}

static int send_end(eddy__http *h, xfer *x) {
  JSValueRef args[3];
  end_args(h, x, args);
  /* The transfer is over: no pending work by the time onEnd's promise reactions run (a host
     that waits for the script's result may look at eddy_pending right then). */
  xfer_set_idle(x, 1);
  int st = eddy__task_call(h->e, x->on_end, NULL, 3, args);
  xfer_release(h, x);
  return st;
}

/* Hands the xfer_waiting bytes to the script's on_data as one ArrayBuffer that owns them, and lets
   curl go on reading if it was paused (its held chunk lands in a fresh buffer at once). Never
   inside a curl callback: curl_easy_pause may call on_write. */
/* send_data could not make a chunk: the transfer ends, failed as out of memory. */
static int stop_out_of_memory(eddy__http *h, xfer *x) {
  x->result = CURLE_OUT_OF_MEMORY;
  x->done = 1;
  if (x->in_multi) {
    curl_multi_remove_handle(h->multi, x->easy);
    x->in_multi = 0;
  }
  return 0;
}

static int send_data(eddy__http *h, xfer *x) {
  JSContextRef ctx = h->e->ctx;
  if (x->into) { /* a BYOB read: its view holds the bytes, the script gets their count */
    JSValueRef n = JSValueMakeNumber(ctx, (double)x->into_filled);
    drop_view(h->e, x);
    x->want = 0;
    if (x->paused && !x->done && xfer_waiting(x) < STREAM_HWM) http_resume(h, x);
    return eddy__task_call(h->e, x->on_data, NULL, 1, &n);
  }
  uint8_t *buf;
  size_t len;
  slab *sl = NULL;
  x->want = 0;
  if (!x->body_pooled && xfer_waiting(x) > STREAM_HWM) {
    /* What arrived before the first pull (held at STREAM_HWM plus one write, http_on_write):
       its first STREAM_HWM bytes as one chunk cut from a slab like any other, the rest with
       the next pull. */
    len = STREAM_HWM;
    buf = chunk_start(x);
    if (!buf) return stop_out_of_memory(h, x);
    memcpy(buf, x->body + x->body_off, len);
    x->body_off += len;
    sl = chunk_cut(x, len);
  } else {
    if (x->body_off) {
      memmove(x->body, x->body + x->body_off, xfer_waiting(x));
      x->body_len -= x->body_off;
      x->body_off = 0;
    }
    buf = x->body;
    len = x->body_len;
    size_t cap = x->body_cap;
    int pooled = x->body_pooled;
    x->body = NULL;
    x->body_len = x->body_cap = 0;
    x->body_pooled = 0;
    if (pooled) {
      sl = chunk_cut(x, len);
    } else if (cap - len >= 4096) { /* most chunks are far smaller than the buffer */
      uint8_t *p = realloc(buf, len);
      if (p) buf = p;
    }
  }
  if (x->paused && !x->done && xfer_waiting(x) < STREAM_HWM) http_resume(h, x);
  JSValueRef exc = NULL;
  JSValueRef ab =
      sl ? JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, chunk_put, sl, &exc)
         : JSObjectMakeArrayBufferWithBytesNoCopy(ctx, buf, len, free_bytes, NULL, &exc);
  if (!ab) return stop_out_of_memory(h, x); /* JSC has released buf already */
  return eddy__task_call(h->e, x->on_data, NULL, 1, &ab);
}

/* A response that completed within one dispatch (small bodies, the common case) is delivered
   in one call instead of two. */
static int send_head_and_end(eddy__http *h, xfer *x) {
  JSValueRef args[7];
  head_args(h, x, args);
  args[3] = x->on_end;
  end_args(h, x, args + 4);
  xfer_set_idle(x, 1); /* as in send_end */
  int st = eddy__task_call(h->e, h->head_end_fn, NULL, 7, args);
  xfer_release(h, x);
  return st;
}

/* The ready transfers' callbacks, as tasks of one batch (one VM entry for a loop turn's
   responses). Returns 1 to be called again in a fresh entry (see eddy__batch). */
int http_deliver_ready(eddy_engine *e, void *data) {
  eddy__http *h = data;
  while (h->rq_head && !atomic_load(&e->closing)) {
    if (atomic_load(&e->queued)) return 1;
    xfer *x = h->rq_head;
    rq_remove(h, x);
    x->dispatching = 1;
    int st = 0;
    if (x->head == HEAD_READY && x->done && !x->streaming) {
      x->head = HEAD_SENT;
      st = send_head_and_end(h, x);
    } else {
      /* One step at a time, each deciding on the state the previous one's JS left (the script
         may start streaming from onResponse). An interrupted call leaves the rest of the steps
         to the next entry. */
      if (x->up_need && !x->done) {
        x->up_need = 0;
        st = eddy__task_call(e, x->on_need, NULL, 0, NULL);
      }
      if (!x->dead && st != EDDY_EINTERRUPTED && x->head == HEAD_READY) {
        x->head = HEAD_SENT;
        /* A server may answer before it read the whole upload: http_on_read decides what then
           (it asks for the next chunk again if the upload goes on). */
        if (x->uploading && x->up_paused && x->in_multi) {
          x->up_paused = 0;
          curl_easy_pause(x->easy, CURLPAUSE_CONT);
        }
        st = send_head(h, x);
      }
      if (!x->dead && st != EDDY_EINTERRUPTED && x->streaming && x->want &&
          (x->into ? x->into_filled != 0 : xfer_waiting(x) != 0) && !atomic_load(&e->closing))
        st = send_data(h, x);
      /* A streamed body ends once the script took every byte (or at once on an error). */
      if (!x->dead && st != EDDY_EINTERRUPTED && x->done && !atomic_load(&e->closing)) {
        if (x->streaming && (xfer_waiting(x) || x->into_filled) && x->result == CURLE_OK)
          xfer_set_idle(x, !x->want); /* a pull from the step above may have filled a view */
        else st = send_end(h, x);
      }
      if (!x->dead && st == EDDY_EINTERRUPTED) rq_push_front(h, x); /* pushes only if not queued */
    }
    x->dispatching = 0;
    if (x->dead) xfer_recycle(h, x);
    if (st == EDDY_EINTERRUPTED) return 1;
  }
  return 0;
}

/* A server may close an idle keep-alive connection just as the next request goes out on it: the
   request then meets a reset (or nothing) before any byte of a response. curl retries that only
   in some cases; browsers resend, whatever the method, when a reused connection fails before
   the response began (that is the keep-alive race, almost never a server that handled the
   request and died), and so does eddy, once, on a new connection (curl closed the dead one).
   The request body is still in x->req_body. */
static int retry_on_fresh_connection(eddy__http *h, xfer *x, CURLcode result) {
  if (x->retried || x->seen_status || x->head != HEAD_NONE || x->uploading) return 0;
  if (result != CURLE_RECV_ERROR && result != CURLE_SEND_ERROR && result != CURLE_GOT_NOTHING)
    return 0;
  long connects = -1;
  curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &connects);
  if (connects != 0) return 0; /* it was a new connection: a real failure */
  x->retried = 1;
  x->errbuf[0] = '\0';
  x->body_len = 0;
  x->oom = 0;
  x->too_large = 0;
  return curl_multi_add_handle(h->multi, x->easy) == CURLM_OK;
}

/* libcurl 7.88 never finishes an HTTP/2 upload that the server answered before reading it, once
   curl holds more of it than the stream's flow-control window takes (http_on_read cannot end
   it: curl does not ask for more): with the response's Content-Length received it stops reading the
   connection, where a WINDOW_UPDATE or RST_STREAM would come, but goes on trying to send, and
   the loop spins on POLL_OUT. Such a response is complete, so it ends here, as http_on_read ends an
   answered upload over HTTP/2 (removing the handle resets the stream, not the connection). A
   response without a Content-Length gets its end, and http_harvest() sees curl's failure to send
   the rest. */
static void finish_answered_uploads(eddy__http *h) {
  int left = 0;
  for (xfer *x = h->live; x; x = x->next) {
    if (!x->uploading || !x->in_multi || x->head == HEAD_NONE) continue;
    long version = 0;
    curl_off_t size = -1, got = 0;
    curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
    curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &got);
    if (version != CURL_HTTP_VERSION_2_0) continue; /* HTTP/1.1 goes on sending */
    /* curl counts a chunk http_on_write paused as received: wait until it was delivered. */
    if (size < 0 || got < size || x->paused) {
      left = 1;
      continue;
    }
    curl_multi_remove_handle(h->multi, x->easy);
    x->in_multi = 0;
    x->done = 1;
    x->result = CURLE_OK;
    rq_push(h, x);
  }
  h->answered_uploads = left;
}

/* x ended with result (it left the multi): its error message, and its end queued. */
void http_finished(eddy__http *h, xfer *x, CURLcode result) {
  CURL *easy = x->easy;
  x->in_multi = 0;
  x->done = 1;
  /* An HTTP/2 upload answered early with a response that its stream's end delimits: libcurl
     7.88 read that end, then fails sending the rest with this code and no message (a stream
     reset with an error fails reading, with one). The response is whole. */
  if (result == CURLE_HTTP2_STREAM && x->uploading && x->head != HEAD_NONE && !x->errbuf[0])
    result = CURLE_OK;
  x->result = result;
  if (result == CURLE_WRITE_ERROR && x->oom) {
    x->result = CURLE_OUT_OF_MEMORY;
    snprintf(x->errbuf, sizeof x->errbuf, "out of memory buffering the response body");
  } else if (result == CURLE_WRITE_ERROR && x->bad_coding) {
    x->result = CURLE_BAD_CONTENT_ENCODING; /* libcurl's code when it decoded */
    snprintf(x->errbuf, sizeof x->errbuf,
             "the response body is not valid data of its Content-Encoding");
  } else if ((result == CURLE_WRITE_ERROR && x->too_large) ||
             result == CURLE_FILESIZE_EXCEEDED) {
    x->result = CURLE_FILESIZE_EXCEEDED;
    snprintf(x->errbuf, sizeof x->errbuf,
             "response body larger than the engine's limit of %llu bytes (max_response_body)",
             (unsigned long long)h->max_body);
  } else if ((result == CURLE_OUT_OF_MEMORY || (int)result == 100 /* CURLE_TOO_LARGE */ ||
              (result == CURLE_WRITE_ERROR && x->head_too_large)) &&
             x->head == HEAD_NONE) {
    /* libcurl 7.88 reports a header line over its 100 KiB limit as "Out of memory" (27),
       later versions as CURLE_TOO_LARGE; a head over HEAD_MAX (a libcurl without a limit of
       its own on the whole head) is a write error (23). The code stays curl's. */
    snprintf(x->errbuf, sizeof x->errbuf, "response headers too large");
  }
  if (result == CURLE_OK && x->head == HEAD_NONE) {
    /* Finished without a final head (should not happen over HTTP): give it an empty one. */
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    x->status = (int)code;
    x->head_len = x->reason_len = 0;
    x->head = HEAD_READY;
  }
  rq_push(h, x);
}

/* Moves the transfers curl finished to the ready queue. */
void http_harvest(eddy__http *h) {
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(h->multi, &left))) {
    if (m->msg != CURLMSG_DONE) continue;
    CURL *easy = m->easy_handle;
    CURLcode result = m->data.result;
    xfer *x = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
    curl_multi_remove_handle(h->multi, easy); /* m is invalid from here */
    if (!x) continue;
    if (retry_on_fresh_connection(h, x, result)) continue;
    http_finished(h, x, result);
  }
  if (h->answered_uploads) finish_answered_uploads(h);
}
