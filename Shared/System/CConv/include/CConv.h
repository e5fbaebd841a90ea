/* CConv: the convolution's inner products with AVX2 and FMA, or with AVX-512, for CPUs that have them.
 *
 * Swift cannot compile one function for AVX2 and another for plain x86-64 in the same module, and
 * building all of `Shared` for AVX2 would make it crash with an illegal instruction on older CPUs.
 * C can: the kernels are compiled for AVX2+FMA (conv_avx2.c) or for AVX-512 (conv_avx512.c) alone,
 * and each function below runs the AVX-512 kernels where the CPU has them (cconv_uses_avx512), the
 * AVX2 ones otherwise; Swift calls them only after `cconv_available()` said yes. Everywhere else the
 * engine multiplies with OpenBLAS instead.
 *
 * Both products read or write one image's phase planes (see PhasePlanes.swift) directly, so the patch
 * matrix (im2col) is never written out: a product works through the image's output pixels 16 at a
 * time, and for each kernel tap k it finds those 16 pixels' inputs at `planes + tap_offsets[k]` plus
 * the panel's place in the planes. Tiles of 6 rows (4 in a matrix's last panels) × 16 pixels are
 * summed in registers and stored or added from there; the AVX-512 kernels sum up to three panels in
 * one tile.
 */
#ifndef CCONV_H
#define CCONV_H

/* Rows of one full tile; packed weights come in panels of this many rows, and the last one or two
 * panels of 4 (see cconv_packed_rows). */
#define CCONV_TILE_ROWS 6
/* Output pixels of one tile. */
#define CCONV_TILE_PIXELS 16

/* 1 when this CPU has AVX2 and FMA (and this is x86-64), else 0. */
int cconv_available(void);

/* 1 when this CPU has AVX-512 F, DQ, VL and BW as well, else 0. */
int cconv_avx512_available(void);

/* 1 when the functions below run the AVX-512 kernels: where the CPU has them, unless
 * cconv_use_avx512(0) turned them off. */
int cconv_uses_avx512(void);

/* Turns the AVX-512 kernels on (where the CPU has them) or off, so that the AVX2 kernels can be
 * checked and timed on the same CPU. Only between calls: the weight gradient's width depends on it. */
void cconv_use_avx512(int on);

/* Where an image's output pixels sit in its phase planes. Pixel p (row p / out_w, column
 * p % out_w) reads entry (p / out_w) · plane_w + p % out_w past a tap's offset. */
typedef struct {
    int out_w;    /* output pixels per row: 4, 8, or a multiple of 16 */
    int pixels;   /* output pixels of one image: a multiple of 16 */
    int plane_w;  /* entries per row of a phase plane */
} cconv_layout;

/* 1 when the kernels below can walk this layout; the engine uses OpenBLAS otherwise. */
int cconv_supports(cconv_layout layout);

/* Rows of a matrix of `rows` rows once packed: its panels of 6 rows and of 4, the last padded with
 * zero rows. */
int cconv_packed_rows(int rows);

/* Packs the rows × depth matrix whose entry (r, d) is m[r·row_stride + d·depth_stride] into panels
 * of CCONV_TILE_ROWS rows and then of 4, depth-major within a panel; a panel starting at row r
 * starts at packed + r · depth. `packed` holds cconv_packed_rows(rows) · depth floats. */
void cconv_pack_rows(const float *m, int rows, int depth, long row_stride, long depth_stride, float *packed);

/* Forward for one image: out[f · pixels + p] = bias[f] + Σ_k w[f][k] · (input of tap k at pixel p),
 * for `filters` rows of weights packed by cconv_pack_rows (depth = taps). `bias` may be NULL.
 * `panel` is scratch space for taps · 16 floats. */
void cconv_forward_image(const float *packed_w, int filters, int taps, const float *planes,
                         const long *tap_offsets, cconv_layout layout, const float *bias,
                         float *out, float *panel);

/* Input gradient for one image, added into its phase planes: for every tap k and pixel p,
 * (input of tap k at pixel p) += Σ_f w[f][k] · dy[f · pixels + p], with wᵀ packed by
 * cconv_pack_rows (rows = taps, depth = filters). `panel` is scratch space for filters · 16 floats. */
void cconv_backward_input_image(const float *packed_wt, int taps, int filters, const float *dy,
                                const long *tap_offsets, cconv_layout layout, float *planes, float *panel);

/* Pixels of the output gradient that the weight gradient transposes at a time. */
#define CCONV_WEIGHT_GRADIENT_DEPTH 256

/* Filters of one AVX-512 weight-gradient tile. */
#define CCONV_AVX512_WEIGHT_FILTERS 32

/* Columns of the transposed weight gradient that cconv_weight_gradient sums into: `filters`
 * rounded up to whole tiles, of 16 filters (AVX2) or CCONV_AVX512_WEIGHT_FILTERS (AVX-512). */
int cconv_weight_gradient_width(int filters);

/* Weight gradient of a chunk of images, transposed: for every tap k and filter f,
 * dwt[k · width + f] += Σ_p cols[k · cols_stride + p] · dy[f · dy_stride + p] over p < depth, where
 * width = cconv_weight_gradient_width(filters) (the columns past `filters` get zeros added). `cols`
 * holds the chunk's patches, one row per tap (as PhasePlanes.unfold writes them), and `dy` its
 * output gradient, one row per filter, both with the chunk's pixels contiguous. The gradient is
 * transposed through `scratch`, CCONV_WEIGHT_GRADIENT_DEPTH · width floats, so that tiles of 6 taps ×
 * 16 filters read it as the forward tiles read their panels. Any shape. */
void cconv_weight_gradient(const float *cols, long cols_stride, int taps, const float *dy,
                           long dy_stride, int filters, int depth, float *dwt, float *scratch);

/* 1 when cconv_weight_gradient_image can walk this layout: cconv_supports(layout), and output rows of
 * 8 to 256 pixels, or 4 to 256 with the AVX-512 kernels (shorter runs spend more on their loops than
 * on their sums). */
int cconv_weight_gradient_reads_planes(cconv_layout layout);

/* cconv_weight_gradient for one image, its patches read from its loaded phase planes instead of
 * written out: for every tap k and filter f, dwt[k · width + f] += Σ_p (input of tap k at pixel p) ·
 * dy[f · pixels + p]. Same `scratch`. Layers of at most 32 taps (a multiple of 3, filters a multiple
 * of 4, rows a multiple of 8 pixels) sum dot products over the whole image instead, without it. */
void cconv_weight_gradient_image(const float *planes, const long *tap_offsets, cconv_layout layout, int taps,
                                 const float *dy, int filters, float *dwt, float *scratch);

/* Splits `rows` input rows of `width` floats, consecutive from `image`: row r's even-indexed pixels
 * go to planes + even_at[r] and its odd-indexed ones to planes + odd_at[r] (a stride-2 layer's
 * phase planes). Any CPU. */
void cconv_split_rows(const float *image, int rows, int width, const long *even_at, const long *odd_at,
                      float *planes);

/* The inverse of cconv_split_rows: writes every pixel of the `rows` rows at `image` from the planes. */
void cconv_merge_rows(const float *planes, const long *even_at, const long *odd_at, int rows, int width,
                      float *image);

#endif
