/* What the kernel files share: how a matrix is cut into panels, how a tile's pixels sit in the
 * phase planes, and the kernels of each instruction set, which cconv.c picks between. */
#ifndef CONV_INTERNAL_H
#define CONV_INTERNAL_H

#include "CConv.h"

/* Rows of the short panel that ends a matrix whose rows are not a multiple of CCONV_TILE_ROWS. */
#define SHORT_PANEL_ROWS 4

/* Rows of the full-height panels of a matrix of `rows` rows; the rest, up to the padded total, are
 * short panels. 32 rows become 6 · 4 + 4 · 2 rather than 6 · 6, so the tiles sum no zero rows at all
 * for the chapter's 16, 32, 64 and 128 filters; a 5-row remainder takes a full panel. */
static inline int full_panel_rows(int rows) {
    int full = rows / CCONV_TILE_ROWS * CCONV_TILE_ROWS, rest = rows - full;
    if (rest == 5) return full + CCONV_TILE_ROWS;
    /* 1 or 2 rows left: one full panel fewer, and two short ones take its rows and theirs. */
    if ((rest == 1 || rest == 2) && full > 0) return full - CCONV_TILE_ROWS;
    return full;
}

/* Rows of the panel that starts at row r0. */
static inline int panel_height(int full, int r0) { return r0 < full ? CCONV_TILE_ROWS : SHORT_PANEL_ROWS; }

/* The 16 pixels of a tile lie in 16 / out_w rows of the output when out_w is 4 or 8, in one row
 * otherwise; each row's run is contiguous in the planes, one plane row below the previous. */
static inline int run_length(cconv_layout l) { return l.out_w % 16 == 0 ? 16 : l.out_w; }

/* Offset in the planes of pixel p's input, past a tap's offset. */
static inline long plane_entry(cconv_layout l, int p) { return (long)(p / l.out_w) * l.plane_w + p % l.out_w; }

/* Tap k0 + r of a panel: a panel with fewer taps than rows repeats its last tap (those sums are
 * computed and ignored). */
static inline int panel_tap(int k0, int r, int taps) { return k0 + r < taps ? k0 + r : taps - 1; }

/* Output rows of one block of the weight gradient from the planes: as many whole rows as fit 256
 * pixels. */
static inline int rows_per_block(cconv_layout l) { return CCONV_WEIGHT_GRADIENT_DEPTH / l.out_w; }

/* Tiles of the dot-product weight gradient: taps × filters, twelve sums in registers. */
#define DOT_TAPS 3
#define DOT_FILTERS 4

/* Whether the weight gradient from the planes takes dot products over the pixels rather than tiles:
 * its shape fits them (`vector` pixels at a time along a row), and its taps are few. With 27 taps
 * the dot products ran a third faster than the tiles (each alone, one core); with 144, a tenth
 * slower, the tiles' transposed gradient then serving 24 panels of taps. */
static inline int weight_gradient_takes_dots(cconv_layout l, int taps, int filters, int vector) {
    return taps <= 32 && taps % DOT_TAPS == 0 && filters % DOT_FILTERS == 0 && l.out_w % vector == 0;
}

/* The kernels for AVX2 + FMA (conv_avx2.c) and for AVX-512 (conv_avx512.c), as CConv.h describes
 * them without the prefix; cconv.c calls one set or the other. */
void cconv_avx2_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                              const long *tap_offsets, cconv_layout l, const float *bias, float *out, float *panel);
void cconv_avx2_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                     const long *tap_offsets, cconv_layout l, float *planes, float *panel);
void cconv_avx2_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy, long dy_stride,
                                int filters, int depth, float *dwt, float *scratch);
void cconv_avx2_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                      const float *dy, int filters, float *dwt, float *scratch);

void cconv_avx512_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                                const long *tap_offsets, cconv_layout l, const float *bias, float *out,
                                float *panel);
void cconv_avx512_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                       const long *tap_offsets, cconv_layout l, float *planes, float *panel);
void cconv_avx512_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy, long dy_stride,
                                  int filters, int depth, float *dwt, float *scratch);
void cconv_avx512_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout l, int taps,
                                        const float *dy, int filters, float *dwt, float *scratch);

/* Writes the rows × columns block at `m` (rows `ldm` apart) transposed: out[c · ldo + r] =
 * m[r · ldm + c], with zeros in out's columns rows..<ldo (AVX2). */
void cconv_avx2_transpose(const float *m, long ldm, int rows, int columns, float *out, long ldo);

/* The columns of the transposed weight gradient: filters rounded up to whole tiles of `tile`. */
static inline int round_up(int n, int tile) { return (n + tile - 1) / tile * tile; }

#endif
