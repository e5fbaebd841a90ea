/* The AVX2 + FMA kernels of CConv.h, for CPUs without AVX-512 (and for checking those kernels on CPUs
 * with it). Only the functions marked AVX2 are compiled for AVX2+FMA; cconv.c calls them only where
 * the CPU has both. */
#include "conv_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
/* The tile's pieces are inlined into each kernel with a constant row count, so that the compiler
 * keeps every sum in a register and unrolls the loops over rows. */
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma")))


/* The sums of a tile of up to 6 rows × 16 columns: row r in v[r][0] (columns 0–7) and v[r][1]. */
typedef struct {
    __m256 v[CCONV_TILE_ROWS][2];
} tile_sums;

AVX2_INLINE void clear_tile(int rows, tile_sums *t) {
    for (int r = 0; r < rows; r++) t->v[r][0] = t->v[r][1] = _mm256_setzero_ps();
}

/* One step of a tile's sums: row r gains a[r] · (b0, b1). Six rows make twelve independent FMA
 * chains, enough to keep both FMA units busy; four make eight. */
AVX2_INLINE void tile_step(int rows, const float *const a[CCONV_TILE_ROWS], int d, __m256 b0, __m256 b1,
                           tile_sums *t) {
    for (int r = 0; r < rows; r++) {
        __m256 x = _mm256_broadcast_ss(a[r] + d);
        t->v[r][0] = _mm256_fmadd_ps(x, b0, t->v[r][0]);
        t->v[r][1] = _mm256_fmadd_ps(x, b1, t->v[r][1]);
    }
}

/* Sums a tile over `depth` steps from a packed panel: tile[r][j] = Σ_d a[d·rows + r] · b[d·ldb + j]. */
AVX2_INLINE void sum_panel(int rows, int depth, const float *a, const float *b, long ldb, tile_sums *t) {
    clear_tile(rows, t);
    for (int d = 0; d < depth; d++, a += rows, b += ldb) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        for (int r = 0; r < rows; r++) {
            __m256 x = _mm256_broadcast_ss(a + r);
            t->v[r][0] = _mm256_fmadd_ps(x, b0, t->v[r][0]);
            t->v[r][1] = _mm256_fmadd_ps(x, b1, t->v[r][1]);
        }
    }
}

/* Sums a tile whose rows are read in place rather than packed: row r is `segments` runs of `run`
 * consecutive floats from rows[r], `stride` apart (one run for a row of patches; for the phase
 * planes, one run per output row). */
AVX2_INLINE void sum_runs(int rows, const float *const from[CCONV_TILE_ROWS], long stride, int run, int segments,
                          const float *b, long ldb, tile_sums *t) {
    clear_tile(rows, t);
    for (int s = 0; s < segments; s++) {
        const float *a[CCONV_TILE_ROWS];
        for (int r = 0; r < rows; r++) a[r] = from[r] + (long)s * stride;
        for (int d = 0; d < run; d++, b += ldb) tile_step(rows, a, d, _mm256_loadu_ps(b), _mm256_loadu_ps(b + 8), t);
    }
}

/* Stores the first `rows` (≤ 6) rows of a tile, `ld` apart, each with its `shift` added. */
AVX2_INLINE void store_6x16(const tile_sums *t, int rows, const float *shift, float *to, long ld) {
    for (int r = 0; r < rows; r++, to += ld) {
        __m256 s = _mm256_set1_ps(shift ? shift[r] : 0.0f);
        _mm256_storeu_ps(to, _mm256_add_ps(t->v[r][0], s));
        _mm256_storeu_ps(to + 8, _mm256_add_ps(t->v[r][1], s));
    }
}

/* Adds the first `rows` rows of a tile into the rows at `to`, `ld` apart. */
AVX2_INLINE void add_6x16(const tile_sums *t, int rows, float *to, long ld) {
    for (int r = 0; r < rows; r++, to += ld) {
        _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), t->v[r][0]));
        _mm256_storeu_ps(to + 8, _mm256_add_ps(_mm256_loadu_ps(to + 8), t->v[r][1]));
    }
}

