/* The eddy command: a thin host over include/eddy.h. Runs a script, then keeps running the loop
   until no async work remains. Anything it does, an embedder can do with the public API. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eddy.h"

static const char usage[] =
    "usage: eddy [options] FILE [args...]\n"
    "       eddy [options] -e CODE [args...]\n"
    "       eddy [options] - [args...]        (the script from standard input)\n"
    "\n"
    "Runs FILE and keeps running until no timers, transfers or other async work remain. FILE is\n"
    "an ES module if it ends in .mjs, a classic script if it ends in .cjs, and otherwise a module\n"
    "when it uses module syntax (import or export declarations, import.meta, top-level await),\n"
    "else a classic script.\n"
    "\n"
    "The script sees:\n"
    "  eddy.args            its arguments (an array of strings)\n"
    "  eddy.env             a frozen snapshot of the environment (an object of strings)\n"
    "  eddy.exit([code])    exit now with status code (default 0); no further JS runs\n"
    "\n"
    "options:\n"
    "  -e, --eval CODE      run CODE instead of a file (a module if it uses module syntax)\n"
    "  --module             run FILE or CODE as an ES module\n"
    "  --classic            run FILE or CODE as a classic script\n"
    "  -r, --preload FILE   run FILE first (repeatable), e.g. a test harness\n"
    "  --base-url URL       resolve relative URLs in fetch(), Request and Response.redirect\n"
    "                       against URL (http: or https:), as a page's location would\n"
    "  --busy-poll-us N     poll up to N µs for a fast server's reply before sleeping\n"
    "                       (default 50; 0 never polls)\n"
    "  --memory-limit MIB   terminate the script once its heap and buffers need more than MIB\n"
    "                       mebibytes (default: no limit)\n"
    "  --cacert FILE        trust the certificates in PEM FILE instead of the system store\n"
    "                       (default: $SSL_CERT_FILE if set)\n"
    "  --capath DIR         trust the hashed certificates in DIR instead of the system store\n"
    "                       (default: $SSL_CERT_DIR if set)\n"
    "  -v, --version        print the version and exit\n"
    "  -h, --help           print this help and exit\n"
    "\n"
    "An uncaught error or unhandled rejection prints its stack to stderr and exits with 1.\n"
    "Console output is written in order and flushed at every console call.\n";

typedef struct {
  int failed;
} cli_state;

/* Console output: one write per console call, flushed at once, so that stdout and stderr stay
   in order when both go to one pipe or file, and nothing written is lost if the process is
   killed. (Block buffering, stdio's default for a pipe, let stderr lines overtake stdout and
   kept up to 4 KiB of output in the process.) */
static void on_log(eddy_engine *e, int level, const char *text, size_t len, void *userdata) {
  (void)e;
  (void)userdata;
  FILE *out = level >= EDDY_LOG_WARN ? stderr : stdout;
  fwrite(text, 1, len, out);
  fputc('\n', out);
  fflush(out);
}

/* eddy.exit(code): like Node's process.exit, nothing after it runs, not even a finally block
   or a pending timer: the process ends here, once what was written is flushed. */
static int host_exit(eddy_engine *e, const eddy_value *args, eddy_value **result, void *userdata) {
  (void)e;
  (void)userdata;
  const eddy_value *code = eddy_value_at(args, 0);
  double c = 0;
  if (eddy_value_type(code) == EDDY_TYPE_NUMBER) {
    c = eddy_value_number(code);
  } else if (eddy_value_type(code) != EDDY_TYPE_UNDEFINED) {
    *result = eddy_value_new_error("TypeError", "eddy.exit: the code must be an integer");
    return 0;
  }
  if (c != c || c != (double)(long long)c) {
    *result = eddy_value_new_error("RangeError", "eddy.exit: the code must be an integer");
    return 0;
  }
  fflush(stdout);
  fflush(stderr);
  _exit((int)((long long)c & 0xff));
}

/* Node's names for the errors reading a script can meet. */
static const char *errno_name(int err) {
  static const struct {
    int code;
    const char *name;
  } names[] = {
      {ENOENT, "ENOENT"}, {EACCES, "EACCES"}, {EISDIR, "EISDIR"}, {ENOTDIR, "ENOTDIR"},
      {ELOOP, "ELOOP"}, {ENAMETOOLONG, "ENAMETOOLONG"}, {EPERM, "EPERM"}, {EMFILE, "EMFILE"},
      {ENFILE, "ENFILE"}, {EIO, "EIO"}, {ENOMEM, "ENOMEM"}, {EFBIG, "EFBIG"}, {ENXIO, "ENXIO"},
      {EINVAL, "EINVAL"}, {EAGAIN, "EAGAIN"}, {EOVERFLOW, "EOVERFLOW"}, {ETXTBSY, "ETXTBSY"},
  };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (names[i].code == err) return names[i].name;
  return "EUNKNOWN";
}

