/* A stride-2 layer's input split into phase planes, row by row, and merged back (PhasePlanes.swift):
 * each input row's even-indexed pixels go to one plane and its odd-indexed ones to the other. One
 * call takes a whole image, so that the rows of small feature maps (4 to 32 pixels) cost a shuffle
 * or two each rather than a call. */
#include "conv_internal.h"

/* The definition, and the way for CPUs without AVX2. */
static void split_rows_plain(const float *image, int rows, int width, const long *even_at, const long *odd_at,
                             float *planes) {
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        float *even = planes + even_at[r], *odd = planes + odd_at[r];
        for (int k = 0; k < pairs; k++) {
            even[k] = image[2 * k];
            odd[k] = image[2 * k + 1];
        }
        if (width & 1) even[pairs] = image[width - 1];
    }
}

/* The inverse of split_rows_plain. */
static void merge_rows_plain(const float *planes, const long *even_at, const long *odd_at, int rows, int width,
                             float *image) {
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        const float *even = planes + even_at[r], *odd = planes + odd_at[r];
        for (int k = 0; k < pairs; k++) {
            image[2 * k] = even[k];
            image[2 * k + 1] = odd[k];
        }
        if (width & 1) image[width - 1] = even[pairs];
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))

/* The first `n` (0–16) lanes. */
static inline __mmask16 first_lanes(int n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1); }

/* 16 pairs a step, each half picked out of two registers by one permute; a short step is masked. */
AVX512 static void split_rows_avx512(const float *image, int rows, int width, const long *even_at,
                                     const long *odd_at, float *planes) {
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        float *even = planes + even_at[r], *odd = planes + odd_at[r];
        for (int k = 0; k < pairs; k += 16) {
            const int left = pairs - k < 16 ? pairs - k : 16;
            const __m512 a = _mm512_maskz_loadu_ps(first_lanes(2 * left), image + 2 * k);
            const int second = 2 * left - 16 > 0 ? 2 * left - 16 : 0;
            const __m512 b = _mm512_maskz_loadu_ps(first_lanes(second), image + 2 * k + 16);
            _mm512_mask_storeu_ps(even + k, first_lanes(left), _mm512_permutex2var_ps(a, evens, b));
            _mm512_mask_storeu_ps(odd + k, first_lanes(left), _mm512_permutex2var_ps(a, odds, b));
        }
        if (width & 1) even[pairs] = image[width - 1];
    }
}

AVX512 static void merge_rows_avx512(const float *planes, const long *even_at, const long *odd_at, int rows,
                                     int width, float *image) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        const float *even = planes + even_at[r], *odd = planes + odd_at[r];
        for (int k = 0; k < pairs; k += 16) {
            const int left = pairs - k < 16 ? pairs - k : 16;
            const __m512 e = _mm512_maskz_loadu_ps(first_lanes(left), even + k);
            const __m512 o = _mm512_maskz_loadu_ps(first_lanes(left), odd + k);
            _mm512_mask_storeu_ps(image + 2 * k, first_lanes(2 * left), _mm512_permutex2var_ps(e, low, o));
            if (left > 8) {
                const __m512 upper = _mm512_permutex2var_ps(e, high, o);
                _mm512_mask_storeu_ps(image + 2 * k + 16, first_lanes(2 * left - 16), upper);
            }
        }
        if (width & 1) image[width - 1] = even[pairs];
    }
}

/* 8 pairs a step: shuffles within 128-bit lanes, then the lanes put in order; pairs past the last
 * multiple of 8 one by one. */
AVX2 static void split_rows_avx2(const float *image, int rows, int width, const long *even_at, const long *odd_at,
                                 float *planes) {
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        float *even = planes + even_at[r], *odd = planes + odd_at[r];
        int k = 0;
        for (; k + 8 <= pairs; k += 8) {
            const __m256 a = _mm256_loadu_ps(image + 2 * k), b = _mm256_loadu_ps(image + 2 * k + 8);
            const __m256d e = _mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88));
            const __m256d o = _mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD));
            _mm256_storeu_ps(even + k, _mm256_castpd_ps(_mm256_permute4x64_pd(e, 0xD8)));
            _mm256_storeu_ps(odd + k, _mm256_castpd_ps(_mm256_permute4x64_pd(o, 0xD8)));
        }
        for (; k < pairs; k++) {
            even[k] = image[2 * k];
            odd[k] = image[2 * k + 1];
        }
        if (width & 1) even[pairs] = image[width - 1];
    }
}

AVX2 static void merge_rows_avx2(const float *planes, const long *even_at, const long *odd_at, int rows, int width,
                                 float *image) {
    const int pairs = width / 2;
    for (int r = 0; r < rows; r++, image += width) {
        const float *even = planes + even_at[r], *odd = planes + odd_at[r];
        int k = 0;
        for (; k + 8 <= pairs; k += 8) {
            const __m256 e = _mm256_loadu_ps(even + k), o = _mm256_loadu_ps(odd + k);
            const __m256 lo = _mm256_unpacklo_ps(e, o), hi = _mm256_unpackhi_ps(e, o);
            _mm256_storeu_ps(image + 2 * k, _mm256_permute2f128_ps(lo, hi, 0x20));
            _mm256_storeu_ps(image + 2 * k + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
        }
        for (; k < pairs; k++) {
            image[2 * k] = even[k];
            image[2 * k + 1] = odd[k];
        }
        if (width & 1) image[width - 1] = even[pairs];
    }
}

void cconv_split_rows(const float *image, int rows, int width, const long *even_at, const long *odd_at,
                      float *planes) {
    if (cconv_uses_avx512())
        split_rows_avx512(image, rows, width, even_at, odd_at, planes);
    else if (cconv_available())
        split_rows_avx2(image, rows, width, even_at, odd_at, planes);
    else
        split_rows_plain(image, rows, width, even_at, odd_at, planes);
}

void cconv_merge_rows(const float *planes, const long *even_at, const long *odd_at, int rows, int width,
                      float *image) {
    if (cconv_uses_avx512())
        merge_rows_avx512(planes, even_at, odd_at, rows, width, image);
    else if (cconv_available())
        merge_rows_avx2(planes, even_at, odd_at, rows, width, image);
    else
        merge_rows_plain(planes, even_at, odd_at, rows, width, image);
}

#else

void cconv_split_rows(const float *image, int rows, int width, const long *even_at, const long *odd_at,
                      float *planes) {
    split_rows_plain(image, rows, width, even_at, odd_at, planes);
}

void cconv_merge_rows(const float *planes, const long *even_at, const long *odd_at, int rows, int width,
                      float *image) {
    merge_rows_plain(planes, even_at, odd_at, rows, width, image);
}

#endif
