/* The WebSocket benchmark's server and C floor (bench/js/websocket.js measures the runtimes).

     websocket_floor serve          echo server on 127.0.0.1, prints "ws://127.0.0.1:PORT"; one
                                    thread per connection, blocking I/O, no extensions
     websocket_floor client URL     the floor: the benchmark's three figures over one blocking
                                    socket with TCP_NODELAY, masking with a fixed key, as JSON

   The server answers any path with the upgrade and echoes every data message (frames as they
   come: a fragmented message is echoed fragment by fragment), answers close with close. On
   /push it first sends PUSHES text messages, one every 50 ms, each the CLOCK_REALTIME time it
   was sent at in µs: the receiver, idle in between, says how long a push took to reach JS. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

static int read_full(int fd, void *buf, size_t n) {
  uint8_t *p = buf;
  while (n) {
    ssize_t r = read(fd, p, n);
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static int write_full(int fd, const void *buf, size_t n) {
  const uint8_t *p = buf;
  while (n) {
    ssize_t r = write(fd, p, n);
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* XOR with the 4-byte key, a word at a time. */
static void mask_bytes(uint8_t *dst, const uint8_t *src, size_t n, const uint8_t key[4]) {
  uint32_t k;
  memcpy(&k, key, 4);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t v;
    memcpy(&v, src + i, 4);
    v ^= k;
    memcpy(dst + i, &v, 4);
  }
  for (; i < n; i++) dst[i] = src[i] ^ key[i & 3];
}

static size_t frame_head(uint8_t *h, int b0, uint64_t len, int masked) {
  size_t n = 2;
  h[0] = (uint8_t)b0;
  uint8_t m = masked ? 0x80 : 0;
  if (len < 126) {
    h[1] = m | (uint8_t)len;
  } else if (len < 65536) {
    h[1] = m | 126;
    h[2] = (uint8_t)(len >> 8);
    h[3] = (uint8_t)len;
    n = 4;
  } else {
    h[1] = m | 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (uint8_t)(len >> (56 - 8 * i));
    n = 10;
  }
  return n;
}

/* ---- server ---------------------------------------------------------------------------- */

#define PUSHES 20

static void *serve_conn(void *arg) {
  int fd = (int)(intptr_t)arg;
  char req[8192];
  size_t len = 0;
  while (len < sizeof req - 1) {
    ssize_t r = read(fd, req + len, sizeof req - 1 - len);
    if (r <= 0) goto out;
    len += (size_t)r;
    req[len] = '\0';
    if (strstr(req, "\r\n\r\n")) break;
  }
  char *k = strcasestr(req, "\nsec-websocket-key:");
  if (!k) goto out;
  k += 19;
  while (*k == ' ') k++;
  char key[64];
  size_t kl = strcspn(k, "\r\n");
  if (kl > 30) goto out;
  memcpy(key, k, kl);
  strcpy(key + kl, "258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1((unsigned char *)key, strlen(key), digest);
  char accept[64];
  EVP_EncodeBlock((unsigned char *)accept, digest, SHA_DIGEST_LENGTH);
  char resp[256];
  int n = snprintf(resp, sizeof resp,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                   accept);
  if (write_full(fd, resp, (size_t)n)) goto out;
  if (strncmp(req, "GET /push", 9) == 0) {
    for (int i = 0; i < PUSHES; i++) {
      struct timespec gap = {0, 50 * 1000 * 1000};
      nanosleep(&gap, NULL);
      struct timespec t;
      clock_gettime(CLOCK_REALTIME, &t);
      uint8_t f[40];
      int m = snprintf((char *)f + 2, sizeof f - 2, "%lld",
                       (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000);
      f[0] = 0x81;
      f[1] = (uint8_t)m;
      if (write_full(fd, f, (size_t)m + 2)) goto out;
    }
  }
  size_t cap = 1 << 16;
  uint8_t *buf = malloc(cap + 14);
  for (;;) {
    uint8_t h[14];
    if (read_full(fd, h, 2)) break;
    uint64_t plen = h[1] & 0x7f;
    if (plen == 126) {
      if (read_full(fd, h + 2, 2)) break;
      plen = (uint64_t)h[2] << 8 | h[3];
    } else if (plen == 127) {
      if (read_full(fd, h + 2, 8)) break;
      plen = 0;
      for (int i = 0; i < 8; i++) plen = plen << 8 | h[2 + i];
    }
    uint8_t mask[4] = {0};
    if ((h[1] & 0x80) && read_full(fd, mask, 4)) break;
    if (plen > cap) {
      cap = plen;
      buf = realloc(buf, cap + 14);
    }
    uint8_t *payload = buf + 14;
    if (read_full(fd, payload, plen)) break;
    mask_bytes(payload, payload, plen, mask);
    int op = h[0] & 0x0f;
    if (op == 9) h[0] = (h[0] & 0xf0) | 10; /* ping → pong */
    else if (op == 10) continue;
    size_t hl = frame_head(h, h[0], plen, 0);
    memcpy(payload - hl, h, hl);
    if (write_full(fd, payload - hl, hl + plen)) break;
    if (op == 8) break;
  }
  free(buf);
out:
  close(fd);
  return NULL;
}

static int serve(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64)) return perror("bind"), 1;
  socklen_t al = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &al);
  printf("ws://127.0.0.1:%d\n", ntohs(a.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pthread_t t;
    pthread_create(&t, NULL, serve_conn, (void *)(intptr_t)c);
    pthread_detach(t);
  }
}

