/* The kernels declared in CConv.h. Only the functions marked AVX2 are compiled for AVX2+FMA, and
 * Swift calls them only where cconv_available() says the CPU has both; the rest is plain C. */
#include "CConv.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

int cconv_available(void) {
    /* Cheap enough to ask every time: the CPU's features are read once, by the runtime. */
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/* Sums a 6 × 16 tile over `depth` steps: tile[r][j] = Σ_d a[d·6 + r] · b[d·ldb + j]. Twelve
 * accumulators, each one FMA per step: enough independent chains to keep both FMA units busy. */
AVX2 static void tile_6x16(int depth, const float *a, const float *b, long ldb, float *tile) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int d = 0; d < depth; d++, a += CCONV_TILE_ROWS, b += ldb) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), r;
        r = _mm256_broadcast_ss(a);     c00 = _mm256_fmadd_ps(r, b0, c00); c01 = _mm256_fmadd_ps(r, b1, c01);
        r = _mm256_broadcast_ss(a + 1); c10 = _mm256_fmadd_ps(r, b0, c10); c11 = _mm256_fmadd_ps(r, b1, c11);
        r = _mm256_broadcast_ss(a + 2); c20 = _mm256_fmadd_ps(r, b0, c20); c21 = _mm256_fmadd_ps(r, b1, c21);
        r = _mm256_broadcast_ss(a + 3); c30 = _mm256_fmadd_ps(r, b0, c30); c31 = _mm256_fmadd_ps(r, b1, c31);
        r = _mm256_broadcast_ss(a + 4); c40 = _mm256_fmadd_ps(r, b0, c40); c41 = _mm256_fmadd_ps(r, b1, c41);
        r = _mm256_broadcast_ss(a + 5); c50 = _mm256_fmadd_ps(r, b0, c50); c51 = _mm256_fmadd_ps(r, b1, c51);
    }
    _mm256_storeu_ps(tile, c00);      _mm256_storeu_ps(tile + 8, c01);
    _mm256_storeu_ps(tile + 16, c10); _mm256_storeu_ps(tile + 24, c11);
    _mm256_storeu_ps(tile + 32, c20); _mm256_storeu_ps(tile + 40, c21);
    _mm256_storeu_ps(tile + 48, c30); _mm256_storeu_ps(tile + 56, c31);
    _mm256_storeu_ps(tile + 64, c40); _mm256_storeu_ps(tile + 72, c41);
    _mm256_storeu_ps(tile + 80, c50); _mm256_storeu_ps(tile + 88, c51);
}

/* The 16 pixels of a tile lie in 16 / out_w rows of the output when out_w is 4 or 8, in one row
 * otherwise; each row's run is contiguous in the planes, one plane row below the previous. */
static inline int run_length(cconv_layout l) { return l.out_w % 16 == 0 ? 16 : l.out_w; }

/* Offset in the planes of pixel p's input, past a tap's offset. */
static inline long plane_entry(cconv_layout l, int p) { return (long)(p / l.out_w) * l.plane_w + p % l.out_w; }

