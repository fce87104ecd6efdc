/* The differential runner's host harness (harness.c), as the generated driver uses it. */
#ifndef DSPIDL_HARNESS_H
#define DSPIDL_HARNESS_H
#include <stddef.h>
#include <stdint.h>
#include "AEEStdDef.h"
#include "remote.h"

/* MODE_CALLS: valid calls through the stubs; MODE_BAD: malformed requests straight into skels
   (implementations then return 0 and write nothing). */
#define MODE_CALLS 0
#define MODE_BAD 1

extern int (*g_skel32)(uint32_t sc, remote_arg* pra);
extern int (*g_skel64)(remote_handle64 h, uint32_t sc, remote_arg* pra);

void h_reset_fds(void);
void h_set_mode(int m);
int h_mode(void);
void h_mark_impl_called(void);
int h_impl_called(void);
void h_run_case(int id, void (*f)(void));
int h_run_bad_inputs(int (*const* skels32)(uint32_t, remote_arg*), int (*const* skels64)(remote_handle64, uint32_t, remote_arg*));

void j_hex(const void* p, size_t n);
void j_double(double v);
void j_str(const char* s, long long max);
void j_wstr(const _wchar_t* s, long long max);
#endif
