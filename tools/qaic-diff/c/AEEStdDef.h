/* Types qaic-generated C expects from AEEStdDef.h, for building it on a Linux host (dspidl's own). */
#ifndef DSPIDL_AEESTDDEF_H
#define DSPIDL_AEESTDDEF_H
#include <stdint.h>
#include <stddef.h>
typedef int8_t int8;
typedef uint8_t uint8;
typedef int16_t int16;
typedef uint16_t uint16;
typedef int32_t int32;
typedef uint32_t uint32;
typedef int64_t int64;
typedef uint64_t uint64;
typedef unsigned char boolean;
typedef uint16_t _wchar_t;
typedef int AEEResult;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#include "AEEStdErr.h"
#endif