AVX2 void cconv_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                              const long *tap_offsets, cconv_layout l, const float *bias,
                              float *out, float *panel) {
    const int run = run_length(l);
    float tile[CCONV_TILE_ROWS * CCONV_TILE_PIXELS];
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        /* The panel: for each tap, its 16 inputs, in the order the tile reads them. */
        const float *base = planes + plane_entry(l, p0);
        float *to = panel;
        for (int k = 0; k < taps; k++, to += CCONV_TILE_PIXELS) {
            const float *from = base + tap_offsets[k];
            if (run == 16) {
                _mm256_storeu_ps(to, _mm256_loadu_ps(from));
                _mm256_storeu_ps(to + 8, _mm256_loadu_ps(from + 8));
            } else if (run == 8) {
                _mm256_storeu_ps(to, _mm256_loadu_ps(from));
                _mm256_storeu_ps(to + 8, _mm256_loadu_ps(from + l.plane_w));
            } else {
                for (int i = 0; i < 4; i++) _mm_storeu_ps(to + 4 * i, _mm_loadu_ps(from + (long)i * l.plane_w));
            }
        }
        for (int f0 = 0; f0 < filters; f0 += CCONV_TILE_ROWS) {
            tile_6x16(taps, packed_w + (long)f0 * taps, panel, CCONV_TILE_PIXELS, tile);
            int rows = filters - f0 < CCONV_TILE_ROWS ? filters - f0 : CCONV_TILE_ROWS;
            for (int r = 0; r < rows; r++) {
                __m256 shift = _mm256_set1_ps(bias ? bias[f0 + r] : 0.0f);
                float *row = out + (long)(f0 + r) * l.pixels + p0;
                _mm256_storeu_ps(row, _mm256_add_ps(_mm256_loadu_ps(tile + 16 * r), shift));
                _mm256_storeu_ps(row + 8, _mm256_add_ps(_mm256_loadu_ps(tile + 16 * r + 8), shift));
            }
        }
    }
}

AVX2 void cconv_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                     const long *tap_offsets, cconv_layout l, float *planes) {
    const int run = run_length(l);
    float tile[CCONV_TILE_ROWS * CCONV_TILE_PIXELS];
    for (int p0 = 0; p0 < l.pixels; p0 += CCONV_TILE_PIXELS) {
        float *base = planes + plane_entry(l, p0);
        for (int k0 = 0; k0 < taps; k0 += CCONV_TILE_ROWS) {
            /* The gradient's rows are read in place: 16 consecutive pixels of each filter. */
            tile_6x16(filters, packed_wt + (long)k0 * filters, dy + p0, l.pixels, tile);
            int rows = taps - k0 < CCONV_TILE_ROWS ? taps - k0 : CCONV_TILE_ROWS;
            for (int r = 0; r < rows; r++) {
                float *to = base + tap_offsets[k0 + r];
                const float *sum = tile + 16 * r;
                if (run == 16) {
                    _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), _mm256_loadu_ps(sum)));
                    _mm256_storeu_ps(to + 8, _mm256_add_ps(_mm256_loadu_ps(to + 8), _mm256_loadu_ps(sum + 8)));
                } else if (run == 8) {
                    _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), _mm256_loadu_ps(sum)));
                    float *next = to + l.plane_w;
                    _mm256_storeu_ps(next, _mm256_add_ps(_mm256_loadu_ps(next), _mm256_loadu_ps(sum + 8)));
                } else {
                    for (int i = 0; i < 4; i++) {
                        float *at = to + (long)i * l.plane_w;
                        _mm_storeu_ps(at, _mm_add_ps(_mm_loadu_ps(at), _mm_loadu_ps(sum + 4 * i)));
                    }
                }
            }
        }
    }
}

/* tile_6x16 with its six rows read in place rather than packed: row r is `segments` runs of
 * `run` consecutive floats from rows[r], `stride` apart (one run for a row of patches; for the phase
 * planes, one run per output row). The weight gradient's rows are read once per tile this way. */