/* "eddy: cannot read x.js: ENOENT: no such file or directory", as Node words it. */
static void cannot_read(const char *path, int err) {
  char why[256];
  snprintf(why, sizeof why, "%s", strerror(err));
  if (why[0] >= 'A' && why[0] <= 'Z') why[0] = (char)(why[0] - 'A' + 'a');
  fprintf(stderr, "eddy: cannot read %s: %s: %s\n", path, errno_name(err), why);
}

static void on_error(eddy_engine *e, int kind, const eddy_value *error, void *userdata) {
  cli_state *st = userdata;
  const char *prefix = kind == EDDY_ERROR_UNHANDLED_REJECTION ? "Uncaught (in promise) " : "Uncaught ";
  fprintf(stderr, "%s%s\n", prefix, eddy_value_error_stack(error));
  fflush(stderr);
  st->failed = 1;
  /* Like Node: an uncaught error ends the program. Closing from the callback stops the loop. */
  eddy_engine_close(e);
}

/* The whole of f; NULL with errno set on failure. */
static char *read_stream(FILE *f, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  if (!buf) errno = ENOMEM;
  if (buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  *len = n;
  return buf;
}

/* A file's contents, or standard input's for "-"; NULL with errno set. */
static char *read_file(const char *path, size_t *len) {
  if (!strcmp(path, "-")) return read_stream(stdin, len);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  errno = 0;
  char *buf = read_stream(f, len);
  int err = errno;
  fclose(f);
  errno = err;
  return buf;
}

/* Evaluates and reports; returns 0 on success. */
static int report(int rc, eddy_value *result, const char *name, cli_state *st);

static int run_source(eddy_engine *e, const char *src, size_t len, const char *name,
                      cli_state *st) {
  /* Its completion value is not the script's business (Node ignores it too): not awaited, and
     not converted, which for a script ending in a large array took longer than the script. */
  eddy_value *error = NULL;
  int rc = eddy_exec(e, src, len, name, &error);
  return report(rc, error, name, st);
}

static int report(int rc, eddy_value *result, const char *name, cli_state *st) {
  if (rc == EDDY_EEXCEPTION) {
    fprintf(stderr, "Uncaught %s\n", eddy_value_error_stack(result));
  } else if (rc == EDDY_ECLOSED && st->failed) {
    /* already reported by on_error */
  } else if (rc == EDDY_ENOMEM && eddy_value_type(result) == EDDY_TYPE_ERROR) {
    /* --memory-limit: say which limit, not just "out of memory" */
    fprintf(stderr, "eddy: %s: %s: %s\n", name, eddy_value_error_name(result),
            eddy_value_error_message(result));
  } else if (rc) {
    fprintf(stderr, "eddy: %s: %s\n", name, eddy_strerror(rc));
  }
  eddy_value_free(result);
  return rc;
}

enum { MODE_DETECT, MODE_MODULE, MODE_CLASSIC };

extern char **environ;

/* eddy.env (a frozen snapshot of the environment), eddy.exit, and a check of --base-url, all
   through the public API. Returns nonzero after printing why. */
static int setup_globals(eddy_engine *e, const char *base_url) {
  eddy_value *env = eddy_value_new_object();
  for (char **p = environ; p && *p; p++) {
    const char *eq = strchr(*p, '=');
    if (!eq || eq == *p) continue;
    char *key = strndup(*p, (size_t)(eq - *p));
    if (!key) break;
    if (!eddy_value_get(env, key)) eddy_value_set(env, key, eddy_value_new_cstring(eq + 1));
    free(key);
  }
  int rc = eddy_set(e, "eddy.env", env);
  eddy_value_free(env);
  if (!rc) rc = eddy_define_function(e, "eddy.exit", host_exit, NULL);
  const char *lock =
      "Object.freeze(eddy.env);"
      "for (const k of ['env', 'exit'])"
      "  Object.defineProperty(eddy, k, { writable: false, configurable: false });";
  eddy_value *v = NULL;
  if (!rc) rc = eddy_eval(e, lock, strlen(lock), "[eddy]", &v);
  eddy_value_free(v);
  if (rc) {
    fprintf(stderr, "eddy: cannot set up eddy.env and eddy.exit: %s\n", eddy_strerror(rc));
    return 1;
  }
  if (!base_url) return 0;
  /* The engine resolves against it only when a relative URL meets fetch: check it now. */
  eddy_value *s = eddy_value_new_cstring(base_url), *r = NULL;
  char *lit = NULL;
  rc = eddy_value_to_json(s, &lit, NULL); /* a JSON string is a JS string literal */
  eddy_value_free(s);
  const char *fmt = "(() => { const u = new URL(%s);"
                    " if (u.protocol !== 'http:' && u.protocol !== 'https:')"
                    "   throw new TypeError('not an http: or https: URL'); })()";
  size_t n = strlen(fmt) + (lit ? strlen(lit) : 0);
  char *check = rc ? NULL : malloc(n);
  if (check) {
    snprintf(check, n, fmt, lit);
    rc = eddy_eval(e, check, strlen(check), "[--base-url]", &r);
  }
  if (rc || !check) {
    fprintf(stderr, "eddy: --base-url %s: %s\n", base_url,
            rc == EDDY_EEXCEPTION ? eddy_value_error_message(r) : eddy_strerror(rc ? rc : EDDY_ENOMEM));
    rc = rc ? rc : EDDY_ENOMEM;
  }
  eddy_value_free(r);
  free(check);
  eddy_free(lit);
  return rc != 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* A file: URL for an absolute path, percent-encoding what the URL parser would. */
static char *file_url(const char *path) {
  size_t n = strlen(path);
  char *url = malloc(n * 3 + 8);
  if (!url) return NULL;
  char *o = url + sprintf(url, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p <= 0x20 || *p >= 0x7f || strchr("\"#%<>?`{}\\", *p)) /* \\ separates, in file: */
      o += sprintf(o, "%%%02X", *p);
    else
      *o++ = (char)*p;
  }
  *o = 0;
  return url;
}

/* Imports the module at url (made by file_url: no quote or backslash in it) for its effects:
   through import() in a classic script whose settled value is undefined, so its namespace is
   never converted (an export of a large array or of a Proxy is not the program's business),
   while its errors and an unsettled top-level await are reported as eddy_import's. */
static int import_main(eddy_engine *e, const char *url, const char *label, cli_state *st) {
  size_t n = strlen(url) + 32;
  char *src = malloc(n);
  if (!src) return EDDY_ENOMEM;
  snprintf(src, n, "import(\"%s\").then(() => {})", url);
  eddy_value *error = NULL;
  int rc = eddy_eval(e, src, strlen(src), label, &error);
  free(src);
  return report(rc, error, label, st);
}

static int run_module_file(eddy_engine *e, const char *path, cli_state *st) {
  char *real = realpath(path, NULL);
  char *url = real ? file_url(real) : NULL;
  free(real);
  if (!url) {
    cannot_read(path, errno);
    return -1;
  }
  int rc = import_main(e, url, path, st);
  free(url);
  return rc;
}

/* -e code (label "[eval]") or standard input ("[stdin]") as a module: a declared module named
   as a file in the working directory, so that its relative imports resolve from there (as
   Node's --input-type=module). */
static int run_module_code(eddy_engine *e, const char *code, size_t len, const char *label,
                           cli_state *st) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd - 16)) strcpy(cwd, "/");
  if (strcmp(cwd, "/")) strcat(cwd, "/");
  strcat(cwd, label);
  char *name = file_url(cwd);
  if (!name) return -1;
  int rc = eddy_module_declare(e, name, code, len);
  rc = rc ? report(rc, NULL, label, st) : import_main(e, name, label, st);
  free(name);
  return rc;
}

