/* epoll_floor: how late the kernel wakes a 5 ms epoll_wait on this machine.
 * No runtime can fire a 5 ms timer more punctually than this, so it is the
 * floor for bench/js/timer_lateness.js (same count, same delay).
 *
 * Prints one JSON line: {"bench":"epoll_floor","median_us","p99_us","min_us"}
 * where lateness = elapsed - 5 ms (negative would mean early).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define N 200
#define DELAY_MS 5

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile on a sorted array; same as the JS benchmarks. */
static double pct(const double *v, int n, double p) {
    int k = (int)(p / 100.0 * n + 0.999999) - 1;
    if (k < 0) k = 0;
    if (k >= n) k = n - 1;
    return v[k];
}

int main(void) {
    int efd = epoll_create1(EPOLL_CLOEXEC);
    if (efd < 0) {
        perror("epoll_create1");
        return 1;
    }
    struct epoll_event ev;
    double late[N];
    for (int i = 0; i < N; i++) {
        double t0 = now_us();
        if (epoll_wait(efd, &ev, 1, DELAY_MS) < 0) {
            perror("epoll_wait");
            return 1;
        }
        late[i] = now_us() - t0 - DELAY_MS * 1000.0;
    }
    close(efd);
    qsort(late, N, sizeof late[0], cmp_double);
    printf("{\"bench\":\"epoll_floor\",\"median_us\":%.1f,\"p99_us\":%.1f,\"min_us\":%.1f}\n",
           pct(late, N, 50), pct(late, N, 99), late[0]);
    return 0;
}