AVX2 static void tile_6x16_runs(const float *const rows[CCONV_TILE_ROWS], long stride, int run, int segments,
                                const float *b, long ldb, float *tile) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int s = 0; s < segments; s++) {
        const long at = s * stride;
        const float *a0 = rows[0] + at, *a1 = rows[1] + at, *a2 = rows[2] + at;
        const float *a3 = rows[3] + at, *a4 = rows[4] + at, *a5 = rows[5] + at;
        for (int d = 0; d < run; d++, b += ldb) {
            __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), r;
            r = _mm256_broadcast_ss(a0 + d); c00 = _mm256_fmadd_ps(r, b0, c00); c01 = _mm256_fmadd_ps(r, b1, c01);
            r = _mm256_broadcast_ss(a1 + d); c10 = _mm256_fmadd_ps(r, b0, c10); c11 = _mm256_fmadd_ps(r, b1, c11);
            r = _mm256_broadcast_ss(a2 + d); c20 = _mm256_fmadd_ps(r, b0, c20); c21 = _mm256_fmadd_ps(r, b1, c21);
            r = _mm256_broadcast_ss(a3 + d); c30 = _mm256_fmadd_ps(r, b0, c30); c31 = _mm256_fmadd_ps(r, b1, c31);
            r = _mm256_broadcast_ss(a4 + d); c40 = _mm256_fmadd_ps(r, b0, c40); c41 = _mm256_fmadd_ps(r, b1, c41);
            r = _mm256_broadcast_ss(a5 + d); c50 = _mm256_fmadd_ps(r, b0, c50); c51 = _mm256_fmadd_ps(r, b1, c51);
        }
    }
    _mm256_storeu_ps(tile, c00);      _mm256_storeu_ps(tile + 8, c01);
    _mm256_storeu_ps(tile + 16, c10); _mm256_storeu_ps(tile + 24, c11);
    _mm256_storeu_ps(tile + 32, c20); _mm256_storeu_ps(tile + 40, c21);
    _mm256_storeu_ps(tile + 48, c30); _mm256_storeu_ps(tile + 56, c31);
    _mm256_storeu_ps(tile + 64, c40); _mm256_storeu_ps(tile + 72, c41);
    _mm256_storeu_ps(tile + 80, c50); _mm256_storeu_ps(tile + 88, c51);
}

/* Writes the rows × columns block at `m` (rows `ldm` apart) transposed: out[c · ldo + r] = m[r · ldm + c],
 * with zeros in out's columns rows..<ldo. 8 × 8 blocks go through registers. */
AVX2 static void transpose(const float *m, long ldm, int rows, int columns, float *out, long ldo) {
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

/* Adds the first `rows` rows of a tile into the transposed sums, `width` apart. */
AVX2 static void add_tile(const float *tile, int rows, float *to, long width) {
    for (int r = 0; r < rows; r++, to += width, tile += CCONV_TILE_PIXELS) {
        _mm256_storeu_ps(to, _mm256_add_ps(_mm256_loadu_ps(to), _mm256_loadu_ps(tile)));
        _mm256_storeu_ps(to + 8, _mm256_add_ps(_mm256_loadu_ps(to + 8), _mm256_loadu_ps(tile + 8)));
    }
}

/* Tap k0 + r of a panel, for r < 6: a partial panel repeats its last tap (those sums are computed
 * and ignored). */
static inline int panel_tap(int k0, int r, int taps) { return k0 + r < taps ? k0 + r : taps - 1; }

AVX2 void cconv_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy,
                                long dy_stride, int filters, int depth, float *dwt, float *scratch) {
    const int width = cconv_weight_gradient_width(filters);
    float tile[CCONV_TILE_ROWS * CCONV_TILE_PIXELS];
    for (int d0 = 0; d0 < depth; d0 += CCONV_WEIGHT_GRADIENT_DEPTH) {
        int block = depth - d0 < CCONV_WEIGHT_GRADIENT_DEPTH ? depth - d0 : CCONV_WEIGHT_GRADIENT_DEPTH;
        /* The gradient's block, pixel-major and padded with zero filters to whole tiles. */
        transpose(dy + d0, dy_stride, filters, block, scratch, width);
        /* Six taps' rows, 6 KB, stay in L1 while every block of 16 filters passes over them; the
         * patches are read once, the transposed gradient (128 KB at 128 filters) from L2. */
        for (int k0 = 0; k0 < taps; k0 += CCONV_TILE_ROWS) {
            int rows = taps - k0 < CCONV_TILE_ROWS ? taps - k0 : CCONV_TILE_ROWS;
            const float *panel[CCONV_TILE_ROWS];
            for (int r = 0; r < CCONV_TILE_ROWS; r++) panel[r] = cols + (long)panel_tap(k0, r, taps) * cols_stride + d0;
            for (int f0 = 0; f0 < width; f0 += CCONV_TILE_PIXELS) {
                tile_6x16_runs(panel, 0, block, 1, scratch + f0, width, tile);
                add_tile(tile, rows, dwt + (long)k0 * width + f0, width);
            }
        }
    }
}