/* Copies 16 pixels' entries from the planes at `from` (runs of `run` one plane row apart) to `to`. */
AVX2_INLINE void gather_16(const float *from, int run, long plane_w, float *to) {
    if (run == 16) {
        _mm256_storeu_ps(to, _mm256_loadu_ps(from));
        _mm256_storeu_ps(to + 8, _mm256_loadu_ps(from + 8));
    } else if (run == 8) {
        _mm256_storeu_ps(to, _mm256_loadu_ps(from));
        _mm256_storeu_ps(to + 8, _mm256_loadu_ps(from + plane_w));
    } else {
        for (int i = 0; i < 4; i++) _mm_storeu_ps(to + 4 * i, _mm_loadu_ps(from + (long)i * plane_w));
    }
}

/* Adds the first `rows` rows of a tile into the planes, row r at base + offsets[r] as gather_16
 * reads it. The test on the run is outside the loops, so that each loop unrolls with its sums in
 * registers. */
AVX2_INLINE void scatter_add_tile(const tile_sums *t, int rows, int run, long plane_w, const long *offsets,
                                  float *base) {
    if (run == 16) {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r];
            _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), t->v[r][0]));
            _mm256_storeu_ps(to + 8, _mm256_add_ps(_mm256_loadu_ps(to + 8), t->v[r][1]));
        }
    } else if (run == 8) {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r], *next = to + plane_w;
            _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), t->v[r][0]));
            _mm256_storeu_ps(next, _mm256_add_ps(_mm256_loadu_ps(next), t->v[r][1]));
        }
    } else {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r];
            __m128 q[4] = {_mm256_castps256_ps128(t->v[r][0]), _mm256_extractf128_ps(t->v[r][0], 1),
                           _mm256_castps256_ps128(t->v[r][1]), _mm256_extractf128_ps(t->v[r][1], 1)};
            for (int i = 0; i < 4; i++, to += plane_w) _mm_storeu_ps(to, _mm_add_ps(_mm_loadu_ps(to), q[i]));
        }
    }
}

/* One panel of filters for the 16 pixels in `panel`, stored with the bias into the NCHW output. */
AVX2_INLINE void forward_panel(int height, int rows, int taps, const float *packed, const float *panel,
                               const float *bias, float *out, long pixels) {
    tile_sums t;
    sum_panel(height, taps, packed, panel, CCONV_TILE_PIXELS, &t);
    store_6x16(&t, rows < height ? rows : height, bias, out, pixels);
}

AVX2 void cconv_avx2_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                                   const long *tap_offsets, cconv_layout l, const float *bias,
                                   float *out, float *panel) {
    const int run = run_length(l), full = full_panel_rows(filters);
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        /* The panel: for each tap, its 16 inputs, in the order the tile reads them. */
        const float *base = planes + plane_entry(l, p0);
        for (int k = 0; k < taps; k++) gather_16(base + tap_offsets[k], run, l.plane_w, panel + k * CCONV_TILE_PIXELS);
        for (int f0 = 0; f0 < filters; f0 += panel_height(full, f0)) {
            const float *w = packed_w + (long)f0 * taps, *shift = bias ? bias + f0 : NULL;
            float *to = out + (long)f0 * l.pixels + p0;
            /* Whole panels get constant row counts, so their sums go from registers to the output. */
            if (filters - f0 >= CCONV_TILE_ROWS && panel_height(full, f0) == CCONV_TILE_ROWS)
                forward_panel(CCONV_TILE_ROWS, CCONV_TILE_ROWS, taps, w, panel, shift, to, l.pixels);
            else if (filters - f0 >= SHORT_PANEL_ROWS && panel_height(full, f0) == SHORT_PANEL_ROWS)
                forward_panel(SHORT_PANEL_ROWS, SHORT_PANEL_ROWS, taps, w, panel, shift, to, l.pixels);
            else if (panel_height(full, f0) == CCONV_TILE_ROWS)
                forward_panel(CCONV_TILE_ROWS, filters - f0, taps, w, panel, shift, to, l.pixels);
            else
                forward_panel(SHORT_PANEL_ROWS, filters - f0, taps, w, panel, shift, to, l.pixels);
        }
    }
}

