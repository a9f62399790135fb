/* raw_curl: what libcurl alone can do against the bench server -- the
 * physical limit eddy's fetch (built on libcurl) can approach.
 *
 *   raw_curl BASE_URL [BENCH [COUNT]]   (BASE_URL serves /2b and /64k, see nginx.sh)
 *
 * BENCH (fetch_seq, fetch_concurrent, fetch_64k, or fetch_stream: one GET of
 * /256m, the 256 MiB file bench/fetch_stream.sh adds) runs that floor only, COUNT
 * measured requests instead of the default (bench/instructions.sh varies it).
 * Prints one JSON line keyed like the JS benchmarks it bounds:
 *   {"fetch_seq":{"median_us","p99_us"},"fetch_concurrent":{"rps"},
 *    "fetch_64k":{"median_us"}}
 * Warm-up and sizes mirror bench/js/fetch_*.js so the numbers compare.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEQ_WARMUP 20
#define CONC_INFLIGHT 64
static int SEQ_N = 300, CONC_N = 3000, BIG_N = 200;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile; same definition as the JS benchmarks. */
static double pct(double *v, int n, double p) {
    qsort(v, n, sizeof *v, cmp_double);
    int k = (int)(p / 100.0 * n + 0.999999) - 1;
    if (k < 0) k = 0;
    if (k >= n) k = n - 1;
    return v[k];
}

/* Bodies are counted, not kept: the point is the transport cost, and a
 * length check catches a broken server. */
static size_t sink(char *p, size_t sz, size_t n, void *ud) {
    (void)p;
    *(size_t *)ud += sz * n;
    return sz * n;
}

static void die(const char *what, CURLcode rc) {
    fprintf(stderr, "raw_curl: %s: %s\n", what, curl_easy_strerror(rc));
    exit(1);
}

static CURL *mk(const char *url, size_t *count) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, count);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    return h;
}

/* Sequential GETs on one reused easy handle (one keep-alive connection). */
static void sequential(const char *url, int warmup, int n, size_t want, double *lat) {
    size_t got = 0;
    CURL *h = mk(url, &got);
    for (int i = 0; i < warmup + n; i++) {
        got = 0;
        double t0 = now_us();
        CURLcode rc = curl_easy_perform(h);
        double t1 = now_us();
        if (rc != CURLE_OK) die(url, rc);
        if (got != want) {
            fprintf(stderr, "raw_curl: %s: got %zu bytes, want %zu\n", url, got, want);
            exit(1);
        }
        if (i >= warmup) lat[i - warmup] = t1 - t0;
    }
    curl_easy_cleanup(h);
}

/* CONC_N GETs, CONC_INFLIGHT at a time, through one multi handle; each
 * finished easy handle is re-added at once so the window stays full. */
static double concurrent(const char *url) {
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)CONC_INFLIGHT * 2);
    CURL *hs[CONC_INFLIGHT];
    size_t counts[CONC_INFLIGHT];
    /* warm-up: one request per slot opens the connections, untimed */
    int started = 0, done = 0, total = CONC_INFLIGHT + CONC_N, running = 0;
    double t0 = 0;
    for (int i = 0; i < CONC_INFLIGHT; i++) {
        counts[i] = 0;
        hs[i] = mk(url, &counts[i]);
        curl_easy_setopt(hs[i], CURLOPT_PRIVATE, (void *)(long)i);
        curl_multi_add_handle(m, hs[i]);
        started++;
    }
    for (;;) {
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE) continue;
            if (msg->data.result != CURLE_OK) die(url, msg->data.result);
            CURL *h = msg->easy_handle;
            done++;
            if (done == CONC_INFLIGHT) t0 = now_us(); /* warm-up over */
            curl_multi_remove_handle(m, h);
            if (started < total) {
                curl_multi_add_handle(m, h);
                started++;
            }
        }
        if (done == total) break;
        curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    double t1 = now_us();
    for (int i = 0; i < CONC_INFLIGHT; i++) curl_easy_cleanup(hs[i]);
    curl_multi_cleanup(m);
    return CONC_N / ((t1 - t0) / 1e6);
}

/* One GET of a large body, counted as it arrives (libcurl writing to nowhere): MB/s. */
static double stream_mbps(const char *url, size_t *got) {
    *got = 0;
    CURL *h = mk(url, got);
    double t0 = now_us();
    CURLcode rc = curl_easy_perform(h);
    double t1 = now_us();
    if (rc != CURLE_OK) die(url, rc);
    curl_easy_cleanup(h);
    return *got / ((t1 - t0) / 1e6) / 1e6;
}

int main(int argc, char **argv) {
    /* Which floors: all three, or the one named (run.sh runs each next to the runtimes'
       rounds of the same benchmark, so a VM's drift hits floor and runtimes alike). */
    const char *only = argc > 2 ? argv[2] : "";
    int all = !*only;
    int count = argc > 3 ? atoi(argv[3]) : 0;
    if (argc < 2 || (!all && strcmp(only, "fetch_seq") && strcmp(only, "fetch_concurrent") &&
                     strcmp(only, "fetch_64k") && strcmp(only, "fetch_stream")) ||
        (argc > 3 && count < 1)) {
        fprintf(stderr, "usage: raw_curl BASE_URL [fetch_seq|fetch_concurrent|fetch_64k|fetch_stream [COUNT]]\n");
        return 2;
    }
    if (count) SEQ_N = CONC_N = BIG_N = count;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char u2b[1024], u64k[1024];
    snprintf(u2b, sizeof u2b, "%s/2b", argv[1]);
    snprintf(u64k, sizeof u64k, "%s/64k", argv[1]);

    double *lat = malloc(sizeof(double) * (size_t)(SEQ_N > BIG_N ? SEQ_N : BIG_N));
    if (!lat) return 1;
    printf("{\"bench\":\"raw_curl\"");
    if (all || !strcmp(only, "fetch_seq")) {
        sequential(u2b, SEQ_WARMUP, SEQ_N, 2, lat);
        printf(",\"fetch_seq\":{\"median_us\":%.1f,\"p99_us\":%.1f}", pct(lat, SEQ_N, 50),
               pct(lat, SEQ_N, 99));
    }
    if (all || !strcmp(only, "fetch_concurrent"))
        printf(",\"fetch_concurrent\":{\"rps\":%.0f}", concurrent(u2b));
    if (all || !strcmp(only, "fetch_64k")) {
        sequential(u64k, SEQ_WARMUP, BIG_N, 65536, lat);
        printf(",\"fetch_64k\":{\"median_us\":%.1f}", pct(lat, BIG_N, 50));
    }
    if (!strcmp(only, "fetch_stream")) {
        char u256m[1024];
        size_t got;
        snprintf(u256m, sizeof u256m, "%s/256m", argv[1]);
        double mbps = stream_mbps(u256m, &got);
        printf(",\"fetch_stream\":{\"mb_s\":%.1f,\"bytes\":%zu}", mbps, got);
    }
    printf("}\n");
    free(lat);
    curl_global_cleanup();
    return 0;
}
