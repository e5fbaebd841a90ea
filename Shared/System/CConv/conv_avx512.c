/* The AVX-512 kernels of CConv.h: the AVX2 kernels' plan (conv_avx2.c) with registers of 16 floats
 * and twice as many of them. cconv.c calls them only where the CPU has AVX-512 F, DQ, VL and BW.
 *
 * The forward product and the input gradient sum a tile of 16 pixels, one register per row, for up
 * to three panels of the packed weights at once: 16 or 18 rows, so 16 or 18 independent FMA chains,
 * each step one load of the pixels and a broadcast weight per row. The weight gradient sums tiles
 * of 6 taps × 32 filters, two registers per row as the AVX2 tiles have, so that six row pointers
 * fit the general registers; its transposed gradient is padded to whole tiles of 32 filters. */
#include "conv_internal.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX512_TARGET "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma"
#define AVX512 __attribute__((target(AVX512_TARGET)))
/* Inlined with constant row counts, so that every sum stays in a register (as in conv_avx2.c). */
#define AVX512_INLINE static inline __attribute__((always_inline, target(AVX512_TARGET)))

/* Panels of the packed weights that one tile sums side by side. */
#define GROUP_PANELS 3
#define GROUP_ROWS (GROUP_PANELS * CCONV_TILE_ROWS)

/* The sums of a group's rows, 16 pixels each. */
typedef struct {
    __m512 v[GROUP_ROWS];
} group_sums;

/* The panels of the group that starts at row r0 of a packed matrix of `rows` rows: three at a time,
 * 6-row panels before 4-row ones, but two and two rather than three and one at the end, so that no
 * tile runs with a single short panel's 4 chains. */
static inline void group_at(int rows, int r0, int *sixes, int *fours) {
    const int full = full_panel_rows(rows), padded = cconv_packed_rows(rows);
    const int left6 = r0 < full ? (full - r0) / CCONV_TILE_ROWS : 0;
    const int left4 = (padded - (r0 > full ? r0 : full)) / SHORT_PANEL_ROWS;
    const int left = left6 + left4;
    int take = left < GROUP_PANELS ? left : GROUP_PANELS;
    if (take == GROUP_PANELS && left == GROUP_PANELS + 1) take = 2;
    *sixes = take < left6 ? take : left6;
    *fours = take - *sixes;
}

/* Calls CALL(h0, h1, h2) with the group's panel heights as constants (0 for no panel). */
#define WITH_GROUP(sixes, fours, CALL)                 \
    switch ((sixes) * 4 + (fours)) {                   \
        case 12: CALL(6, 6, 6); break;                 \
        case 9: CALL(6, 6, 4); break;                  \
        case 6: CALL(6, 4, 4); break;                  \
        case 3: CALL(4, 4, 4); break;                  \
        case 8: CALL(6, 6, 0); break;                  \
        case 5: CALL(6, 4, 0); break;                  \
        case 2: CALL(4, 4, 0); break;                  \
        case 4: CALL(6, 0, 0); break;                  \
        default: CALL(4, 0, 0); break;                 \
    }

/* Sums a group over `depth` steps: its panels of h0, h1 and h2 rows follow one another from `a`,
 * each depth-major, and step d reads the 16 floats at b + d · ldb. */
AVX512_INLINE void sum_group(int h0, int h1, int h2, int depth, const float *a, const float *b, long ldb,
                             group_sums *t) {
    const float *a1 = a + (long)h0 * depth, *a2 = a1 + (long)h1 * depth;
    for (int r = 0; r < h0 + h1 + h2; r++) t->v[r] = _mm512_setzero_ps();
    for (int d = 0; d < depth; d++, b += ldb, a += h0, a1 += h1, a2 += h2) {
        const __m512 x = _mm512_loadu_ps(b);
        for (int r = 0; r < h0; r++) t->v[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r]), x, t->v[r]);
        for (int r = 0; r < h1; r++) t->v[h0 + r] = _mm512_fmadd_ps(_mm512_set1_ps(a1[r]), x, t->v[h0 + r]);
        for (int r = 0; r < h2; r++)
            t->v[h0 + h1 + r] = _mm512_fmadd_ps(_mm512_set1_ps(a2[r]), x, t->v[h0 + h1 + r]);
    }
}