/* One panel of taps' input gradients for 16 pixels, added into the planes at each tap's offset. */
AVX2_INLINE void backward_input_panel(int height, int rows, int filters, const float *packed, const float *dy,
                                      const long *offsets, float *base, int run, long plane_w) {
    tile_sums t;
    sum_panel(height, filters, packed, dy, CCONV_TILE_PIXELS, &t);
    scatter_add_tile(&t, rows < height ? rows : height, run, plane_w, offsets, base);
}

AVX2 void cconv_avx2_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                          const long *tap_offsets, cconv_layout l, float *planes, float *panel) {
    const int run = run_length(l), full = full_panel_rows(taps);
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        /* The gradient's 16 pixels of every filter, copied together: read in place, the rows lie
         * a whole image's pixels apart, and at 256 pixels their 32 or more lines compete for a few
         * of L1's sets. */
        for (int f = 0; f < filters; f++) {
            const float *from = dy + (long)f * l.pixels + p0;
            _mm256_storeu_ps(panel + f * CCONV_TILE_PIXELS, _mm256_loadu_ps(from));
            _mm256_storeu_ps(panel + f * CCONV_TILE_PIXELS + 8, _mm256_loadu_ps(from + 8));
        }
        float *base = planes + plane_entry(l, p0);
        for (int k0 = 0; k0 < taps; k0 += panel_height(full, k0)) {
            const float *w = packed_wt + (long)k0 * filters;
            const long *offsets = tap_offsets + k0;
            if (taps - k0 >= CCONV_TILE_ROWS && panel_height(full, k0) == CCONV_TILE_ROWS)
                backward_input_panel(CCONV_TILE_ROWS, CCONV_TILE_ROWS, filters, w, panel, offsets, base, run, l.plane_w);
            else if (taps - k0 >= SHORT_PANEL_ROWS && panel_height(full, k0) == SHORT_PANEL_ROWS)
                backward_input_panel(
                    SHORT_PANEL_ROWS, SHORT_PANEL_ROWS, filters, w, panel, offsets, base, run, l.plane_w);
            else if (panel_height(full, k0) == CCONV_TILE_ROWS)
                backward_input_panel(CCONV_TILE_ROWS, taps - k0, filters, w, panel, offsets, base, run, l.plane_w);
            else
                backward_input_panel(SHORT_PANEL_ROWS, taps - k0, filters, w, panel, offsets, base, run, l.plane_w);
        }
    }
}