/* Output rows of one block of cconv_weight_gradient_image: as many whole rows as fit 256 pixels. */
static inline int rows_per_block(cconv_layout l) { return CCONV_WEIGHT_GRADIENT_DEPTH / l.out_w; }

AVX2 void cconv_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                      const float *dy, int filters, float *dwt, float *scratch) {
    const int width = cconv_weight_gradient_width(filters), out_h = l.pixels / l.out_w;
    float tile[CCONV_TILE_ROWS * CCONV_TILE_PIXELS];
    for (int y0 = 0; y0 < out_h; y0 += rows_per_block(l)) {
        int segments = out_h - y0 < rows_per_block(l) ? out_h - y0 : rows_per_block(l);
        transpose(dy + (long)y0 * l.out_w, l.pixels, filters, segments * l.out_w, scratch, width);
        for (int k0 = 0; k0 < taps; k0 += CCONV_TILE_ROWS) {
            int rows = taps - k0 < CCONV_TILE_ROWS ? taps - k0 : CCONV_TILE_ROWS;
            const float *panel[CCONV_TILE_ROWS];
            for (int r = 0; r < CCONV_TILE_ROWS; r++)
                panel[r] = planes + tap_offsets[panel_tap(k0, r, taps)] + (long)y0 * l.plane_w;
            for (int f0 = 0; f0 < width; f0 += CCONV_TILE_PIXELS) {
                tile_6x16_runs(panel, l.plane_w, l.out_w, segments, scratch + f0, width, tile);
                add_tile(tile, rows, dwt + (long)k0 * width + f0, width);
            }
        }
    }
}

#else

int cconv_available(void) { return 0; }

/* Never called where cconv_available() is 0. */
void cconv_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                         const long *tap_offsets, cconv_layout l, const float *bias,
                         float *out, float *panel) {}
void cconv_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                const long *tap_offsets, cconv_layout l, float *planes) {}
void cconv_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy,
                           long dy_stride, int filters, int depth, float *dwt, float *scratch) {}
void cconv_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                 const float *dy, int filters, float *dwt, float *scratch) {}

#endif

int cconv_weight_gradient_width(int filters) {
    return (filters + CCONV_TILE_PIXELS - 1) / CCONV_TILE_PIXELS * CCONV_TILE_PIXELS;
}

int cconv_weight_gradient_reads_planes(cconv_layout l) {
    return cconv_supports(l) && l.out_w >= 8 && l.out_w <= CCONV_WEIGHT_GRADIENT_DEPTH;
}

int cconv_supports(cconv_layout l) {
    if (l.out_w <= 0 || l.pixels <= 0 || l.pixels % CCONV_TILE_PIXELS != 0) return 0;
    return l.out_w % 16 == 0 || l.out_w == 8 || l.out_w == 4;
}

void cconv_pack_rows(const float *m, int rows, int depth, long row_stride, long depth_stride, float *packed) {
    int panels = (rows + CCONV_TILE_ROWS - 1) / CCONV_TILE_ROWS;
    memset(packed, 0, sizeof(float) * (size_t)panels * CCONV_TILE_ROWS * (size_t)depth);
    for (int r = 0; r < rows; r++) {
        float *to = packed + (long)(r / CCONV_TILE_ROWS) * CCONV_TILE_ROWS * depth + r % CCONV_TILE_ROWS;
        const float *from = m + (long)r * row_stride;
        for (int d = 0; d < depth; d++) to[(long)d * CCONV_TILE_ROWS] = from[(long)d * depth_stride];
    }
}