/* Stores the first `rows` rows of a group, `ld` apart, each with its `shift` added. */
AVX512_INLINE void store_group(const group_sums *t, int rows, const float *shift, float *to, long ld) {
    for (int r = 0; r < rows; r++, to += ld)
        _mm512_storeu_ps(to, _mm512_add_ps(t->v[r], _mm512_set1_ps(shift ? shift[r] : 0.0f)));
}

/* Adds the first `rows` rows of a group into the planes, row r at base + offsets[r], the tile's 16
 * pixels in runs of `run` one plane row apart. */
AVX512_INLINE void scatter_add_group(const group_sums *t, int rows, int run, long plane_w, const long *offsets,
                                     float *base) {
    if (run == 16) {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r];
            _mm512_storeu_ps(to, _mm512_add_ps(_mm512_loadu_ps(to), t->v[r]));
        }
    } else if (run == 8) {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r], *next = to + plane_w;
            _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), _mm512_castps512_ps256(t->v[r])));
            _mm256_storeu_ps(next, _mm256_add_ps(_mm256_loadu_ps(next), _mm512_extractf32x8_ps(t->v[r], 1)));
        }
    } else {
        for (int r = 0; r < rows; r++) {
            float *to = base + offsets[r];
            _mm_storeu_ps(to, _mm_add_ps(_mm_loadu_ps(to), _mm512_castps512_ps128(t->v[r])));
            to += plane_w;
            _mm_storeu_ps(to, _mm_add_ps(_mm_loadu_ps(to), _mm512_extractf32x4_ps(t->v[r], 1)));
            to += plane_w;
            _mm_storeu_ps(to, _mm_add_ps(_mm_loadu_ps(to), _mm512_extractf32x4_ps(t->v[r], 2)));
            to += plane_w;
            _mm_storeu_ps(to, _mm_add_ps(_mm_loadu_ps(to), _mm512_extractf32x4_ps(t->v[r], 3)));
        }
    }
}

/* Copies 16 pixels' entries from the planes at `from` (runs of `run` one plane row apart) to `to`. */
AVX512_INLINE void gather_16(const float *from, int run, long plane_w, float *to) {
    if (run == 16) {
        _mm512_storeu_ps(to, _mm512_loadu_ps(from));
    } else if (run == 8) {
        _mm256_storeu_ps(to, _mm256_loadu_ps(from));
        _mm256_storeu_ps(to + 8, _mm256_loadu_ps(from + plane_w));
    } else {
        for (int i = 0; i < 4; i++) _mm_storeu_ps(to + 4 * i, _mm_loadu_ps(from + (long)i * plane_w));
    }
}

/* One group of filters for the 16 pixels in `panel`, stored with the bias into the NCHW output;
 * `rows` of its rows are real filters. */
AVX512_INLINE void forward_group(int h0, int h1, int h2, int rows, int taps, const float *packed,
                                 const float *panel, const float *bias, float *out, long pixels) {
    group_sums t;
    sum_group(h0, h1, h2, taps, packed, panel, CCONV_TILE_PIXELS, &t);
    const int height = h0 + h1 + h2;
    if (rows >= height)
        store_group(&t, height, bias, out, pixels);
    else
        store_group(&t, rows, bias, out, pixels);
}

AVX512 void cconv_avx512_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                                       const long *tap_offsets, cconv_layout l, const float *bias, float *out,
                                       float *panel) {
    const int run = run_length(l);
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        const float *base = planes + plane_entry(l, p0);
        for (int k = 0; k < taps; k++) gather_16(base + tap_offsets[k], run, l.plane_w, panel + k * CCONV_TILE_PIXELS);
        for (int f0 = 0; f0 < filters;) {
            int sixes, fours;
            group_at(filters, f0, &sixes, &fours);
            const float *w = packed_w + (long)f0 * taps, *shift = bias ? bias + f0 : NULL;
            float *to = out + (long)f0 * l.pixels + p0;
#define FORWARD(h0, h1, h2) forward_group(h0, h1, h2, filters - f0, taps, w, panel, shift, to, l.pixels)
            WITH_GROUP(sixes, fours, FORWARD)
#undef FORWARD
            f0 += sixes * CCONV_TILE_ROWS + fours * SHORT_PANEL_ROWS;
        }
    }
}