/* 8 × 8 blocks go through registers. */
AVX2 void cconv_avx2_transpose(const float *m, long ldm, int rows, int columns, float *out, long ldo) {
    int r0 = 0;
    for (; r0 + 8 <= rows; r0 += 8) {
        int c0 = 0;
        for (; c0 + 8 <= columns; c0 += 8) {
            const float *from = m + (long)r0 * ldm + c0;
            __m256 v0 = _mm256_loadu_ps(from), v1 = _mm256_loadu_ps(from + ldm);
            __m256 v2 = _mm256_loadu_ps(from + 2 * ldm), v3 = _mm256_loadu_ps(from + 3 * ldm);
            __m256 v4 = _mm256_loadu_ps(from + 4 * ldm), v5 = _mm256_loadu_ps(from + 5 * ldm);
            __m256 v6 = _mm256_loadu_ps(from + 6 * ldm), v7 = _mm256_loadu_ps(from + 7 * ldm);
            __m256 t0 = _mm256_unpacklo_ps(v0, v1), t1 = _mm256_unpackhi_ps(v0, v1);
            __m256 t2 = _mm256_unpacklo_ps(v2, v3), t3 = _mm256_unpackhi_ps(v2, v3);
            __m256 t4 = _mm256_unpacklo_ps(v4, v5), t5 = _mm256_unpackhi_ps(v4, v5);
            __m256 t6 = _mm256_unpacklo_ps(v6, v7), t7 = _mm256_unpackhi_ps(v6, v7);
            __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *to = out + (long)c0 * ldo + r0;
            _mm256_storeu_ps(to, _mm256_permute2f128_ps(s0, s4, 0x20));
            _mm256_storeu_ps(to + ldo, _mm256_permute2f128_ps(s1, s5, 0x20));
            _mm256_storeu_ps(to + 2 * ldo, _mm256_permute2f128_ps(s2, s6, 0x20));
            _mm256_storeu_ps(to + 3 * ldo, _mm256_permute2f128_ps(s3, s7, 0x20));
            _mm256_storeu_ps(to + 4 * ldo, _mm256_permute2f128_ps(s0, s4, 0x31));
            _mm256_storeu_ps(to + 5 * ldo, _mm256_permute2f128_ps(s1, s5, 0x31));
            _mm256_storeu_ps(to + 6 * ldo, _mm256_permute2f128_ps(s2, s6, 0x31));
            _mm256_storeu_ps(to + 7 * ldo, _mm256_permute2f128_ps(s3, s7, 0x31));
        }
        for (; c0 < columns; c0++)
            for (int r = r0; r < r0 + 8; r++) out[(long)c0 * ldo + r] = m[(long)r * ldm + c0];
    }
    for (int c = 0; c < columns; c++) {
        for (int r = r0; r < rows; r++) out[(long)c * ldo + r] = m[(long)r * ldm + c];
        for (int r = rows; r < ldo; r++) out[(long)c * ldo + r] = 0;
    }
}

/* One panel of taps' weight gradients, for every block of 16 filters of the transposed output
 * gradient in `scratch`, added into the sums at `dwt` (the panel's first row). */
AVX2_INLINE void weight_gradient_panel(int height, int rows, const float *const from[CCONV_TILE_ROWS], long stride,
                                       int run, int segments, const float *scratch, int width, float *dwt) {
    for (int f0 = 0; f0 < width; f0 += CCONV_TILE_PIXELS) {
        tile_sums t;
        sum_runs(height, from, stride, run, segments, scratch + f0, width, &t);
        add_6x16(&t, rows < height ? rows : height, dwt + f0, width);
    }
}

/* The weight gradient of one block of pixels, panel by panel of taps: tap k's patch row starts at
 * base + offsets[k], or at base + k · row_stride without offsets. Six taps' rows, 6 KB, stay in L1
 * while every block of 16 filters passes over them; the patches are read once, the transposed
 * gradient (128 KB at 128 filters) from L2. */
AVX2 static void weight_gradient_block(const float *base, const long *offsets, long row_stride, int taps, long stride,
                                       int run, int segments, const float *scratch, int width, float *dwt) {
    const int full = full_panel_rows(taps);
    for (int k0 = 0; k0 < taps; k0 += panel_height(full, k0)) {
        const float *from[CCONV_TILE_ROWS];
        for (int r = 0; r < CCONV_TILE_ROWS; r++) {
            int k = panel_tap(k0, r, taps);
            from[r] = base + (offsets ? offsets[k] : k * row_stride);
        }
        float *to = dwt + (long)k0 * width;
        if (taps - k0 >= CCONV_TILE_ROWS && panel_height(full, k0) == CCONV_TILE_ROWS)
            weight_gradient_panel(CCONV_TILE_ROWS, CCONV_TILE_ROWS, from, stride, run, segments, scratch, width, to);
        else if (taps - k0 >= SHORT_PANEL_ROWS && panel_height(full, k0) == SHORT_PANEL_ROWS)
            weight_gradient_panel(SHORT_PANEL_ROWS, SHORT_PANEL_ROWS, from, stride, run, segments, scratch, width, to);
        else if (panel_height(full, k0) == CCONV_TILE_ROWS)
            weight_gradient_panel(CCONV_TILE_ROWS, taps - k0, from, stride, run, segments, scratch, width, to);
        else
            weight_gradient_panel(SHORT_PANEL_ROWS, taps - k0, from, stride, run, segments, scratch, width, to);
    }
}

