/*
 * The host side of the differential runner (dspidl's own code): a FastRPC "transport" that
 * records every invocation a qaic-generated stub makes, as one JSON line, and hands it to the
 * qaic-generated skel of the interface under test; the dmahandle length registry the stub and the
 * skel share; JSON printing helpers for the generated driver; and the bad-input mode, which feeds
 * malformed requests read from stdin straight to a skel, one forked child per request, so that a
 * crash is recorded instead of ending the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

int (*g_skel32)(uint32_t sc, remote_arg* pra);
int (*g_skel64)(remote_handle64 h, uint32_t sc, remote_arg* pra);

/* ---- dmahandle lengths ------------------------------------------------------------------ */

#define MAX_FDS 64
static int fd_of[MAX_FDS];
static uint32_t len_of[MAX_FDS];
static int nfds;

void h_reset_fds(void) { nfds = 0; }

int remote_register_dma_handle(int fd, uint32_t len) {
  for (int i = 0; i < nfds; i++)
    if (fd_of[i] == fd) {
      len_of[i] = len;
      return 0;
    }
  if (nfds == MAX_FDS) return -1;
  fd_of[nfds] = fd;
  len_of[nfds++] = len;
  return 0;
}

int adsp_mmap_fd_getinfo(int fd, uint32_t* len) {
  for (int i = 0; i < nfds; i++)
    if (fd_of[i] == fd) {
      *len = len_of[i];
      return 0;
    }
  return -1;
}

static long long reg_len(int fd) {
  uint32_t len;
  return adsp_mmap_fd_getinfo(fd, &len) == 0 ? (long long)len : -1;
}

/* ---- JSON ------------------------------------------------------------------------------- */

void j_hex(const void* p, size_t n) {
  const unsigned char* b = (const unsigned char*)p;
  putchar('"');
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  putchar('"');
}

void j_double(double v) {
  if (v == 0 && 1 / v < 0) fputs("-0.0", stdout);
  else printf("%.17g", v);
}

static void j_char(unsigned c) {
  if (c == '"' || c == '\\') printf("\\%c", (int)c);
  else if (c < 0x20) printf("\\u%04x", c);
  else putchar((int)c);
}

/* A string of at most `max` bytes, up to its first NUL. */
void j_str(const char* s, long long max) {
  putchar('"');
  for (long long i = 0; s != 0 && i < max && s[i] != 0; i++) j_char((unsigned char)s[i]);
  putchar('"');
}

/* A wide string of at most `max` UTF-16 units, up to its first 0 unit. */
void j_wstr(const _wchar_t* s, long long max) {
  putchar('"');
  for (long long i = 0; s != 0 && i < max && s[i] != 0; i++) {
    if (s[i] < 0x80) j_char(s[i]);
    else printf("\\u%04x", (unsigned)s[i]);
  }
  putchar('"');
}

/* ---- the recording transport ------------------------------------------------------------ */

static void print_handles(const remote_arg* pra, int from, int n) {
  putchar('[');
  for (int i = 0; i < n; i++) {
    if (i) putchar(',');
    printf("{\"fd\":%d,\"offset\":%u,\"len\":%lld}", pra[from + i].dma.fd, pra[from + i].dma.offset, reg_len(pra[from + i].dma.fd));
  }
  putchar(']');
}

static int record(remote_handle64 h, int is64, uint32_t sc, remote_arg* pra) {
  int nIn = REMOTE_SCALARS_INBUFS(sc), nOut = REMOTE_SCALARS_OUTBUFS(sc);
  int nInH = REMOTE_SCALARS_INHANDLES(sc), nOutH = REMOTE_SCALARS_OUTHANDLES(sc);
  printf("{\"ev\":\"request\",\"handle\":\"%llu\",\"sc\":\"0x%08x\",\"inBufs\":[", (unsigned long long)h, sc);
  for (int i = 0; i < nIn; i++) {
    if (i) putchar(',');
    j_hex(pra[i].buf.pv, pra[i].buf.nLen);
  }
  fputs("],\"outBufLens\":[", stdout);
  for (int i = 0; i < nOut; i++) printf(i ? ",%zu" : "%zu", pra[nIn + i].buf.nLen);
  fputs("],\"inHandles\":", stdout);
  print_handles(pra, nIn + nOut, nInH);
  fputs(",\"outHandles\":", stdout);
  print_handles(pra, nIn + nOut + nInH, nOutH);
  fputs("}\n", stdout);
  fflush(stdout);
  /* The vectors' convention: out buffers start zero-filled, except where a stub passes the same
     memory in and out (inrout buffers), which would lose the input. */
  for (int i = 0; i < nOut; i++) {
    char* o = pra[nIn + i].buf.pv;
    size_t ol = pra[nIn + i].buf.nLen;
    int aliased = 0;
    for (int k = 0; k < nIn && o; k++) {
      char* b = pra[k].buf.pv;
      if (b && b < o + ol && o < b + pra[k].buf.nLen) aliased = 1;
    }
    if (o && !aliased) memset(o, 0, ol);
  }
  /* Marks the point past which a crash is the skel's (or the implementation's), not the stub's. */
  fputs("{\"ev\":\"skel\"}\n", stdout);
  fflush(stdout);
  int r = is64 ? g_skel64(h, sc, pra) : g_skel32(sc, pra);
  printf("{\"ev\":\"reply\",\"result\":%d,\"outBufs\":[", r);
  for (int i = 0; i < nOut; i++) {
    if (i) putchar(',');
    j_hex(pra[nIn + i].buf.pv, pra[nIn + i].buf.nLen);
  }
  fputs("],\"outHandlesAfter\":", stdout);
  print_handles(pra, nIn + nOut + nInH, nOutH);
  fputs("}\n", stdout);
  fflush(stdout);
  return r;
}

