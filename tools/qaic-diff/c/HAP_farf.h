/* Logging macros qaic-generated C calls; the host build logs nothing. */
#ifndef DSPIDL_HAP_FARF_H
#define DSPIDL_HAP_FARF_H
#define FARF(level, msg, ...) ((void)0)
#define HAP_debug_v2 0
#endif