AVX2 void cconv_avx2_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy,
                                     long dy_stride, int filters, int depth, float *dwt, float *scratch) {
    const int width = round_up(filters, CCONV_TILE_PIXELS);
    for (int d0 = 0; d0 < depth; d0 += CCONV_WEIGHT_GRADIENT_DEPTH) {
        int block = depth - d0 < CCONV_WEIGHT_GRADIENT_DEPTH ? depth - d0 : CCONV_WEIGHT_GRADIENT_DEPTH;
        /* The gradient's block, pixel-major and padded with zero filters to whole tiles. */
        cconv_avx2_transpose(dy + d0, dy_stride, filters, block, scratch, width);
        weight_gradient_block(cols + d0, NULL, cols_stride, taps, 0, block, 1, scratch, width, dwt);
    }
}

/* The sum of a vector's eight floats. */
AVX2_INLINE float sum_8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
}

/* cconv_weight_gradient_image as dot products over the pixels, for layers with few taps: each of 3
 * taps × 4 filters sums 8 pixels at a time in a register, reading the planes and the output
 * gradient as they lie, and adds its horizontal sum at the end. Nothing is transposed: with 27
 * taps, transposing the gradient cost as much as a fifth of the tiles' time, and the tiles summed
 * 256 pixels at most. Needs taps % 3 == 0, filters % 4 == 0 and out_w % 8 == 0. */
AVX2 static void weight_gradient_dots(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                      const float *dy, int filters, float *dwt, int width) {
    const int out_h = l.pixels / l.out_w;
    for (int k0 = 0; k0 < taps; k0 += DOT_TAPS) {
        const float *x[DOT_TAPS];
        for (int r = 0; r < DOT_TAPS; r++) x[r] = planes + tap_offsets[k0 + r];
        for (int f0 = 0; f0 < filters; f0 += DOT_FILTERS) {
            __m256 sums[DOT_TAPS][DOT_FILTERS];
            for (int r = 0; r < DOT_TAPS; r++)
                for (int f = 0; f < DOT_FILTERS; f++) sums[r][f] = _mm256_setzero_ps();
            const float *g = dy + (long)f0 * l.pixels;
            for (int y = 0; y < out_h; y++) {
                const long in_row = (long)y * l.plane_w, out_row = (long)y * l.out_w;
                for (int c = 0; c < l.out_w; c += 8) {
                    __m256 v[DOT_TAPS];
                    for (int r = 0; r < DOT_TAPS; r++) v[r] = _mm256_loadu_ps(x[r] + in_row + c);
                    for (int f = 0; f < DOT_FILTERS; f++) {
                        __m256 d = _mm256_loadu_ps(g + (long)f * l.pixels + out_row + c);
                        for (int r = 0; r < DOT_TAPS; r++) sums[r][f] = _mm256_fmadd_ps(v[r], d, sums[r][f]);
                    }
                }
            }
            for (int r = 0; r < DOT_TAPS; r++)
                for (int f = 0; f < DOT_FILTERS; f++) dwt[(long)(k0 + r) * width + f0 + f] += sum_8(sums[r][f]);
        }
    }
}

AVX2 void cconv_avx2_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                           const float *dy, int filters, float *dwt, float *scratch) {
    const int width = round_up(filters, CCONV_TILE_PIXELS), out_h = l.pixels / l.out_w;
    if (weight_gradient_takes_dots(l, taps, filters, 8)) {
        weight_gradient_dots(planes, tap_offsets, l, taps, dy, filters, dwt, width);
        return;
    }
    for (int y0 = 0; y0 < out_h; y0 += rows_per_block(l)) {
        int segments = out_h - y0 < rows_per_block(l) ? out_h - y0 : rows_per_block(l);
        cconv_avx2_transpose(dy + (long)y0 * l.out_w, l.pixels, filters, segments * l.out_w, scratch, width);
        weight_gradient_block(planes + (long)y0 * l.plane_w, tap_offsets, 0, taps, l.plane_w, l.out_w, segments,
                              scratch, width, dwt);
    }
}

#endif
