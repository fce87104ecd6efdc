/* The FastRPC argument types and entry points qaic-generated C uses, for a Linux host build.
   The definitions follow the public FastRPC ABI (remote_arg union, scalars word layout). */
#ifndef DSPIDL_REMOTE_H
#define DSPIDL_REMOTE_H
#include <stdint.h>
#include <stddef.h>

typedef uint32_t remote_handle;
typedef uint64_t remote_handle64;

typedef struct { void* pv; size_t nLen; } remote_buf;
typedef struct { int32_t fd; uint32_t offset; } remote_dma_handle;
typedef union {
  remote_buf buf;
  remote_handle h;
  remote_handle64 h64;
  remote_dma_handle dma;
} remote_arg;

#define REMOTE_SCALARS_METHOD_ATTR(sc) (((sc) >> 29) & 0x7)
#define REMOTE_SCALARS_METHOD(sc) (((sc) >> 24) & 0x1f)
#define REMOTE_SCALARS_INBUFS(sc) (((sc) >> 16) & 0x0ff)
#define REMOTE_SCALARS_OUTBUFS(sc) (((sc) >> 8) & 0x0ff)
#define REMOTE_SCALARS_INHANDLES(sc) (((sc) >> 4) & 0x0f)
#define REMOTE_SCALARS_OUTHANDLES(sc) ((sc) & 0x0f)
#define REMOTE_SCALARS_MAKEX(attr, method, in, out, hin, hout) \
  ((((uint32_t)(attr) & 0x7) << 29) | (((uint32_t)(method) & 0x1f) << 24) | (((uint32_t)(in) & 0xff) << 16) | \
   (((uint32_t)(out) & 0xff) << 8) | (((uint32_t)(hin) & 0x0f) << 4) | ((uint32_t)(hout) & 0x0f))
#define REMOTE_SCALARS_MAKE(method, in, out) REMOTE_SCALARS_MAKEX(0, method, in, out, 0, 0)

typedef struct {
  int type;
  uint64_t jobid;
  void* cb;
} fastrpc_async_descriptor_t;

int remote_handle_open(const char* name, remote_handle* ph);
int remote_handle_close(remote_handle h);
int remote_handle_invoke(remote_handle h, uint32_t sc, remote_arg* pra);
int remote_handle64_open(const char* name, remote_handle64* ph);
int remote_handle64_close(remote_handle64 h);
int remote_handle64_invoke(remote_handle64 h, uint32_t sc, remote_arg* pra);
int remote_handle64_invoke_async(remote_handle64 h, fastrpc_async_descriptor_t* desc, uint32_t sc, remote_arg* pra);
int remote_register_dma_handle(int fd, uint32_t len);
int adsp_mmap_fd_getinfo(int fd, uint32_t* len);
int HAP_pls_add_lookup(uint32_t type, uint32_t key, int size, int (*ctor)(void*, void*), void* data, void (*dtor)(void*), void** ppo);
int adsp_pls_add_lookup(uint32_t type, uint32_t key, int size, int (*ctor)(void*, void*), void* data, void (*dtor)(void*), void** ppo);
#endif