/* One group of taps' input gradients for 16 pixels, added into the planes at each tap's offset. */
AVX512_INLINE void backward_input_group(int h0, int h1, int h2, int rows, int filters, const float *packed,
                                        const float *dy, const long *offsets, float *base, int run, long plane_w) {
    group_sums t;
    sum_group(h0, h1, h2, filters, packed, dy, CCONV_TILE_PIXELS, &t);
    const int height = h0 + h1 + h2;
    if (rows >= height)
        scatter_add_group(&t, height, run, plane_w, offsets, base);
    else
        scatter_add_group(&t, rows, run, plane_w, offsets, base);
}

AVX512 void cconv_avx512_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                              const long *tap_offsets, cconv_layout l, float *planes,
                                              float *panel) {
    const int run = run_length(l);
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        /* The gradient's 16 pixels of every filter, copied together (see conv_avx2.c). */
        for (int f = 0; f < filters; f++)
            _mm512_storeu_ps(panel + f * CCONV_TILE_PIXELS, _mm512_loadu_ps(dy + (long)f * l.pixels + p0));
        float *base = planes + plane_entry(l, p0);
        for (int k0 = 0; k0 < taps;) {
            int sixes, fours;
            group_at(taps, k0, &sixes, &fours);
            const float *w = packed_wt + (long)k0 * filters;
#define BACKWARD(h0, h1, h2) \
    backward_input_group(h0, h1, h2, taps - k0, filters, w, panel, tap_offsets + k0, base, run, l.plane_w)
            WITH_GROUP(sixes, fours, BACKWARD)
#undef BACKWARD
            k0 += sixes * CCONV_TILE_ROWS + fours * SHORT_PANEL_ROWS;
        }
    }
}

/* The sums of a weight-gradient tile: up to 6 taps × 32 filters, tap r's in v[r][0] and v[r][1]. */
typedef struct {
    __m512 v[CCONV_TILE_ROWS][2];
} wide_sums;

/* Sums a tile whose rows are read in place: row r is `segments` runs of `run` consecutive floats
 * from from[r], `stride` apart; step d reads 32 filters at b + d · ldb. */
AVX512_INLINE void sum_runs_wide(int rows, const float *const from[CCONV_TILE_ROWS], long stride, int run,
                                 int segments, const float *b, long ldb, wide_sums *t) {
    for (int r = 0; r < rows; r++) t->v[r][0] = t->v[r][1] = _mm512_setzero_ps();
    for (int s = 0; s < segments; s++) {
        const float *a[CCONV_TILE_ROWS];
        for (int r = 0; r < rows; r++) a[r] = from[r] + (long)s * stride;
        for (int d = 0; d < run; d++, b += ldb) {
            const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
            for (int r = 0; r < rows; r++) {
                const __m512 x = _mm512_set1_ps(a[r][d]);
                t->v[r][0] = _mm512_fmadd_ps(x, b0, t->v[r][0]);
                t->v[r][1] = _mm512_fmadd_ps(x, b1, t->v[r][1]);
            }
        }
    }
}

/* Adds the first `rows` rows of a tile into the rows at `to`, `ld` apart. */
AVX512_INLINE void add_wide(const wide_sums *t, int rows, float *to, long ld) {
    for (int r = 0; r < rows; r++, to += ld) {
        _mm512_storeu_ps(to, _mm512_add_ps(_mm512_loadu_ps(to), t->v[r][0]));
        _mm512_storeu_ps(to + 16, _mm512_add_ps(_mm512_loadu_ps(to + 16), t->v[r][1]));
    }
}

/* One panel of taps' weight gradients, for every block of 32 filters of the transposed gradient in
 * `scratch`, added into the sums at `dwt` (the panel's first row). */
AVX512_INLINE void weight_gradient_panel(int height, int rows, const float *const from[CCONV_TILE_ROWS],
                                         long stride, int run, int segments, const float *scratch, int width,
                                         float *dwt) {
    for (int f0 = 0; f0 < width; f0 += CCONV_AVX512_WEIGHT_FILTERS) {
        wide_sums t;
        sum_runs_wide(height, from, stride, run, segments, scratch + f0, width, &t);
        add_wide(&t, rows < height ? rows : height, dwt + f0, width);
    }
}