int remote_handle_open(const char* name, remote_handle* ph) {
  (void)name;
  *ph = 4660;
  return 0;
}
int remote_handle_close(remote_handle h) {
  (void)h;
  return 0;
}
int remote_handle_invoke(remote_handle h, uint32_t sc, remote_arg* pra) { return record(h, 0, sc, pra); }
int remote_handle64_open(const char* name, remote_handle64* ph) {
  (void)name;
  *ph = 1;
  return 0;
}
int remote_handle64_close(remote_handle64 h) {
  (void)h;
  return 0;
}
int remote_handle64_invoke(remote_handle64 h, uint32_t sc, remote_arg* pra) { return record(h, 1, sc, pra); }
int remote_handle64_invoke_async(remote_handle64 h, fastrpc_async_descriptor_t* desc, uint32_t sc, remote_arg* pra) {
  (void)desc;
  return record(h, 1, sc, pra);
}

/* ---- bad inputs -------------------------------------------------------------------------- */

/*
 * One request per stdin line: `<skel index> <handle> <sc> <nIn> <hex>... <nOut> <len>...
 * <nInH> <fd> <offset>... <nOutH> <fd> <offset>... <nReg> <fd> <len>...` (hex "-" for empty).
 * Prints one JSON line per request: {"result": N} or {"result": "crash"}.
 */
static unsigned char* parse_hex(const char* s, size_t* n) {
  if (strcmp(s, "-") == 0) {
    *n = 0;
    return malloc(1);
  }
  size_t len = strlen(s) / 2;
  unsigned char* b = malloc(len ? len : 1);
  for (size_t i = 0; i < len; i++) sscanf(s + 2 * i, "%2hhx", &b[i]);
  *n = len;
  return b;
}

static int run_one(char* line, int (*const* skels32)(uint32_t, remote_arg*), int (*const* skels64)(remote_handle64, uint32_t, remote_arg*)) {
  char* save = 0;
  char* tok = strtok_r(line, " \n", &save);
#define NEXT() (tok = strtok_r(0, " \n", &save))
  int skel = atoi(tok);
  NEXT();
  unsigned long long handle = strtoull(tok, 0, 10);
  NEXT();
  uint32_t sc = (uint32_t)strtoul(tok, 0, 0);
  remote_arg pra[600];
  int k = 0;
  NEXT();
  int nIn = atoi(tok);
  for (int i = 0; i < nIn; i++, k++) {
    NEXT();
    pra[k].buf.pv = parse_hex(tok, &pra[k].buf.nLen);
  }
  NEXT();
  int nOut = atoi(tok);
  for (int i = 0; i < nOut; i++, k++) {
    NEXT();
    pra[k].buf.nLen = strtoul(tok, 0, 10);
    pra[k].buf.pv = calloc(pra[k].buf.nLen ? pra[k].buf.nLen : 1, 1);
  }
  for (int side = 0; side < 2; side++) {
    NEXT();
    int n = atoi(tok);
    for (int i = 0; i < n; i++, k++) {
      NEXT();
      pra[k].dma.fd = atoi(tok);
      NEXT();
      pra[k].dma.offset = (uint32_t)strtoul(tok, 0, 10);
    }
  }
  NEXT();
  int nReg = atoi(tok);
  for (int i = 0; i < nReg; i++) {
    NEXT();
    int fd = atoi(tok);
    NEXT();
    remote_register_dma_handle(fd, (uint32_t)strtoul(tok, 0, 10));
  }
#undef NEXT
  /* Exactly as many slots as sc describes: the real skel reading past them is a crash. */
  remote_arg* exact = malloc(sizeof(remote_arg) * (k ? k : 1));
  memcpy(exact, pra, sizeof(remote_arg) * k);
  return skels64[skel] ? skels64[skel](handle, sc, exact) : skels32[skel](sc, exact);
}

int h_run_bad_inputs(int (*const* skels32)(uint32_t, remote_arg*), int (*const* skels64)(remote_handle64, uint32_t, remote_arg*)) {
  char* line = 0;
  size_t cap = 0;
  while (getline(&line, &cap, stdin) > 0) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      h_set_mode(MODE_BAD);
      int r = run_one(line, skels32, skels64);
      printf("{\"result\":%d,\"implCalled\":%s}\n", r, h_impl_called() ? "true" : "false");
      fflush(stdout);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) printf("{\"result\":\"crash\"}\n");
    fflush(stdout);
  }
  free(line);
  return 0;
}

/* Runs one call case in a child process: a crash (an out-of-bounds access under ASan) is recorded
   as {"ev":"crash"} and the next case still runs. */
void h_run_case(int id, void (*f)(void)) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    f();
    fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) printf("{\"ev\":\"crash\",\"case\":%d}\n", id);
  fflush(stdout);
}

static int mode = MODE_CALLS;
static int impl_called;
void h_set_mode(int m) { mode = m; }
int h_mode(void) { return mode; }
void h_mark_impl_called(void) { impl_called = 1; }
int h_impl_called(void) { return impl_called; }