static int run_file(eddy_engine *e, const char *path, int mode, cli_state *st) {
  size_t len = 0;
  char *src = read_file(path, &len);
  if (!src) {
    cannot_read(strcmp(path, "-") ? path : "standard input", errno);
    return -1;
  }
  if (mode == MODE_DETECT) {
    mode = ends_with(path, ".mjs")   ? MODE_MODULE
           : ends_with(path, ".cjs") ? MODE_CLASSIC
           : eddy_detect_module(src, len) == 1 ? MODE_MODULE
                                                : MODE_CLASSIC;
  }
  /* Named by its absolute path, as Node does: its import() resolves from its own directory. */
  int from_stdin = !strcmp(path, "-");
  char *real = from_stdin ? NULL : realpath(path, NULL);
  int rc = from_stdin ? (mode == MODE_MODULE ? run_module_code(e, src, len, "[stdin]", st)
                                             : run_source(e, src, len, "[stdin]", st))
           : mode == MODE_MODULE ? run_module_file(e, path, st)
                                 : run_source(e, src, len, real ? real : path, st);
  free(real);
  free(src);
  return rc;
}

int main(int argc, char **argv) {
  /* A reader that closes stdout early (eddy x.js | head) makes writes fail with EPIPE instead of
     killing the process, as in Node; the library's sockets never raise it (MSG_NOSIGNAL). */
  signal(SIGPIPE, SIG_IGN);
  const char *code = NULL, *file = NULL;
  const char **preloads = calloc((size_t)argc, sizeof(char *));
  int npreload = 0, i = 1;
  long busy_poll_us = -1;
  unsigned long long memory_limit_mib = 0;
  int mode = MODE_DETECT;
  const char *ca_file = NULL, *ca_path = NULL, *base_url = NULL;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      free(preloads);
      return 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
      printf("eddy %s\n", eddy_version());
      free(preloads);
      return 0;
    } else if ((!strcmp(a, "-e") || !strcmp(a, "--eval")) && i + 1 < argc) {
      code = argv[++i];
      i++;
      break;
    } else if ((!strcmp(a, "-r") || !strcmp(a, "--preload")) && i + 1 < argc) {
      preloads[npreload++] = argv[++i];
    } else if (!strcmp(a, "--busy-poll-us") && i + 1 < argc) {
      char *end;
      busy_poll_us = strtol(argv[++i], &end, 10);
      if (*end || busy_poll_us < 0 || busy_poll_us > 1000000) {
        fprintf(stderr, "eddy: --busy-poll-us wants 0 to 1000000, not %s\n", argv[i]);
        free(preloads);
        return 2;
      }
    } else if (!strcmp(a, "--memory-limit") && i + 1 < argc) {
      char *end;
      memory_limit_mib = strtoull(argv[++i], &end, 10);
      if (*end || !memory_limit_mib || memory_limit_mib > (1ull << 30)) {
        fprintf(stderr, "eddy: --memory-limit wants 1 to 1073741824 (MiB), not %s\n", argv[i]);
        free(preloads);
        return 2;
      }
    } else if (!strcmp(a, "--module")) {
      mode = MODE_MODULE;
    } else if (!strcmp(a, "--classic")) {
      mode = MODE_CLASSIC;
    } else if (!strcmp(a, "--base-url") && i + 1 < argc) {
      base_url = argv[++i];
    } else if (!strcmp(a, "--cacert") && i + 1 < argc) {
      ca_file = argv[++i];
    } else if (!strcmp(a, "--capath") && i + 1 < argc) {
      ca_path = argv[++i];
    } else if (!strcmp(a, "--")) {
      i++;
      break;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "eddy: unknown option %s\n\n%s", a, usage);
      free(preloads);
      return 2;
    } else {
      break;
    }
  }
  if (!code) {
    if (i >= argc) {
      fputs(usage, stderr);
      free(preloads);
      return 2;
    }
    file = argv[i++];
  }

  cli_state st = {0};
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = 0; /* the CLI pumps the loop on its main thread */
  opts.log = on_log;
  opts.on_error = on_error;
  opts.base_url = base_url;
  opts.error_userdata = &st;
  if (busy_poll_us >= 0) opts.busy_poll_us = (uint32_t)busy_poll_us;
  opts.memory_limit = (uint64_t)memory_limit_mib << 20;
  /* OpenSSL's variables, as the curl command, Go and Python read them; the library itself never
     takes trust settings from the environment. Either flag overrides both variables. */
  if (!ca_file && !ca_path) {
    const char *env_file = getenv("SSL_CERT_FILE"), *env_dir = getenv("SSL_CERT_DIR");
    ca_file = env_file && *env_file ? env_file : NULL;
    ca_path = env_dir && *env_dir ? env_dir : NULL;
  }
  opts.ca_file = ca_file;
  opts.ca_path = ca_path;
  eddy_engine *e = NULL;
  int rc = eddy_engine_new(&opts, &e);
  if (rc) {
    fprintf(stderr, "eddy: cannot create engine: %s\n", eddy_strerror(rc));
    free(preloads);
    return 1;
  }

  eddy_value *args = eddy_value_new_array();
  for (; i < argc; i++) eddy_value_push(args, eddy_value_new_cstring(argv[i]));
  eddy_set(e, "eddy.args", args);
  eddy_value_free(args);
  if (setup_globals(e, base_url)) {
    eddy_engine_free(e);
    free(preloads);
    return 2;
  }

  int failed = 0;
  for (int p = 0; p < npreload && !failed; p++)
    failed = run_file(e, preloads[p], MODE_CLASSIC, &st) != 0;
  if (!failed && code) {
    if (mode == MODE_DETECT)
      mode = eddy_detect_module(code, strlen(code)) == 1 ? MODE_MODULE : MODE_CLASSIC;
    failed = (mode == MODE_MODULE ? run_module_code(e, code, strlen(code), "[eval]", &st)
                                  : run_source(e, code, strlen(code), "[eval]", &st)) != 0;
  } else if (!failed) {
    failed = run_file(e, file, mode, &st) != 0;
  }
  while (!failed && !st.failed) {
    rc = eddy_run(e, EDDY_RUN_DEFAULT);
    if (rc <= 0) break;
  }
  eddy_engine_free(e);
  free(preloads);
  return failed || st.failed ? 1 : 0;
}
