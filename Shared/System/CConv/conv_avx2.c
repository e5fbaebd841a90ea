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

#else

int cconv_available(void) { return 0; }

/* Never called where cconv_available() is 0. */
void cconv_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                         const long *tap_offsets, cconv_layout l, const float *bias,
                         float *out, float *panel) {}
void cconv_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                const long *tap_offsets, cconv_layout l, float *planes) {}

#endif

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