/* ---- client (the floor) -------------------------------------------------------------- */

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static const uint8_t key4[4] = {0x12, 0x34, 0x56, 0x78};

static int send_msg(int fd, int op, const uint8_t *data, size_t len, uint8_t *scratch) {
  size_t hl = frame_head(scratch, 0x80 | op, len, 1);
  memcpy(scratch + hl, key4, 4);
  mask_bytes(scratch + hl + 4, data, len, key4);
  return write_full(fd, scratch, hl + 4 + len);
}

/* The client reads through a buffer: one read() takes many small messages. */
static uint8_t rbuf[1 << 18];
static size_t rpos, rlen;

static int buffered_read(int fd, void *out, size_t n) {
  uint8_t *p = out;
  while (n) {
    if (rpos == rlen) {
      ssize_t r = read(fd, rbuf, sizeof rbuf);
      if (r <= 0) return -1;
      rpos = 0;
      rlen = (size_t)r;
    }
    size_t take = rlen - rpos < n ? rlen - rpos : n;
    memcpy(p, rbuf + rpos, take);
    rpos += take;
    p += take;
    n -= take;
  }
  return 0;
}

static int recv_msg(int fd, uint8_t *buf, size_t cap, size_t *len) {
  uint8_t h[10];
  if (buffered_read(fd, h, 2)) return -1;
  uint64_t n = h[1] & 0x7f;
  if (n == 126) {
    if (buffered_read(fd, h + 2, 2)) return -1;
    n = (uint64_t)h[2] << 8 | h[3];
  } else if (n == 127) {
    if (buffered_read(fd, h + 2, 8)) return -1;
    n = 0;
    for (int i = 0; i < 8; i++) n = n << 8 | h[2 + i];
  }
  if (n > cap || buffered_read(fd, buf, n)) return -1;
  *len = n;
  return 0;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(const double *sorted, int n, int p) {
  int k = (int)((p / 100.0) * n + 0.999999);
  if (k < 1) k = 1;
  if (k > n) k = n;
  return sorted[k - 1];
}

static int client(const char *url) {
  int port = 0;
  if (sscanf(url, "ws://127.0.0.1:%d", &port) != 1) return fprintf(stderr, "bad url\n"), 1;
  int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&a, sizeof a)) return perror("connect"), 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const char *req = "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n";
  write_full(fd, req, strlen(req));
  char resp[1024];
  size_t rl = 0;
  while (rl < sizeof resp - 1) {
    if (read(fd, resp + rl, 1) != 1) return 1;
    rl++;
    resp[rl] = '\0';
    if (rl >= 4 && memcmp(resp + rl - 4, "\r\n\r\n", 4) == 0) break;
  }
  size_t big = 1 << 20;
  uint8_t *scratch = malloc(big + 14), *in = malloc(big);
  uint8_t msg[32];
  memset(msg, 'x', sizeof msg);
  size_t len;
  enum { WARMUP = 200, N = 2000 };
  static double lat[N];
  for (int i = 0; i < WARMUP + N; i++) {
    double t0 = now_us();
    send_msg(fd, 1, msg, sizeof msg, scratch);
    if (recv_msg(fd, in, big, &len)) return 1;
    if (i >= WARMUP) lat[i - WARMUP] = now_us() - t0;
  }
  qsort(lat, N, sizeof lat[0], cmp);
  /* 64 in flight: TOTAL messages, then STEADY more (websocket.js's two figures) */
  enum { TOTAL = 20000, STEADY = 200000, WINDOW = 64 };
  double rate = 0, steady = 0;
  for (int phase = 0; phase < 2; phase++) {
    int total = phase ? STEADY : TOTAL, sent = 0;
    double tc = now_us();
    for (; sent < WINDOW; sent++) send_msg(fd, 1, msg, sizeof msg, scratch);
    for (int got = 0; got < total; got++) {
      if (recv_msg(fd, in, big, &len)) return 1;
      if (sent < total) {
        send_msg(fd, 1, msg, sizeof msg, scratch);
        sent++;
      }
    }
    *(phase ? &steady : &rate) = total / ((now_us() - tc) / 1e6);
  }
  uint8_t *payload = malloc(big);
  memset(payload, 7, big);
  enum { B = 40 };
  send_msg(fd, 2, payload, big, scratch);
  recv_msg(fd, in, big, &len);
  double tb = now_us();
  for (int i = 0; i < B; i++) {
    send_msg(fd, 2, payload, big, scratch);
    if (recv_msg(fd, in, big, &len) || len != big) return 1;
  }
  double mbps = B / ((now_us() - tb) / 1e6);
  printf("{\"bench\": \"websocket\", \"runtime\": \"floor\", \"echo_seq_median_us\": %.1f, "
         "\"echo_seq_p99_us\": %.1f, \"echo_64_msgs_per_s\": %.0f, "
         "\"echo_64_steady_msgs_per_s\": %.0f, \"binary_1m_mb_per_s\": %.1f}\n",
         pct(lat, N, 50), pct(lat, N, 99), rate, steady, mbps);
  free(scratch);
  free(in);
  free(payload);
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  if (argc >= 2 && strcmp(argv[1], "serve") == 0) return serve();
  if (argc >= 3 && strcmp(argv[1], "client") == 0) return client(argv[2]);
  fprintf(stderr, "usage: websocket_floor serve | client ws://127.0.0.1:PORT\n");
  return 2;
}
