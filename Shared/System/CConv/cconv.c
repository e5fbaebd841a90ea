/* The plain-C part of CConv.h: which kernels run (AVX-512 or AVX2, asked of the CPU once), the
 * packing of weights, and the shapes the kernels take. */
#include "conv_internal.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CCONV_X86 1
#else
#define CCONV_X86 0
#endif

int cconv_available(void) {
#if CCONV_X86
    /* Cheap enough to ask every time: the CPU's features are read once, by the runtime. */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int cconv_avx512_available(void) {
#if CCONV_X86
    __builtin_cpu_init();
    return cconv_available() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#else
    return 0;
#endif
}

/* -1 until first asked: then whether the AVX-512 kernels run, which is where the CPU has them
 * unless cconv_use_avx512(0) said otherwise. Set between calls only (see CConv.h). The first ask
 * may come from several worker threads at once, each splitting an image: atomic loads and stores
 * keep that race defined (they all store the same answer). */
static int avx512_on = -1;

int cconv_uses_avx512(void) {
    int on = __atomic_load_n(&avx512_on, __ATOMIC_RELAXED);
    if (on < 0) {
        on = cconv_avx512_available();
        __atomic_store_n(&avx512_on, on, __ATOMIC_RELAXED);
    }
    return on;
}

void cconv_use_avx512(int on) { __atomic_store_n(&avx512_on, on && cconv_avx512_available(), __ATOMIC_RELAXED); }

int cconv_weight_gradient_width(int filters) {
    return round_up(filters, cconv_uses_avx512() ? CCONV_AVX512_WEIGHT_FILTERS : CCONV_TILE_PIXELS);
}

void cconv_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                         const long *tap_offsets, cconv_layout l, const float *bias, float *out, float *panel) {
#if CCONV_X86
    if (cconv_uses_avx512())
        cconv_avx512_forward_image(packed_w, filters, taps, planes, tap_offsets, l, bias, out, panel);
    else
        cconv_avx2_forward_image(packed_w, filters, taps, planes, tap_offsets, l, bias, out, panel);
#endif
}

void cconv_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                const long *tap_offsets, cconv_layout l, float *planes, float *panel) {
#if CCONV_X86
    if (cconv_uses_avx512())
        cconv_avx512_backward_input_image(packed_wt, taps, filters, dy, tap_offsets, l, planes, panel);
    else
        cconv_avx2_backward_input_image(packed_wt, taps, filters, dy, tap_offsets, l, planes, panel);
#endif
}

void cconv_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy, long dy_stride,
                           int filters, int depth, float *dwt, float *scratch) {
#if CCONV_X86
    if (cconv_uses_avx512())
        cconv_avx512_weight_gradient(cols, cols_stride, taps, dy, dy_stride, filters, depth, dwt, scratch);
    else
        cconv_avx2_weight_gradient(cols, cols_stride, taps, dy, dy_stride, filters, depth, dwt, scratch);
#endif
}

void cconv_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                 const float *dy, int filters, float *dwt, float *scratch) {
#if CCONV_X86
    if (cconv_uses_avx512())
        cconv_avx512_weight_gradient_image(planes, tap_offsets, l, taps, dy, filters, dwt, scratch);
    else
        cconv_avx2_weight_gradient_image(planes, tap_offsets, l, taps, dy, filters, dwt, scratch);
#endif
}

int cconv_weight_gradient_reads_planes(cconv_layout l) {
    /* Rows of 4 pixels: faster from the planes with AVX-512 (and with AVX2 on the same Xeon), slower
     * with AVX2 on the Zen 3 EPYC where the AVX2 kernels were tuned. */
    const int shortest = cconv_uses_avx512() ? 4 : 8;
    return cconv_supports(l) && l.out_w >= shortest && l.out_w <= CCONV_WEIGHT_GRADIENT_DEPTH;
}

int cconv_supports(cconv_layout l) {
    if (l.out_w <= 0 || l.pixels <= 0 || l.pixels % CCONV_TILE_PIXELS != 0) return 0;
    return l.out_w % 16 == 0 || l.out_w == 8 || l.out_w == 4;
}

int cconv_packed_rows(int rows) {
    int full = full_panel_rows(rows);
    int rest = rows > full ? rows - full : 0;
    return full + (rest + SHORT_PANEL_ROWS - 1) / SHORT_PANEL_ROWS * SHORT_PANEL_ROWS;
}

void cconv_pack_rows(const float *m, int rows, int depth, long row_stride, long depth_stride, float *packed) {
    const int full = full_panel_rows(rows);
    memset(packed, 0, sizeof(float) * (size_t)cconv_packed_rows(rows) * (size_t)depth);
    for (int r0 = 0; r0 < rows; r0 += panel_height(full, r0)) {
        const int height = panel_height(full, r0);
        float *panel = packed + (long)r0 * depth;
        for (int r = 0; r < height && r0 + r < rows; r++) {
            const float *from = m + (long)(r0 + r) * row_stride;
            for (int d = 0; d < depth; d++) panel[(long)d * height + r] = from[(long)d * depth_stride];
        }
    }
}