/* The weight gradient of one block of pixels, panel by panel of taps (as in conv_avx2.c). */
AVX512 static void weight_gradient_block(const float *base, const long *offsets, long row_stride, int taps,
                                         long stride, int run, int segments, const float *scratch, int width,
                                         float *dwt) {
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

AVX512 void cconv_avx512_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy,
                                         long dy_stride, int filters, int depth, float *dwt, float *scratch) {
    const int width = round_up(filters, CCONV_AVX512_WEIGHT_FILTERS);
    for (int d0 = 0; d0 < depth; d0 += CCONV_WEIGHT_GRADIENT_DEPTH) {
        int block = depth - d0 < CCONV_WEIGHT_GRADIENT_DEPTH ? depth - d0 : CCONV_WEIGHT_GRADIENT_DEPTH;
        cconv_avx2_transpose(dy + d0, dy_stride, filters, block, scratch, width);
        weight_gradient_block(cols + d0, NULL, cols_stride, taps, 0, block, 1, scratch, width, dwt);
    }
}

/* Output pixels of one block of the dot products: a block's planes, its output gradient and the
 * sums of one group of filters stay in L1 while every group of taps passes over them. */
#define DOT_BLOCK_PIXELS 256

/* The weight gradient as dot products over the pixels, for layers with few taps (see conv_avx2.c):
 * 3 taps × 4 filters, each summing 16 pixels at a time in a register. The pixels go in blocks of
 * whole output rows, for one group of 4 filters at a time, and the 12 sums of each group of taps
 * wait in `sums` between blocks: summed over the whole image at once, every group of taps read
 * its planes and every group of filters its gradient from L2, and L2 set the pace. Needs
 * taps % 3 == 0, taps ≤ 32, filters % 4 == 0 and out_w % 16 == 0. */
AVX512 static void weight_gradient_dots(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                        const float *dy, int filters, float *dwt, int width) {
    const int out_h = l.pixels / l.out_w;
    const int block_rows = l.out_w >= DOT_BLOCK_PIXELS ? 1 : DOT_BLOCK_PIXELS / l.out_w;
    __m512 sums[32 / DOT_TAPS][DOT_TAPS][DOT_FILTERS];
    for (int f0 = 0; f0 < filters; f0 += DOT_FILTERS) {
        for (int t = 0; t < taps / DOT_TAPS; t++)
            for (int r = 0; r < DOT_TAPS; r++)
                for (int f = 0; f < DOT_FILTERS; f++) sums[t][r][f] = _mm512_setzero_ps();
        const float *g = dy + (long)f0 * l.pixels;
        for (int y0 = 0; y0 < out_h; y0 += block_rows) {
            const int y1 = y0 + block_rows < out_h ? y0 + block_rows : out_h;
            for (int t = 0; t < taps / DOT_TAPS; t++) {
                const float *x[DOT_TAPS];
                for (int r = 0; r < DOT_TAPS; r++) x[r] = planes + tap_offsets[t * DOT_TAPS + r];
                __m512 acc[DOT_TAPS][DOT_FILTERS];
                for (int r = 0; r < DOT_TAPS; r++)
                    for (int f = 0; f < DOT_FILTERS; f++) acc[r][f] = sums[t][r][f];
                for (int y = y0; y < y1; y++) {
                    const long in_row = (long)y * l.plane_w, out_row = (long)y * l.out_w;
                    for (int c = 0; c < l.out_w; c += 16) {
                        __m512 v[DOT_TAPS];
                        for (int r = 0; r < DOT_TAPS; r++) v[r] = _mm512_loadu_ps(x[r] + in_row + c);
                        for (int f = 0; f < DOT_FILTERS; f++) {
                            const __m512 d = _mm512_loadu_ps(g + (long)f * l.pixels + out_row + c);
                            for (int r = 0; r < DOT_TAPS; r++) acc[r][f] = _mm512_fmadd_ps(v[r], d, acc[r][f]);
                        }
                    }
                }
                for (int r = 0; r < DOT_TAPS; r++)
                    for (int f = 0; f < DOT_FILTERS; f++) sums[t][r][f] = acc[r][f];
            }
        }
        for (int t = 0; t < taps / DOT_TAPS; t++)
            for (int r = 0; r < DOT_TAPS; r++)
                for (int f = 0; f < DOT_FILTERS; f++)
                    dwt[(long)(t * DOT_TAPS + r) * width + f0 + f] += _mm512_reduce_add_ps(sums[t][r][f]);
    }
}

AVX512 void cconv_avx512_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l,
                                               int taps, const float *dy, int filters, float *dwt, float *scratch) {
    const int width = round_up(filters, CCONV_AVX512_WEIGHT_FILTERS), out_h = l.pixels / l.out_w;
    if (weight_gradient_takes_dots(l, taps, filters, 16)) {
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
